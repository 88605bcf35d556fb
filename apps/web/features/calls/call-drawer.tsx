"use client";

import { useQuery } from "@tanstack/react-query";
import type { CallDetail, CallTranscriptMessage, LiveTranscriptLine, RecordingStatus } from "@voxanne/contracts";
import { useEffect, useId, useRef, useState } from "react";
import { AlertIcon, CalendarIcon, CloseIcon, MessageIcon, RefreshIcon, WaveformIcon } from "@/components/icons";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Spinner } from "@/components/ui/spinner";
import { apiRoutes, describeProblem } from "@/lib/api";
import { routeQuery } from "@/lib/query";
import { describeEndedReason, formatAppointmentTime, formatDateTime, formatDuration, formatMoney, formatOffset, formatPhone } from "@/lib/format";
import { CallActions } from "./call-actions";
import { TakeOver } from "./take-over";
import { callOutcome, directionLabels, OutcomeBadge, SentimentBadge } from "./call-badges";
import { useLiveTranscript } from "./use-live-transcript";

/**
 * `GET /api/calls-dashboard/:callId`. Live events for the call mark it stale (lib/live.tsx) and it
 * is re-read in place: the call on screen stays, and a failed re-read leaves it there.
 */
function useCallDetail(callId: string | null) {
  return useQuery({ ...routeQuery(apiRoutes.calls.detail, { params: { callId: callId ?? "" } }), enabled: callId !== null });
}

/**
 * One call in a side sheet: outcome, facts, recording, transcript. A modal <dialog> gives the focus
 * trap, Escape to close and an inert page behind; focus returns to the row's button on close.
 */
export function CallDrawer({ callId, timeZone, onClose }: { callId: string | null; timeZone: string; onClose: () => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const detail = useCallDetail(callId);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (callId && !dialog.open) dialog.showModal();
    if (!callId && dialog.open) dialog.close();
    if (!callId) return;
    // The page behind a modal should not scroll with the sheet.
    const root = document.documentElement;
    const previous = root.style.overflow;
    root.style.overflow = "hidden";
    return () => {
      root.style.overflow = previous;
    };
  }, [callId]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const handle = () => onCloseRef.current();
    dialog.addEventListener("close", handle);
    return () => dialog.removeEventListener("close", handle);
  }, []);

  const call = callId ? (detail.data ?? null) : null;
  // Listened to from the moment the drawer opens, so no line is missed while the call loads.
  const liveLines = useLiveTranscript(callId, call?.vapiCallId ?? null);
  const problem = !call && detail.isError ? describeProblem(detail.error).message : null;

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click only catches the backdrop; Escape closes the native dialog by keyboard
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      onClick={(e) => {
        if (e.target === e.currentTarget) dialogRef.current?.close(); // a click on the backdrop
      }}
      className="fixed inset-y-0 right-0 left-auto m-0 h-dvh max-h-none w-full max-w-xl border-l border-line bg-background p-0 text-fg shadow-2xl backdrop:bg-black/45 open:flex open:flex-col sm:w-[36rem]"
      data-testid="call-drawer"
    >
      {/* Focus trap: Tab past the last control comes back to the first, Shift+Tab the other way. The
          sentinels are focusable on purpose and hidden from screen readers, which never land on them. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: focus-trap sentinel */}
      {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: focus-trap sentinel, moves focus on arrival */}
      <span tabIndex={0} aria-hidden="true" onFocus={() => lastFocusable(dialogRef.current)?.focus()} />
      <div className="flex shrink-0 items-start gap-3 border-b border-line bg-surface px-5 py-4 sm:px-6">
        <div className="min-w-0 flex-1">
          <h2 id={titleId} className="truncate text-lg font-semibold">
            {call ? callTitle(call) : "Call details"}
          </h2>
          <p className="mt-0.5 truncate text-sm text-fg-muted">
            {call ? `${directionLabels[call.direction]} · ${formatDateTime(call.startedAt, timeZone)}` : problem ? "Could not load" : "Loading…"}
          </p>
        </div>
        <button
          ref={closeRef}
          type="button"
          onClick={() => dialogRef.current?.close()}
          aria-label="Close call details"
          className="-mr-2 flex size-10 shrink-0 items-center justify-center rounded-lg text-fg-muted hover:bg-surface-muted hover:text-fg"
        >
          <CloseIcon className="size-5" />
        </button>
      </div>

      <div className="flex-1 overflow-y-auto">
        {!callId ? null : problem ? (
          <div role="alert" className="m-5 rounded-xl border border-danger-line bg-danger-soft p-5 sm:m-6">
            <p className="flex items-center gap-2 font-semibold text-danger">
              <AlertIcon className="size-4.5" /> We couldn&apos;t load this call
            </p>
            <p className="mt-1 text-sm text-danger">{problem}</p>
            <Button variant="secondary" size="sm" className="mt-4" onClick={() => void detail.refetch()}>
              <RefreshIcon className="size-4" />
              Try again
            </Button>
          </div>
        ) : !call ? (
          <div className="flex items-center justify-center gap-3 py-20 text-sm text-fg-muted">
            <Spinner className="size-5" />
            <span role="status">Loading the call…</span>
          </div>
        ) : (
          <CallBody call={call} timeZone={timeZone} liveLines={liveLines} />
        )}
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: focus-trap sentinel */}
      {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: focus-trap sentinel, moves focus on arrival */}
      <span tabIndex={0} aria-hidden="true" onFocus={() => closeRef.current?.focus()} />
    </dialog>
  );
}

