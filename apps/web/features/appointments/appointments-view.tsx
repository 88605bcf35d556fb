"use client";

import type { AppointmentItem } from "@voxanne/contracts";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { CalendarIcon, PlusIcon, SearchIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { LoadError } from "@/components/ui/load-error";
import { useToast } from "@/components/ui/toast";
import { LiveStatusBadge } from "@/features/live/live-status";
import { ApiError, describeProblem } from "@/lib/api";
import { formatAppointmentTime, formatPhone } from "@/lib/format";
import { useLiveFeed } from "@/lib/live";
import { useSession } from "@/lib/session";
import { AppointmentDialog } from "./appointment-dialog";
import { CalendarGrid } from "./calendar";
import { type CalendarView, daysOf, rangeOf, shiftAnchor, todayIn } from "./calendar-range";
import { NewAppointmentDialog } from "./new-appointment-dialog";
import { Alternatives } from "./slot-picker";
import { isAppointmentEvent, useAppointmentActions, useAppointments } from "./use-appointments";

const SEARCH_DELAY_MS = 300;
const VIEWS: { value: CalendarView; label: string }[] = [
  { value: "day", label: "Day" },
  { value: "week", label: "Week" },
  { value: "list", label: "List" },
];

/**
 * The Appointments page: a day or week calendar (or a list) in the clinic's time zone, kept
 * current by the live feed, with booking, moving (drag, or open and pick a time), cancelling and
 * reminders.
 */
export function AppointmentsView() {
  const me = useSession();
  const timeZone = me.organization.timezone;
  const { toast } = useToast();
  // `?day=2026-03-10&view=day` opens a given day (links from a call's booking).
  const searchParams = useSearchParams();
  const linkedView = VIEWS.find((v) => v.value === searchParams.get("view"))?.value;
  const linkedDay = /^\d{4}-\d{2}-\d{2}$/.test(searchParams.get("day") ?? "") ? searchParams.get("day")! : null;
  const [view, setView] = useState<CalendarView>(linkedView ?? "week");
  const [anchor, setAnchor] = useState(() => linkedDay ?? todayIn(timeZone));
  const [searchText, setSearchText] = useState("");
  const [q, setQ] = useState("");
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [dropProblem, setDropProblem] = useState<{ message: string; alternatives: string[]; item: AppointmentItem } | null>(null);
  const { reschedule } = useAppointmentActions();

  // Phones get the day view: seven columns do not fit 375 px.
  useEffect(() => {
    if (!linkedView && window.matchMedia("(max-width: 639px)").matches) setView("day");
  }, [linkedView]);
  useEffect(() => {
    const timer = setTimeout(() => setQ(searchText.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchText]);

  const range = useMemo(() => rangeOf(view, anchor, timeZone), [view, anchor, timeZone]);
  const days = useMemo(() => daysOf(view === "list" ? "week" : view, anchor, timeZone), [view, anchor, timeZone]);
  const list = useAppointments({ ...range, q: q || undefined });
  const status = useLiveFeed({
    onEvent: (event) => {
      if (!isAppointmentEvent(event) || event.type !== "appointment.booked") return;
      const id = event.data.id;
      setFresh((s) => new Set([...s, id]));
      setTimeout(() => setFresh((s) => new Set([...s].filter((x) => x !== id))), 5000);
    },
  });

  const items = list.data?.items ?? [];
  const open = items.find((a) => a.id === openId) ?? null;

  const moveTo = (item: AppointmentItem, start: string) => {
    setDropProblem(null);
    reschedule.mutate(
      { id: item.id, start },
      {
        onSuccess: ({ appointment }) =>
          toast(`Moved ${appointment.contact?.name ?? "the appointment"} to ${formatAppointmentTime(appointment.startsAt, timeZone)}.`, { tone: "success" }),
        onError: (err) =>
          setDropProblem({
            message: describeProblem(err).message,
            alternatives: err instanceof ApiError ? (err.body?.error.alternatives ?? []) : [],
            item,
          }),
      },
    );
  };

  const title =
    view === "day"
      ? days[0]!.setLocale("en-US").toFormat("cccc, LLLL d")
      : `${days[0]!.setLocale("en-US").toFormat("LLL d")} – ${days[days.length - 1]!.setLocale("en-US").toFormat("LLL d, yyyy")}`;

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Appointments</h1>
          <p className="mt-1 text-sm text-fg-muted">Bookings from the receptionist and the front desk, in your clinic's time ({timeZone}).</p>
        </div>
        <div className="flex items-center gap-2">
          <LiveStatusBadge status={status} />
          <Button onClick={() => setCreating(true)}>
            <PlusIcon className="size-4" />
            New appointment
          </Button>
        </div>
      </header>

      <section aria-label="Choose what to show" className="flex flex-wrap items-center gap-3 rounded-2xl border border-line bg-surface p-3 shadow-xs sm:p-4">
        <fieldset className="inline-flex rounded-lg border border-line-strong p-0.5">
          <legend className="sr-only">View</legend>
          {VIEWS.map((v) => (
            <button
              key={v.value}
              type="button"
              aria-pressed={view === v.value}
              onClick={() => setView(v.value)}
              className={cx(
                "h-8 rounded-md px-3 text-sm font-medium focus-visible:outline-2 focus-visible:outline-ring",
                view === v.value ? "bg-brand text-brand-fg" : "text-fg-muted hover:text-fg",
              )}
            >
              {v.label}
            </button>
          ))}
        </fieldset>
        <div className="flex items-center gap-1">
          <Button
            variant="ghost"
            size="sm"
            aria-label={view === "day" ? "Previous day" : "Previous week"}
            onClick={() => setAnchor((a) => shiftAnchor(view, a, -1))}
          >
            ‹
          </Button>
          <Button variant="secondary" size="sm" onClick={() => setAnchor(todayIn(timeZone))}>
            Today
          </Button>
          <Button variant="ghost" size="sm" aria-label={view === "day" ? "Next day" : "Next week"} onClick={() => setAnchor((a) => shiftAnchor(view, a, 1))}>
            ›
          </Button>
        </div>
        <p className="text-sm font-semibold" aria-live="polite" data-testid="calendar-title">
          {title}
        </p>
        <div className="relative ml-auto w-full sm:w-64">
          <label htmlFor="appointments-search" className="sr-only">
            Search appointments
          </label>
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-fg-subtle" />
          <input
            id="appointments-search"
            type="search"
            value={searchText}
            maxLength={100}
            onChange={(e) => setSearchText(e.target.value)}
            placeholder="Patient, number or service"
            className="block h-9 w-full rounded-lg border border-line-strong bg-surface pr-3 pl-9 text-sm shadow-xs focus:border-brand focus:ring-[3px] focus:ring-brand/20 focus:outline-none"
          />
        </div>
      </section>

      {dropProblem ? (
        <Alert tone="danger" title="Not moved">
          {dropProblem.message}
          <Alternatives starts={dropProblem.alternatives} timeZone={timeZone} onPick={(s) => moveTo(dropProblem.item, s)} />
        </Alert>
      ) : null}

      {list.isPending ? (
        <div aria-busy="true" className="h-96 animate-pulse rounded-2xl border border-line bg-surface-muted">
          <p role="status" className="sr-only">
            Loading appointments…
          </p>
        </div>
      ) : list.isError ? (
        <LoadError title="We couldn't load your appointments" message={describeProblem(list.error).message} onRetry={() => void list.refetch()} />
      ) : view === "list" ? (
        <AppointmentList items={items} timeZone={timeZone} onOpen={(a) => setOpenId(a.id)} onCreate={() => setCreating(true)} filtered={q !== ""} />
      ) : (
        <>
          {items.length === 0 ? (
            <p className="text-sm text-fg-muted" data-testid="calendar-empty">
              {q ? "No appointments match your search in these days." : "No appointments in these days yet. Bookings from calls appear here as they happen."}
            </p>
          ) : null}
          <CalendarGrid days={days} items={items} timeZone={timeZone} onOpen={(a) => setOpenId(a.id)} onDropAt={moveTo} fresh={fresh} />
        </>
      )}

      <AppointmentDialog appointment={open} timeZone={timeZone} onClose={() => setOpenId(null)} onMoved={(next) => setOpenId(next.id)} />
      <NewAppointmentDialog
        open={creating}
        onClose={() => setCreating(false)}
        timeZone={timeZone}
        initialDay={anchor < todayIn(timeZone) ? todayIn(timeZone) : anchor}
      />
    </div>
  );
}

function AppointmentList({
  items,
  timeZone,
  onOpen,
  onCreate,
  filtered,
}: {
  items: AppointmentItem[];
  timeZone: string;
  onOpen: (a: AppointmentItem) => void;
  onCreate: () => void;
  filtered: boolean;
}) {
  if (items.length === 0) {
    return (
      <div className="rounded-2xl border border-dashed border-line-strong p-8 text-center">
        <CalendarIcon className="mx-auto size-8 text-fg-subtle" />
        <p className="mt-2 font-medium">{filtered ? "Nothing matches your search this week" : "No appointments this week"}</p>
        <Button className="mt-4" variant="secondary" onClick={onCreate}>
          Book one by hand
        </Button>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-line rounded-2xl border border-line bg-surface shadow-xs" data-testid="appointment-list">
      {items.map((a) => (
        <li key={a.id} className="flex flex-wrap items-center gap-3 px-4 py-3">
          <button type="button" onClick={() => onOpen(a)} className="min-w-0 flex-1 text-left focus-visible:outline-2 focus-visible:outline-ring">
            <span className="block font-medium">{a.contact?.name ?? "Patient"}</span>
            <span className="block text-sm text-fg-muted">
              {formatAppointmentTime(a.startsAt, timeZone)} · {a.service?.name ?? "Appointment"}
            </span>
          </button>
          {a.contact ? (
            <a href={`tel:${a.contact.phone}`} className="text-sm font-medium text-brand-text hover:underline">
              {formatPhone(a.contact.phone)}
            </a>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
