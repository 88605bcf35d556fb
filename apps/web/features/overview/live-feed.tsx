"use client";

import type { LiveAppointment, LiveCall, LiveContact, LiveEvent, LiveStatus } from "@voxanne/contracts";
import Link from "next/link";
import { useCallback, useReducer } from "react";
import { callOutcome, sentimentLabel } from "@/features/calls/call-badges";
import { CalendarIcon, PhoneIncomingIcon, PhoneOutgoingIcon, RefreshIcon, UserIcon, WaveformIcon } from "@/components/icons";
import { LiveStatusBadge } from "@/features/live/live-status";
import { usePhoneConnection } from "@/features/live/use-phone-connection";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { useQuery } from "@tanstack/react-query";
import { apiRoutes } from "@/lib/api";
import { formatDuration, formatMoney, formatPhone, formatRelative, formatSlotShort } from "@/lib/format";
import { routeQuery } from "@/lib/query";
import { useSession } from "@/lib/session";
import { useNow } from "@/lib/use-now";

const MAX_ENTRIES = 30;

const LEAD_WORDS: Record<string, string> = { hot: "needs a call back soon", warm: "interested", cold: "just asking" };

type CallEntry = { key: string; kind: "call"; at: string; last: LiveEvent["type"]; call: LiveCall };
type AppointmentEntry = { key: string; kind: "appointment"; at: string; action: "booked" | "cancelled"; appointment: LiveAppointment };
type ContactEntry = { key: string; kind: "contact"; at: string; contact: LiveContact };
type NoticeEntry = { key: string; kind: "notice"; at: string; text: string };
export type FeedEntry = CallEntry | AppointmentEntry | ContactEntry | NoticeEntry;

export type Person = { name: string | null; phone: string };

type FeedState = { entries: FeedEntry[]; people: Record<string, Person> };
type FeedAction = { type: "event"; event: LiveEvent } | { type: "notice"; text: string; at: string } | { type: "people"; people: Record<string, Person> };

/**
 * One line per thing that happened: a call's line follows it from ringing to its outcome (and
 * moves to the top on every change) instead of adding a line per status update.
 */
function upsert(entries: FeedEntry[], entry: FeedEntry): FeedEntry[] {
  return [entry, ...entries.filter((e) => e.key !== entry.key)].slice(0, MAX_ENTRIES);
}

function reduce(state: FeedState, action: FeedAction): FeedState {
  if (action.type === "people") return { ...state, people: { ...state.people, ...action.people } };
  if (action.type === "notice") {
    return { ...state, entries: upsert(state.entries, { key: `notice:${action.at}`, kind: "notice", at: action.at, text: action.text }) };
  }
  const event = action.event;
  switch (event.type) {
    case "call.started":
    case "call.updated":
    case "call.ended": {
      const key = `call:${event.data.id}`;
      const previous = state.entries.find((e): e is CallEntry => e.key === key && e.kind === "call");
      // A late "updated" for an ended call (the analysis) keeps saying how the call ended.
      const last = event.type === "call.updated" && previous?.call.status === "ended" ? previous.last : event.type;
      return { ...state, entries: upsert(state.entries, { key, kind: "call", at: event.at, last, call: event.data }) };
    }
    case "appointment.booked":
    case "appointment.cancelled": {
      const action = event.type === "appointment.booked" ? "booked" : "cancelled";
      return {
        ...state,
        entries: upsert(state.entries, { key: `appointment:${event.data.id}:${action}`, kind: "appointment", at: event.at, action, appointment: event.data }),
      };
    }
    case "contact.updated":
      return {
        entries: upsert(state.entries, { key: `contact:${event.data.id}`, kind: "contact", at: event.at, contact: event.data }),
        people: { ...state.people, [event.data.id]: { name: event.data.name, phone: event.data.phone } },
      };
    case "agent.sync":
    // Receptionist settings, not calls: shown on the Receptionist page.
    case "call.transcript":
      // What is said on a call: shown in the call's drawer.
      return state;
  }
}

/** The feed's state: call `push(event)` for every live event. */
export function useFeed() {
  const [state, dispatch] = useReducer(reduce, { entries: [], people: {} });
  const push = useCallback((event: LiveEvent) => dispatch({ type: "event", event }), []);
  const notice = useCallback((text: string) => dispatch({ type: "notice", text, at: new Date().toISOString() }), []);
  const addPeople = useCallback((people: Record<string, Person>) => dispatch({ type: "people", people }), []);
  return { ...state, push, notice, addPeople };
}

function who(people: Record<string, Person>, contactId: string | null, fallbackPhone: string | null): string {
  const person = contactId ? people[contactId] : undefined;
  if (person?.name) return person.name;
  if (person?.phone ?? fallbackPhone) return formatPhone(person?.phone ?? fallbackPhone);
  return "an unknown caller";
}