const FOCUSABLE = "button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea, audio[controls], [tabindex]:not([tabindex='-1'])";

function lastFocusable(root: HTMLElement | null): HTMLElement | null {
  const all = [...(root?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])].filter((el) => el.getAttribute("aria-hidden") !== "true");
  return all[all.length - 1] ?? null;
}

function callTitle(call: CallDetail): string {
  if (call.contact?.name) return call.contact.name;
  const number = call.direction === "outbound" ? call.toNumber : call.fromNumber;
  return number ? formatPhone(number) : "Unknown caller";
}

const EMERGENCY_TRANSFER: Record<NonNullable<CallDetail["emergencyTransfer"]>["status"], string> = {
  transferred: "The call was transferred to the clinic.",
  failed: "Transferring the call to the clinic failed.",
  requested: "The assistant was asked to transfer the call to the clinic.",
  not_possible: "It could not be transferred: no transfer number is set (Settings).",
};

function CallBody({ call, timeZone, liveLines }: { call: CallDetail; timeZone: string; liveLines: LiveTranscriptLine[] }) {
  const outcome = callOutcome(call);
  const number = call.contact?.phone ?? (call.direction === "outbound" ? call.toNumber : call.fromNumber);
  const booked = call.appointments.filter((a) => a.status !== "cancelled");
  return (
    <div className="space-y-5 p-5 sm:p-6">
      <div className="flex flex-wrap items-center gap-2">
        <OutcomeBadge call={call} />
        {call.sentimentLabel ? <SentimentBadge sentiment={call.sentimentLabel} /> : null}
        {call.leadTemperature ? (
          <Badge tone={call.leadTemperature === "hot" ? "danger" : call.leadTemperature === "warm" ? "warning" : "neutral"}>
            <span className="capitalize">{call.leadTemperature}</span> lead{call.leadScore !== null ? ` · ${call.leadScore}` : ""}
          </Badge>
        ) : null}
        {call.urgency === "high" && !call.isEmergency ? <Badge tone="warning">Urgent</Badge> : null}
      </div>

      {call.isEmergency ? (
        <div role="note" className="flex gap-3 rounded-xl border border-danger-line bg-danger-soft p-4 text-sm text-danger">
          <AlertIcon className="mt-0.5 size-4.5 shrink-0" />
          <p>
            The caller described a possible emergency and was told to call emergency services. Follow up with them.
            {call.emergencyTransfer ? <span className="mt-1 block">{EMERGENCY_TRANSFER[call.emergencyTransfer.status]}</span> : null}
          </p>
        </div>
      ) : null}

      <section aria-label="Call facts">
        <dl className="grid grid-cols-2 gap-px overflow-hidden rounded-xl border border-line bg-line text-sm">
          <Fact label="Duration">{outcome.live ? "In progress" : formatDuration(call.durationSeconds)}</Fact>
          <Fact label="Value" testId="call-value">
            {call.financialValue > 0 ? formatMoney(call.financialValue) : "—"}
          </Fact>
          <Fact label="Booking" wide testId="call-booking">
            {booked.length > 0 ? (
              <span className="flex flex-col gap-0.5">
                {booked.map((a) => (
                  <span key={a.id} className="flex items-start gap-1.5">
                    <CalendarIcon className="mt-0.5 size-4 shrink-0 text-success" />
                    <span>
                      {a.serviceName ?? "Appointment"}, {formatAppointmentTime(a.startsAt, timeZone)}
                    </span>
                  </span>
                ))}
              </span>
            ) : call.bookingConfirmed ? (
              "Booked"
            ) : outcome.live ? (
              "Not yet"
            ) : (
              "No appointment booked"
            )}
            {call.appointments.some((a) => a.status === "cancelled") ? (
              <span className="mt-1 block text-xs text-fg-subtle">
                Cancelled:{" "}
                {call.appointments
                  .filter((a) => a.status === "cancelled")
                  .map((a) => formatAppointmentTime(a.startsAt, timeZone))
                  .join(", ")}
              </span>
            ) : null}
          </Fact>
          <Fact label="Ended because">{outcome.live ? "—" : describeEndedReason(call.endedReason)}</Fact>
          <Fact label="Phone">
            {number ? (
              <a href={`tel:${number}`} className="text-brand-text underline-offset-2 hover:underline">
                {formatPhone(number)}
              </a>
            ) : (
              "—"
            )}
          </Fact>
          {call.transferTo ? (
            <Fact label="Transferred to" wide>
              {formatPhone(call.transferTo)}
              {call.transferReason ? <span className="block text-xs text-fg-subtle">{call.transferReason}</span> : null}
            </Fact>
          ) : null}
          {call.serviceInterests.length > 0 ? (
            <Fact label="Interested in" wide>
              {call.serviceInterests.join(", ")}
            </Fact>
          ) : null}
        </dl>
      </section>

      {call.summary ? (
        <section aria-labelledby="call-summary-title">
          <h3 id="call-summary-title" className="text-sm font-semibold">
            Summary
          </h3>
          <p className="mt-1.5 text-sm leading-relaxed text-fg-muted">{call.summary}</p>
        </section>
      ) : null}

      <Recording call={call} />

      {outcome.live ? <TakeOver call={call} /> : <CallActions call={call} />}

      <Transcript call={call} live={outcome.live} liveLines={liveLines} />

      {call.outboundMessages.length > 0 ? (
        <section aria-labelledby="call-messages-title">
          <h3 id="call-messages-title" className="text-sm font-semibold">
            Messages sent after the call
          </h3>
          <ul className="mt-2 space-y-2">
            {call.outboundMessages.map((m) => (
              <li key={m.id} className="rounded-xl border border-line bg-surface p-3.5 text-sm">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="flex items-center gap-1.5 font-medium">
                    <MessageIcon className="size-4 text-fg-subtle" />
                    {m.method === "sms" ? "SMS" : "Email"} {m.recipient ? `to ${m.method === "sms" ? formatPhone(m.recipient) : m.recipient}` : ""}
                  </span>
                  <Badge tone={m.status === "failed" ? "danger" : m.status === "not_sent" ? "neutral" : "success"}>{m.status.replace("_", " ")}</Badge>
                </div>
                <p className="mt-1.5 text-fg-muted">{m.content}</p>
                {m.statusReason ? <p className="mt-1 text-xs text-fg-subtle">{m.statusReason}</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <p className="border-t border-line pt-4 text-xs text-fg-subtle">
        Call reference{" "}
        <span className="font-mono break-all select-all" data-testid="vapi-call-id">
          {call.vapiCallId}
        </span>
      </p>
    </div>
  );
}

function Fact({ label, wide, testId, children }: { label: string; wide?: boolean; testId?: string; children: React.ReactNode }) {
  return (
    <div className={cx("bg-surface px-4 py-3", wide && "col-span-2")}>
      <dt className="text-xs text-fg-subtle">{label}</dt>
      <dd className="mt-0.5 font-medium break-words text-fg" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

const recordingLook: Record<RecordingStatus, { label: string; tone: BadgeTone }> = {
  pending: { label: "Waiting for the recording", tone: "neutral" },
  processing: { label: "Processing", tone: "warning" },
  completed: { label: "Available", tone: "success" },
  failed: { label: "Recording failed", tone: "danger" },
};

function Recording({ call }: { call: CallDetail }) {
  const detail = useCallDetail(call.id);
  const [failed, setFailed] = useState(false);
  const renewed = useRef(false);
  const url = call.recordingUrl;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new recording URL deserves a fresh try
  useEffect(() => setFailed(false), [url]);
  // The link is our API's and lasts minutes (apps/api/src/modules/calls/recordings.ts): when the
  // player fails, e.g. after the drawer stayed open past that, read the call again for a fresh one.
  const onPlayerError = () => {
    if (renewed.current) return setFailed(true);
    renewed.current = true;
    void detail.refetch();
  };
  const look = recordingLook[call.recordingStatus];
  return (
    <section aria-labelledby="call-recording-title" className="rounded-xl border border-line bg-surface p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id="call-recording-title" className="flex items-center gap-2 text-sm font-semibold">
          <WaveformIcon className="size-4 text-fg-subtle" />
          Recording
        </h3>
        <Badge tone={look.tone} dot>
          <span data-testid="recording-status">{look.label}</span>
        </Badge>
      </div>
      {url ? (
        <>
          {/* biome-ignore lint/a11y/useMediaCaption: the call's transcript is shown right below the player */}
          <audio
            controls
            preload="none"
            src={url}
            className="mt-3 w-full"
            aria-label="Call recording"
            onError={onPlayerError}
            onLoadedMetadata={() => {
              renewed.current = false;
            }}
          />
          {failed ? (
            <p className="mt-2 text-xs text-fg-muted">
              The recording could not be played here.{" "}
              <a href={url} target="_blank" rel="noreferrer" className="font-medium text-brand-text underline underline-offset-2">
                Open it in a new tab
              </a>
              .
            </p>
          ) : null}
        </>
      ) : (
        <p className="mt-2 text-sm text-fg-subtle">
          {call.status !== "ended"
            ? "The recording is available after the call ends."
            : call.recordingStatus === "failed"
              ? "The call was not recorded successfully."
              : call.recordingStatus === "completed"
                ? "This call has no recording."
                : "The recording will appear here once it has been processed."}
        </p>
      )}
    </section>
  );
}

const TOOL_WORDS: Record<string, string> = {
  checkAvailability: "Checked availability",
  bookClinicAppointment: "Booked the appointment",
  rescheduleAppointment: "Rescheduled the appointment",
  cancelAppointment: "Cancelled the appointment",
  lookupCaller: "Looked up the caller",
  transferCall: "Transferred the call",
  takeMessage: "Took a message",
};

function toolWords(name: string | null): string {
  if (!name) return "Used a tool";
  return TOOL_WORDS[name] ?? `Used ${name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}`;
}

function Transcript({ call, live, liveLines }: { call: CallDetail; live: boolean; liveLines: LiveTranscriptLine[] }) {
  const lines = call.messages.filter((m) => m.role === "assistant" || m.role === "user" || m.role === "tool_call");
  return (
    <section aria-labelledby="call-transcript-title">
      <h3 id="call-transcript-title" className="flex items-center gap-2 text-sm font-semibold">
        Transcript
        {live && lines.length === 0 ? (
          <Badge tone="brand" dot pulse>
            Live
          </Badge>
        ) : null}
      </h3>
      {live && lines.length === 0 && liveLines.length > 0 ? (
        <ol className="mt-3 space-y-3" data-testid="live-transcript" aria-live="polite" aria-relevant="additions">
          {liveLines.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines are only appended, or replaced all at once
            <TranscriptLine key={i} message={{ role: line.role, text: line.text, secondsFromStart: null, toolName: null }} />
          ))}
        </ol>
      ) : lines.length > 0 ? (
        <ol className="mt-3 space-y-3" data-testid="transcript">
          {lines.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a stored transcript never changes order
            <TranscriptLine key={i} message={m} />
          ))}
        </ol>
      ) : call.transcript ? (
        <p className="mt-2 text-sm leading-relaxed whitespace-pre-wrap text-fg-muted" data-testid="transcript">
          {call.transcript}
        </p>
      ) : (
        <p className="mt-2 text-sm text-fg-subtle">
          {live
            ? "What the caller and the receptionist say appears here as they speak."
            : call.analyzed
              ? "No transcript was recorded for this call."
              : "The transcript is being prepared…"}
        </p>
      )}
    </section>
  );
}

function TranscriptLine({ message }: { message: CallTranscriptMessage }) {
  if (message.role === "tool_call") {
    return (
      <li className="flex items-center gap-3 text-xs text-fg-subtle">
        <span className="h-px flex-1 bg-line" aria-hidden="true" />
        <span>
          {toolWords(message.toolName)}
          {message.secondsFromStart !== null ? ` · ${formatOffset(message.secondsFromStart)}` : ""}
        </span>
        <span className="h-px flex-1 bg-line" aria-hidden="true" />
      </li>
    );
  }
  const caller = message.role === "user";
  return (
    <li className={cx("flex flex-col", caller ? "items-end" : "items-start")}>
      <p className="mb-1 flex items-baseline gap-2 px-1 text-xs">
        <span className="font-medium text-fg-muted">{caller ? "Caller" : "Receptionist"}</span>
        {message.secondsFromStart !== null ? <span className="text-fg-subtle tabular-nums">{formatOffset(message.secondsFromStart)}</span> : null}
      </p>
      <p
        className={cx(
          "max-w-[85%] rounded-2xl px-3.5 py-2 text-sm leading-relaxed",
          caller ? "rounded-tr-md bg-brand text-brand-fg" : "rounded-tl-md border border-line bg-surface text-fg",
        )}
      >
        {message.text}
      </p>
    </li>
  );
}
