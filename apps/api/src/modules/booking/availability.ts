import { DateTime } from "luxon";
import type { Clinic } from "../clinic/types";
import { matchesTimeOfDay, openIntervalsOn, type TimeOfDay } from "../../lib/time";
import { clinicZone } from "../../lib/zone";

/**
 * Pure slot arithmetic (no I/O), so the rules are easy to test and the database work stays one
 * range query. Candidate starts step through each opening interval by the clinic's slot length,
 * in absolute minutes from the interval's real start: DST days come out right because the
 * interval ends are built from wall-clock times in the clinic's zone.
 */

export type BookingRules = Pick<
  Clinic,
  "timezone" | "businessHours" | "slotMinutes" | "bufferBeforeMinutes" | "bufferAfterMinutes" | "minBookingNoticeMinutes"
> &
  Partial<Pick<Clinic, "dateOverrides">>;

/** An existing appointment's busy span (buffers included), epoch milliseconds, half-open. */
export type BusyRange = { start: number; end: number };

export const MAX_SEARCH_DAYS = 14;

export function overlapsAny(span: BusyRange, busy: BusyRange[]): boolean {
  return busy.some((b) => b.start < span.end && span.start < b.end);
}

/** The earliest start the notice rule allows. */
export function earliestStart(rules: BookingRules, now: Date): number {
  return now.getTime() + rules.minBookingNoticeMinutes * 60_000;
}

/** Whether [start, start + duration) lies inside one opening interval of its local day. */
export function withinOpenHours(rules: BookingRules, start: DateTime, durationMinutes: number): boolean {
  const local = start.setZone(clinicZone(rules.timezone));
  const end = local.plus({ minutes: durationMinutes });
  return openIntervalsOn(local.startOf("day"), rules.businessHours, rules.dateOverrides).some((i) => local >= i.start && end <= i.end);
}

export function isOpenAt(rules: Pick<BookingRules, "timezone" | "businessHours" | "dateOverrides">, instant: Date): boolean {
  const local = DateTime.fromJSDate(instant).setZone(clinicZone(rules.timezone));
  return openIntervalsOn(local.startOf("day"), rules.businessHours, rules.dateOverrides).some((i) => local >= i.start && local < i.end);
}

export type SlotSearch = {
  /** First and last local day to search (inclusive), starts of day in the clinic's zone. */
  fromDay: DateTime;
  toDay: DateTime;
  durationMinutes: number;
  busy: BusyRange[];
  now: Date;
  timeOfDay?: TimeOfDay;
  /** Only starts at or after this instant. */
  notBefore?: DateTime;
  limit: number;
  /** At most this many per day, so a range offers a spread of days. */
  perDay?: number;
};

/** Free starts in order, as DateTimes in the clinic's zone. */
export function findSlots(rules: BookingRules, search: SlotSearch): DateTime[] {
  const slots: DateTime[] = [];
  const earliest = Math.max(earliestStart(rules, search.now), search.notBefore?.toMillis() ?? -Infinity);
  const lastDay = search.toDay.toMillis();
  const step = rules.slotMinutes * 60_000;
  const length = search.durationMinutes * 60_000;
  const before = rules.bufferBeforeMinutes * 60_000;
  const after = rules.bufferAfterMinutes * 60_000;
  const zone = clinicZone(rules.timezone);
  for (let day = search.fromDay; day.toMillis() <= lastDay && slots.length < search.limit; day = day.plus({ days: 1 }).startOf("day")) {
    let today = 0;
    for (const interval of openIntervalsOn(day, rules.businessHours, rules.dateOverrides)) {
      const closes = interval.end.toMillis();
      // Plain epoch arithmetic in the loop (a luxon DateTime per candidate costs an Intl offset
      // lookup); only the slots we return become DateTimes in the clinic's zone.
      for (let start = interval.start.toMillis(); start + length <= closes; start += step) {
        if (slots.length >= search.limit || (search.perDay && today >= search.perDay)) break;
        if (start < earliest) continue;
        if (overlapsAny({ start: start - before, end: start + length + after }, search.busy)) continue;
        const slot = DateTime.fromMillis(start, { zone });
        if (!matchesTimeOfDay(slot, search.timeOfDay)) continue;
        slots.push(slot);
        today++;
      }
    }
  }
  return slots;
}

/** Why a day has no slots, for a speakable answer. */
export function closedOn(rules: BookingRules, day: DateTime): boolean {
  return openIntervalsOn(day, rules.businessHours, rules.dateOverrides).length === 0;
}