/** The small heading of each line: what kind of thing happened, in the clinic's words. */
function callLabel(call: LiveCall): string {
  if (call.status === "ended") return call.isEmergency ? "Emergency" : "Phone call";
  if (call.status === "forwarding") return "Transfer";
  return call.direction === "outbound" ? "Calling out" : "On the phone";
}
/** What the caller came for, by the tools the receptionist used, most telling first. */
const ASKED: [tool: string, words: string][] = [
  ["cancelAppointment", "Caller cancelled an appointment"],
  ["rescheduleAppointment", "Caller moved an appointment"],
  ["getServicePrice", "Caller asked for a price"],
  ["takeMessage", "Caller left a message"],
  ["searchKnowledgeBase", "Caller had a question"],
  ["checkAvailability", "Caller asked for a time"],
];

/** Read from the call's steps once it has been summarised (a booking already has its own line). */
function CallerAsked({ callId }: { callId: string }) {
  const detail = useQuery(routeQuery(apiRoutes.calls.detail, { params: { callId } }));
  const tools = new Set((detail.data?.messages ?? []).filter((m) => m.role === "tool_call").map((m) => m.toolName));
  const words = ASKED.find(([tool]) => tools.has(tool))?.[1];
  return words ? <span data-testid="caller-asked">{words}</span> : null;
}

function CallLine({ entry, people }: { entry: CallEntry; people: Record<string, Person> }) {
  const call = entry.call;
  const name = who(people, call.contactId, call.direction === "outbound" ? call.toNumber : call.fromNumber);
  const outcome = callOutcome(call);
  const outbound = call.direction === "outbound";
  let title: string;
  if (call.status === "ended") title = `Call with ${name} ended`;
  else if (call.status === "in-progress") title = outbound ? `Calling ${name}` : `On a call with ${name}`;
  else if (call.status === "forwarding") title = `Transferring ${name} to the clinic`;
  else title = outbound ? `Dialling ${name}` : `Incoming call from ${name}`;
  const Icon = outbound ? PhoneOutgoingIcon : PhoneIncomingIcon;
  return (
    <FeedRow
      icon={<Icon className="size-4" />}
      iconTone={outcome.live ? "live" : outcome.tone === "success" ? "success" : outcome.tone === "danger" ? "danger" : "muted"}
      label={callLabel(call)}
      at={entry.at}
      href={`/calls?call=${call.id}`}
      title={title}
    >
      <Badge tone={outcome.tone} dot pulse={outcome.live}>
        {outcome.label}
      </Badge>
      {call.status === "ended" && call.durationSeconds !== null ? <span>{formatDuration(call.durationSeconds)}</span> : null}
      {call.sentimentLabel ? <span>{sentimentLabel(call.sentimentLabel)}</span> : null}
      {call.financialValue > 0 ? <span className="font-medium text-fg">{formatMoney(call.financialValue)}</span> : null}
      {call.status === "ended" && !call.analyzed ? <span>Summarising…</span> : null}
      {call.status === "ended" && call.analyzed && !call.bookingConfirmed && !call.isEmergency ? <CallerAsked callId={call.id} /> : null}
    </FeedRow>
  );
}

function FeedRow({
  icon,
  iconTone,
  label,
  title,
  at,
  href,
  children,
}: {
  icon: React.ReactNode;
  iconTone: "live" | "success" | "danger" | "muted";
  label: string;
  title: string;
  at: string;
  href?: string;
  children?: React.ReactNode;
}) {
  const body = (
    <>
      <span
        className={cx(
          "mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-full",
          iconTone === "live" && "bg-brand-soft text-brand-text",
          iconTone === "success" && "bg-success-soft text-success",
          iconTone === "danger" && "bg-danger-soft text-danger",
          iconTone === "muted" && "bg-surface-muted text-fg-muted",
        )}
        aria-hidden="true"
      >
        {icon}
      </span>
      <span className="min-w-0 flex-1">
        <span className="flex items-baseline justify-between gap-3">
          <span className="text-[0.6875rem] font-medium tracking-wide text-fg-subtle uppercase">{label}</span>
          <RelativeTime at={at} />
        </span>
        <span className="mt-0.5 block text-sm font-medium break-words text-fg">{title}</span>
        {children ? <span className="mt-1.5 flex flex-wrap items-center gap-x-2.5 gap-y-1 text-xs text-fg-muted">{children}</span> : null}
      </span>
    </>
  );
  return (
    <li data-testid="feed-entry">
      {href ? (
        <Link href={href} className="flex gap-3 px-5 py-3.5 transition-colors hover:bg-surface-muted focus-visible:-outline-offset-2 sm:px-6">
          {body}
        </Link>
      ) : (
        <div className="flex gap-3 px-5 py-3.5 sm:px-6">{body}</div>
      )}
    </li>
  );
}

function RelativeTime({ at }: { at: string }) {
  const timeZone = useClinicTimeZone();
  const now = useNow();
  return (
    <time dateTime={at} className="shrink-0 text-xs text-fg-subtle tabular-nums">
      {formatRelative(at, timeZone, Math.max(now, Date.parse(at)))}
    </time>
  );
}

