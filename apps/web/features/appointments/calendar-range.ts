import { DateTime } from "luxon";

export type CalendarView = "day" | "week" | "list";

/** The days a view shows, from a clinic-local anchor day (weeks start on Monday). */
export function daysOf(view: CalendarView, anchor: string, timeZone: string): DateTime[] {
  const day = DateTime.fromISO(anchor, { zone: timeZone }).startOf("day");
  if (view === "day") return [day];
  const monday = day.minus({ days: day.weekday - 1 });
  return Array.from({ length: 7 }, (_, i) => monday.plus({ days: i }));
}

/** The instants the API is asked for: the first shown day's start to the day after the last. */
export function rangeOf(view: CalendarView, anchor: string, timeZone: string): { from: string; to: string } {
  const days = daysOf(view === "list" ? "week" : view, anchor, timeZone);
  return { from: days[0]!.toUTC().toISO()!, to: days[days.length - 1]!.plus({ days: 1 }).toUTC().toISO()! };
}

export function shiftAnchor(view: CalendarView, anchor: string, direction: -1 | 1): string {
  return DateTime.fromISO(anchor)
    .plus(view === "day" ? { days: direction } : { weeks: direction })
    .toISODate()!;
}

export function todayIn(timeZone: string): string {
  return DateTime.now().setZone(timeZone).toISODate()!;
}

/** Minutes since the clinic-local midnight of an instant. */
export function minutesIntoDay(iso: string, timeZone: string): number {
  const t = DateTime.fromISO(iso, { zone: timeZone });
  return t.hour * 60 + t.minute;
}

export function localDayOf(iso: string, timeZone: string): string {
  return DateTime.fromISO(iso, { zone: timeZone }).toISODate()!;
}
