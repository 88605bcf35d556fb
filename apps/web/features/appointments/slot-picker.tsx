"use client";

import { useId } from "react";
import { Spinner } from "@/components/ui/spinner";
import { cx } from "@/components/ui/cx";
import { describeProblem } from "@/lib/api";
import { formatTime } from "@/lib/format";
import { useSlots } from "./use-appointments";

/**
 * A day and the free starts on it (GET /api/appointments/slots: the booking engine's own rules),
 * as a group of toggle buttons: Tab to the group, Enter or Space to pick.
 */
export function SlotPicker({
  day,
  onDayChange,
  serviceId,
  excludeAppointmentId,
  value,
  onChange,
  timeZone,
  error,
}: {
  day: string;
  onDayChange: (day: string) => void;
  serviceId?: string;
  excludeAppointmentId?: string;
  value: string;
  onChange: (start: string) => void;
  timeZone: string;
  error?: string;
}) {
  const dayId = useId();
  const slots = useSlots(day || null, serviceId, excludeAppointmentId);
  return (
    <div className="space-y-3">
      <div className="space-y-1.5">
        <label htmlFor={dayId} className="block text-sm font-medium">
          Day
        </label>
        <input
          id={dayId}
          type="date"
          value={day}
          onChange={(e) => onDayChange(e.target.value)}
          className="block h-10 w-full rounded-lg border border-line-strong bg-surface px-3 text-sm text-fg shadow-xs focus:border-brand focus:ring-[3px] focus:ring-brand/20 focus:outline-none"
        />
      </div>
      <fieldset aria-describedby={error ? `${dayId}-error` : undefined}>
        <legend className="mb-1.5 text-sm font-medium">Time</legend>
        {!day ? (
          <p className="text-sm text-fg-subtle">Pick a day to see the free times.</p>
        ) : slots.isPending ? (
          <p className="flex items-center gap-2 text-sm text-fg-muted" role="status">
            <Spinner /> Finding free times…
          </p>
        ) : slots.isError ? (
          <p className="text-sm text-danger" role="alert">
            {describeProblem(slots.error).message}
          </p>
        ) : slots.data.slots.length === 0 ? (
          <p className="text-sm text-fg-muted">No free times that day (closed, fully booked, or too soon). Try another day.</p>
        ) : (
          <div className="grid grid-cols-3 gap-2 sm:grid-cols-4" data-testid="slot-picker">
            {slots.data.slots.map((start) => (
              <button
                key={start}
                type="button"
                aria-pressed={value === start}
                data-start={start}
                onClick={() => onChange(start)}
                className={cx(
                  "h-9 rounded-lg border text-sm font-medium tabular-nums focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
                  value === start ? "border-brand bg-brand text-brand-fg" : "border-line-strong bg-surface hover:bg-surface-muted",
                )}
              >
                {formatTime(start, timeZone)}
              </button>
            ))}
          </div>
        )}
        {error ? (
          <p id={`${dayId}-error`} className="mt-1.5 text-sm text-danger">
            {error}
          </p>
        ) : null}
      </fieldset>
    </div>
  );
}

/** After a 409: the next free starts the API offered, one click to take one. */
export function Alternatives({ starts, timeZone, onPick }: { starts: string[]; timeZone: string; onPick: (start: string) => void }) {
  if (starts.length === 0) return null;
  return (
    <div className="mt-2 flex flex-wrap gap-2" data-testid="alternatives">
      {starts.map((s) => (
        <button
          key={s}
          type="button"
          onClick={() => onPick(s)}
          className="h-8 rounded-lg border border-line-strong bg-surface px-3 text-sm hover:bg-surface-muted focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
        >
          {new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }).format(
            new Date(s),
          )}
        </button>
      ))}
    </div>
  );
}