function useClinicTimeZone(): string {
  return useSession().organization.timezone;
}

/** Live events as they arrive, with the connection state in the header. */
export function LiveFeed({
  entries,
  people,
  status,
  liveCalls = 0,
  className,
}: {
  entries: FeedEntry[];
  people: Record<string, Person>;
  status: LiveStatus;
  /** Calls already in progress when the page opened (the feed only shows what happens after). */
  liveCalls?: number;
  className?: string;
}) {
  const timeZone = useClinicTimeZone();
  const phone = usePhoneConnection();
  const services = useQuery(routeQuery(apiRoutes.services.list));
  const serviceNames = new Map((services.data?.services ?? []).map((s) => [s.id, s.name]));
  return (
    <section aria-labelledby="live-feed-title" className={cx("flex min-w-0 flex-col rounded-2xl border border-line bg-surface shadow-xs", className)}>
      <div className="flex items-center justify-between gap-3 border-b border-line px-5 py-4 sm:px-6">
        <div className="min-w-0">
          <h2 id="live-feed-title" className="text-base font-semibold">
            Live feed
          </h2>
          <p className="mt-0.5 text-xs text-fg-subtle">Calls, bookings and leads as they happen</p>
        </div>
        <LiveStatusBadge status={status} />
      </div>
      {phone.connected === false ? (
        <p className="border-b border-line bg-surface-muted px-5 py-3 text-sm text-fg-muted sm:px-6" data-testid="live-feed-connect">
          Patients can't reach your receptionist yet: connect a phone number (your Twilio number, or forward your clinic's own line).{" "}
          <Link href="/integrations" className="font-medium text-brand-text underline underline-offset-2">
            Connect a phone number
          </Link>
        </p>
      ) : null}
      {entries.length === 0 ? (
        <div className="flex flex-1 flex-col items-center justify-center px-6 py-10 text-center">
          <span className="flex size-11 items-center justify-center rounded-full bg-brand-soft text-brand-text">
            <WaveformIcon className="size-5" />
          </span>
          <p className="mt-3 text-sm font-medium">
            {liveCalls > 0 ? `${liveCalls} ${liveCalls === 1 ? "call is" : "calls are"} in progress` : "Waiting for the next call"}
          </p>
          <p className="mt-1 max-w-xs text-sm text-fg-subtle">
            {status === "open"
              ? liveCalls > 0
                ? "Updates appear here as they happen, and so does every new call."
                : "When your receptionist picks up, the call shows here the moment it starts."
              : status === "reconnecting"
                ? "Reconnecting to the live feed…"
                : "Connecting to the live feed…"}
          </p>
        </div>
      ) : (
        <ol className="min-h-0 flex-1 divide-y divide-line overflow-y-auto" aria-live="polite" aria-relevant="additions" data-testid="live-feed">
          {entries.map((entry) => {
            if (entry.kind === "call") return <CallLine key={entry.key} entry={entry} people={people} />;
            if (entry.kind === "appointment") {
              const a = entry.appointment;
              const name = who(people, a.contactId, null);
              const booked = entry.action === "booked";
              const service = (a.serviceId ? serviceNames.get(a.serviceId) : undefined) ?? "an appointment";
              const when = formatSlotShort(a.startsAt, timeZone);
              return (
                <FeedRow
                  key={entry.key}
                  icon={<CalendarIcon className="size-4" />}
                  iconTone={booked ? "success" : "muted"}
                  label={booked ? "Booking" : "Cancellation"}
                  at={entry.at}
                  title={booked ? `Booked ${service} for ${when}` : `Cancelled ${service} on ${when}`}
                >
                  <span>{name === "an unknown caller" ? "A caller" : name}</span>
                  {a.source === "voice" ? <span>{booked ? "Booked by your receptionist" : "On the phone"}</span> : null}
                </FeedRow>
              );
            }
            if (entry.kind === "contact") {
              const c = entry.contact;
              return (
                <FeedRow
                  key={entry.key}
                  icon={<UserIcon className="size-4" />}
                  iconTone={c.leadTemperature === "hot" ? "danger" : "muted"}
                  label="Lead"
                  at={entry.at}
                  title={`${c.name ?? formatPhone(c.phone)} — ${LEAD_WORDS[c.leadTemperature] ?? "lead"}`}
                >
                  <span>Score {c.leadScore}</span>
                  <span className="capitalize">{c.leadStatus.replace(/_/g, " ")}</span>
                  {c.serviceInterests.length ? <span>{c.serviceInterests.slice(0, 3).join(", ")}</span> : null}
                </FeedRow>
              );
            }
            return <FeedRow key={entry.key} icon={<RefreshIcon className="size-4" />} iconTone="muted" label="Back online" at={entry.at} title={entry.text} />;
          })}
        </ol>
      )}
    </section>
  );
}
