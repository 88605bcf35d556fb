"use client";

import type { AppointmentItem } from "@voxanne/contracts";
import { DateTime } from "luxon";
import { useState } from "react";
import { cx } from "@/components/ui/cx";
import { formatTime } from "@/lib/format";
import { localDayOf, minutesIntoDay } from "./calendar-range";

const HOUR_PX = 56;
const SLOT_MINUTES = 30;

/**
 * A day or week grid in the clinic's time zone. Each appointment is a button (click or Enter to
 * open it); it can also be dragged onto another half hour to move it, which asks the API — the
 * booking engine decides, and a refusal comes back with the next free times.
 */
export function CalendarGrid({
  days,
  items,
  timeZone,
  onOpen,
  onDropAt,
  fresh,
}: {
  days: DateTime[];
  items: AppointmentItem[];
  timeZone: string;
  onOpen: (a: AppointmentItem) => void;
  onDropAt: (a: AppointmentItem, start: string) => void;
  fresh: ReadonlySet<string>;
}) {
  const [dragging, setDragging] = useState<string | null>(null);
  // Show at least 8:00–18:00, widened to fit any appointment outside it.
  const minutes = items.flatMap((a) => [minutesIntoDay(a.startsAt, timeZone), minutesIntoDay(a.endsAt, timeZone) || 24 * 60]);
  const firstHour = Math.min(8, ...minutes.map((m) => Math.floor(m / 60)));
  const lastHour = Math.max(18, ...minutes.map((m) => Math.ceil(m / 60)));
  const hours = Array.from({ length: lastHour - firstHour }, (_, i) => firstHour + i);
  const today = DateTime.now().setZone(timeZone).toISODate();
  const byDay = new Map<string, AppointmentItem[]>();
  for (const a of items) {
    const key = localDayOf(a.startsAt, timeZone);
    byDay.set(key, [...(byDay.get(key) ?? []), a]);
  }

  return (
    <div className="overflow-x-auto rounded-2xl border border-line bg-surface shadow-xs" data-testid="calendar">
      <div className="grid min-w-full" style={{ gridTemplateColumns: `3.5rem repeat(${days.length}, minmax(${days.length > 1 ? "6.5rem" : "0"}, 1fr))` }}>
        <div className="sticky left-0 z-10 border-b border-line bg-surface" />
        {days.map((d) => (
          <div
            key={d.toISODate()}
            className={cx(
              "border-b border-l border-line px-2 py-2 text-center text-xs font-medium",
              d.toISODate() === today ? "text-brand-text" : "text-fg-muted",
            )}
          >
            <span className="block uppercase">{d.setLocale("en-US").toFormat("ccc")}</span>
            <span className="text-base font-semibold text-fg">{d.day}</span>
          </div>
        ))}
        <div className="sticky left-0 z-10 bg-surface">
          {hours.map((h) => (
            <div key={h} className="relative border-line text-right text-[11px] text-fg-subtle" style={{ height: HOUR_PX }}>
              <span className="absolute -top-2 right-2">{DateTime.fromObject({ hour: h }).toFormat("h a")}</span>
            </div>
          ))}
        </div>
        {days.map((d) => {
          const key = d.toISODate()!;
          return (
            <section key={key} className="relative border-l border-line" aria-label={d.setLocale("en-US").toFormat("cccc, LLLL d")}>
              {hours.flatMap((h) =>
                [0, SLOT_MINUTES].map((m) => {
                  const at = d.set({ hour: h, minute: m });
                  return (
                    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for the mouse; by keyboard an appointment is moved from its dialog
                    <div
                      key={`${h}:${m}`}
                      data-slot={at.toISO()}
                      className={cx("border-line", m === 0 ? "border-t" : "border-t border-dashed border-line/60", dragging && "hover:bg-brand-soft")}
                      style={{ height: HOUR_PX / 2 }}
                      onDragOver={(e) => {
                        if (dragging) e.preventDefault();
                      }}
                      onDrop={(e) => {
                        e.preventDefault();
                        const moved = items.find((a) => a.id === e.dataTransfer.getData("text/appointment-id"));
                        setDragging(null);
                        if (moved) onDropAt(moved, at.toISO({ suppressMilliseconds: true })!);
                      }}
                    />
                  );
                }),
              )}
              {(byDay.get(key) ?? []).map((a) => {
                const top = ((minutesIntoDay(a.startsAt, timeZone) - firstHour * 60) * HOUR_PX) / 60;
                const height = Math.max(22, ((Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000) * (HOUR_PX / 60) - 2);
                const cancelled = a.status === "cancelled";
                return (
                  <button
                    key={a.id}
                    type="button"
                    draggable={!cancelled}
                    onDragStart={(e) => {
                      e.dataTransfer.setData("text/appointment-id", a.id);
                      e.dataTransfer.effectAllowed = "move";
                      setDragging(a.id);
                    }}
                    onDragEnd={() => setDragging(null)}
                    onClick={() => onOpen(a)}
                    data-testid="calendar-appointment"
                    data-appointment-id={a.id}
                    className={cx(
                      "absolute inset-x-1 overflow-hidden rounded-md border px-1.5 py-0.5 text-left text-xs leading-tight shadow-xs focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring",
                      cancelled
                        ? "border-line bg-surface-muted text-fg-subtle line-through"
                        : "border-brand/40 bg-brand-soft text-brand-text hover:border-brand",
                      fresh.has(a.id) && "ring-2 ring-success",
                    )}
                    style={{ top, height }}
                  >
                    <span className="block truncate font-semibold">{a.contact?.name ?? "Patient"}</span>
                    <span className="block truncate">
                      {formatTime(a.startsAt, timeZone)} · {a.service?.name ?? "Appointment"}
                    </span>
                  </button>
                );
              })}
            </section>
          );
        })}
      </div>
    </div>
  );
}
