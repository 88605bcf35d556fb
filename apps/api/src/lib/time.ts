import * as chrono from "chrono-node";
import { DateTime, type Zone } from "luxon";
import { normalizeSpokenWhen, resolveMeridiem } from "./spoken-time";
import { clinicZone } from "./zone";

/**
 * Clinic-local time helpers. Everything the caller hears is in the clinic's IANA time zone;
 * everything stored is an instant. Luxon does the DST arithmetic: wall-clock times are built
 * with `DateTime.fromObject(…, { zone })`, and durations are added in absolute minutes.
 */

export const WEEKDAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];
export type BusinessHours = Partial<Record<WeekdayKey, { start: string; end: string }[]>>;
/** Hours for single dates ("2026-12-25" → [] closed, or special hours), replacing the weekday's. */
export type DateOverrides = Readonly<Record<string, { start: string; end: string }[]>>;
export type OpenInterval = { readonly start: DateTime; readonly end: DateTime };

const LOCALE = "en-US";

/** The local calendar day containing `instant`, as the start of that day in `zone`. */
export function localDay(instant: Date | DateTime, zone: string | Zone): DateTime {
  const dt = instant instanceof Date ? DateTime.fromJSDate(instant) : instant;
  return dt.setZone(clinicZone(zone)).startOf("day");
}

function wallClock(day: DateTime, hhmm: string): DateTime {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  // "24:00" closes the day: the next day's midnight (which may not be 24 hours later on a DST day).
  if (h === 24) return day.plus({ days: 1 }).startOf("day");
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: h, minute: m }, { zone: day.zone });
}

/**
 * The opening intervals of one local day as instants. On a DST change day the instants differ
 * from the neighbouring days' (09:00 is 14:00Z before and 13:00Z after the March change in New
 * York), and an interval spanning the change is an hour shorter or longer in real time. A date
 * override for that local date replaces the weekday's hours.
 */
