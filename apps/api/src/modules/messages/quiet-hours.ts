import { DateTime } from "luxon";

/**
 * Quiet hours for patient texts, in the clinic's time zone: [start, end) as wall-clock "HH:MM"
 * (or "HH:MM:SS" as PostgreSQL prints a `time`), wrapping midnight when start > end (21:00–08:00).
 * Equal start and end means no quiet hours. Returns when sending may start, or null when it may
 * start now. DST-correct: the end is a wall-clock time on the right local day.
 */
export function quietUntil(now: Date, zone: string, start: string, end: string): Date | null {
  const minutes = (hhmm: string) => {
    const [h, m] = hhmm.split(":").map(Number) as [number, number];
    return h * 60 + m;
  };
  const s = minutes(start);
  const e = minutes(end);
  if (s === e) return null;
  const local = DateTime.fromJSDate(now).setZone(zone);
  const t = local.hour * 60 + local.minute;
  const quiet = s < e ? t >= s && t < e : t >= s || t < e;
  if (!quiet) return null;
  // The end falls today when we are before it (after midnight, or a same-day window), else tomorrow.
  const endDay = t < e ? local.startOf("day") : local.startOf("day").plus({ days: 1 });
  return DateTime.fromObject({ year: endDay.year, month: endDay.month, day: endDay.day, hour: Math.floor(e / 60), minute: e % 60 }, { zone }).toJSDate();
}