export function openIntervalsOn(day: DateTime, hours: BusinessHours, overrides?: DateOverrides): readonly OpenInterval[] {
  const key = WEEKDAY_KEYS[day.weekday - 1]!;
  const date = day.toISODate()!;
  const spans = overrides?.[date] ?? hours[key] ?? [];
  if (spans.length === 0) return [];
  // Each wall-clock time costs luxon an Intl offset lookup, and slot search asks for the same
  // days again and again (a third of a checkAvailability's CPU, bench/tools.bench.ts): the
  // instants of a (zone, date, hours) are computed once. DateTimes are immutable, so sharing is safe.
  const cacheKey = `${day.zoneName}|${date}|${spans.map((i) => `${i.start}-${i.end}`).join(",")}`;
  const cached = openIntervalCache.get(cacheKey);
  if (cached) return cached;
  const intervals = spans
    .map((i) => ({ start: wallClock(day, i.start), end: wallClock(day, i.end) }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start.toMillis() - b.start.toMillis());
  if (openIntervalCache.size >= OPEN_INTERVAL_CACHE_SIZE) openIntervalCache.delete(openIntervalCache.keys().next().value!);
  openIntervalCache.set(cacheKey, intervals);
  return intervals;
}

const OPEN_INTERVAL_CACHE_SIZE = 20_000;
const openIntervalCache = new Map<string, OpenInterval[]>();

export function speakDay(dt: DateTime): string {
  return dt.setLocale(LOCALE).toFormat("cccc, LLLL d");
}

export function speakTime(dt: DateTime): string {
  return dt.setLocale(LOCALE).toFormat("h:mm a");
}

/** "Tuesday, March 10 at 2:00 PM" in the zone `dt` carries. */
export function speakDateTime(dt: DateTime): string {
  return `${speakDay(dt)} at ${speakTime(dt)}`;
}

/** "2026-03-10T14:00:00-04:00": the machine-usable start the assistant passes back to us. */
export function isoStart(dt: DateTime): string {
  return dt.toISO({ suppressMilliseconds: true, includeOffset: true })!;
}

/** 1440 → "24 hours", 90 → "90 minutes", 2880 → "2 days". */
export function humanDuration(minutes: number): string {
  if (minutes % 1440 === 0 && minutes >= 2880) return `${minutes / 1440} days`;
  if (minutes % 60 === 0 && minutes >= 60) return minutes === 60 ? "1 hour" : `${minutes / 60} hours`;
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

export type TimeOfDay = "morning" | "afternoon" | "after-lunch" | "evening";

export function parseTimeOfDay(text: string | undefined): TimeOfDay | undefined {
  if (!text) return undefined;
  if (/\bmorning\b/i.test(text)) return "morning";
  if (/\bafter lunch\b/i.test(text)) return "after-lunch";
  if (/\bafternoon\b|\blunch/i.test(text)) return "afternoon";
  if (/\bevening\b|\bafter work\b|\btonight\b/i.test(text)) return "evening";
  return undefined;
}

export function matchesTimeOfDay(dt: DateTime, t: TimeOfDay | undefined): boolean {
  if (!t) return true;
  if (t === "morning") return dt.hour < 12;
  if (t === "afternoon") return dt.hour >= 12 && dt.hour < 17;
  if (t === "after-lunch") return dt.hour >= 13 && dt.hour < 17;
  return dt.hour >= 17;
}

export type DateRequest = {
  /** First and last local day (inclusive), as starts of day in the clinic's zone. */
  from: DateTime;
  to: DateTime;
  /** A specific time the caller named ("Tuesday at 2pm"). */
  at?: DateTime;
};

function chronoParse(text: string, now: Date, zone: Zone) {
  const offset = zone.offset(now.getTime());
  // chrono resolves "tomorrow" / "next Tuesday" against the reference instant seen at this
  // UTC offset, i.e. on the clinic's calendar; we read back calendar components only.
  return chrono.parse(text, { instant: now, timezone: offset }, { forwardDate: true });
}

function componentsToDay(c: chrono.ParsedComponents, zone: Zone): DateTime {
  return DateTime.fromObject({ year: c.get("year")!, month: c.get("month")!, day: c.get("day")! }, { zone });
}

/**
 * A day or range in the caller's words ("tomorrow", "next Tuesday", "the 21st", "March 10",
 * "this week", "Monday to Wednesday", "2026-03-10") on the clinic's calendar, with the time
 * when one is named ("half past two", "at 3"). An hour without am/pm takes the reading inside
 * `hours` (lib/spoken-time.ts); a time without a day is today's if still ahead, else tomorrow's.
 * Null when nothing date-like is in the text.
 */
export function parseDateRequest(text: string, now: Date, zoneName: string | Zone, hours?: BusinessHours): DateRequest | null {
  const zone = clinicZone(zoneName);
  const today = localDay(now, zone);
  const lower = normalizeSpokenWhen(text, now, zone);
  if (/\bthis week\b/.test(lower)) return { from: today, to: today.endOf("week").startOf("day") };
  if (/\bnext week\b/.test(lower)) {
    const monday = today.plus({ weeks: 1 }).startOf("week");
    return { from: monday, to: monday.plus({ days: 6 }) };
  }
  if (/\b(this |the )?weekend\b/.test(lower)) {
    const saturday = today.weekday === 7 ? today : today.startOf("week").plus({ days: 5 });
    return { from: saturday < today ? today : saturday, to: saturday.plus({ days: 1 }) };
  }
  const results = chronoParse(lower, now, zone);
  if (results.length === 0) return null;
  const first = results[0]!;
  const last = results[results.length - 1]!;
  let from = componentsToDay(first.start, zone);
  const endComponents = last.end ?? (results.length > 1 ? last.start : undefined);
  let to = endComponents ? componentsToDay(endComponents, zone) : from;
  if (!from.isValid || !to.isValid) return null;
  // "Tuesday to Thursday" said on a Thursday: the end is next week's Thursday, not today.
  while (to < from && from.diff(to, "days").days <= 7) to = to.plus({ weeks: 1 });
  const request: DateRequest = { from, to: to < from ? from : to };
  if (results.length === 1 && !first.end && first.start.isCertain("hour")) {
    const c = first.start;
    const dayNamed = c.isCertain("day") || c.isCertain("weekday") || c.isCertain("month");
    const minute = c.get("minute") ?? 0;
    const hourOn = (day: DateTime) => (hours && !c.isCertain("meridiem") ? resolveMeridiem(day, c.get("hour")!, minute, hours) : c.get("hour")!);
    const atOn = (day: DateTime) => DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: hourOn(day), minute }, { zone });
    if (!dayNamed) {
      // "at 3": today's 3 o'clock if it is still ahead, else tomorrow's.
      from = atOn(today) > DateTime.fromJSDate(now) ? today : today.plus({ days: 1 });
      return { from, to: from, at: atOn(from) };
    }
    request.at = atOn(from);
  }
  return request;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * An appointment start: the ISO instant checkAvailability handed out (offset included), an ISO
 * local time (read on the clinic's clock), or words with a definite time ("Tuesday at 2pm").
 * Null when no definite date and time can be read.
 */
export function parseStart(text: string, now: Date, zoneName: string | Zone, hours?: BusinessHours): DateTime | null {
  const zone = clinicZone(zoneName);
  const trimmed = text.trim();
  if (ISO_WITH_OFFSET.test(trimmed)) {
    const dt = DateTime.fromISO(trimmed, { setZone: true });
    return dt.isValid ? dt.setZone(zone) : null;
  }
  if (ISO_LOCAL.test(trimmed)) {
    const dt = DateTime.fromISO(trimmed.replace(" ", "T"), { zone });
    return dt.isValid ? dt : null;
  }
  const request = parseDateRequest(trimmed, now, zone, hours);
  return request?.at ?? null;
}
