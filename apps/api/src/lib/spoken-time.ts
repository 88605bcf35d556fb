import { DateTime, type Zone } from "luxon";
import { clinicZone } from "./zone";

/**
 * Times and days as callers say them, rewritten into the forms chrono-node reads ("half past two"
 * → "2:30", "on the twenty-first" → "March 21", "next Friday" → "March 13"), and the reading of
 * an hour said without am/pm that falls inside the clinic's hours ("at 3" → 3 PM). lib/time.ts
 * (parseDateRequest, parseStart) applies both; the rules are pinned by test/spoken-time.test.ts.
 */

/** Opening hours per weekday key ("mon"…"sun"), as lib/time.ts's BusinessHours (not imported: time.ts imports this module). */
type WeeklyHours = Partial<Record<string, { start: string; end: string }[]>>;

const SMALL_NUMBERS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};
const MINUTE_WORDS: Record<string, number> = { oh: 0, "o'clock": 0, fifteen: 15, thirty: 30, "forty-five": 45, "forty five": 45, "o five": 5 };
const PAST_WORDS: Record<string, number> = { five: 5, ten: 10, quarter: 15, "a quarter": 15, twenty: 20, "twenty-five": 25, "twenty five": 25, half: 30 };

const ORDINAL_UNITS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
};
const ORDINAL_WORDS: Record<string, number> = {
  ...ORDINAL_UNITS,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
  ...Object.fromEntries(Object.entries(ORDINAL_UNITS).map(([w, n]) => [`twenty-${w}`, 20 + n])),
  "thirty-first": 31,
};

const HOUR_WORD = `(${Object.keys(SMALL_NUMBERS).join("|")}|1[0-2]|[1-9])`;
const MONTHS = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

const hourOf = (word: string): number => SMALL_NUMBERS[word] ?? Number(word);
const pad = (n: number) => String(n).padStart(2, "0");
const monthDay = (dt: DateTime) => dt.setLocale("en-US").toFormat("LLLL d yyyy").toLowerCase();

/** The next day-of-month `n` on or after `today` (skipping months without that day). */
function nextDayOfMonth(today: DateTime, n: number): DateTime | null {
  for (let i = 0; i < 13; i++) {
    const month = today.startOf("month").plus({ months: i });
    if (n > month.daysInMonth!) continue;
    const day = month.set({ day: n });
    if (day >= today) return day;
  }
  return null;
}

/**
 * "next <weekday>": that weekday in next week (Monday to Sunday). Said on Thursday 5 March,
 * "next Monday" is 9 March and "next Friday" 13 March (tomorrow is "this Friday" or "Friday").
 */
function nextWeekday(today: DateTime, weekday: number): DateTime {
  return today.startOf("week").plus({ weeks: 1, days: weekday - 1 });
}

/** Rewrites spoken times and days into forms chrono-node reads; `now` and `zone` place ordinal and "next" days. */
export function normalizeSpokenWhen(text: string, now: Date, zone: string | Zone): string {
  const today = DateTime.fromJSDate(now).setZone(clinicZone(zone)).startOf("day");
  let s = ` ${text.toLowerCase().replace(/[’`]/g, "'").replace(/\s+/g, " ")} `;

  // Word ordinals ("twenty first", "twenty-first") to digits, only as days: "the first available" stays.
  s = s.replace(/\b(twenty|thirty)[\s-](first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)\b/g, "$1-$2");
  const ordinalWords = Object.keys(ORDINAL_WORDS)
    .sort((a, b) => b.length - a.length)
    .join("|");
  s = s.replace(new RegExp(`\\b(the|on|of) (${ordinalWords})\\b(?! (?:available|appointment|slot|time|opening|one|thing))`, "g"), (_m, lead, w) => {
    const n = ORDINAL_WORDS[w]!;
    return `${lead} ${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;
  });

  // Clock words.
  s = s.replace(/\b(noon|midday|lunchtime)\b/g, "12:00pm").replace(/\bmidnight\b/g, "12:00am");
  s = s.replace(new RegExp(`\\b(${Object.keys(PAST_WORDS).join("|")}) (?:past|after) ${HOUR_WORD}\\b`, "g"), (_m, w, h) => {
    return `${hourOf(h)}:${pad(PAST_WORDS[w]!)}`;
  });
  s = s.replace(new RegExp(`\\b(five|ten|a quarter|quarter|twenty|twenty-five|twenty five) (?:to|till|before|of) ${HOUR_WORD}\\b`, "g"), (_m, w, h) => {
    const hour = hourOf(h) === 1 ? 12 : hourOf(h) - 1;
    return `${hour}:${pad(60 - PAST_WORDS[w]!)}`;
  });
  s = s.replace(new RegExp(`\\b${HOUR_WORD} (o'clock|oh five|fifteen|thirty|forty-five|forty five)\\b`, "g"), (_m, h, w) => {
    return `${hourOf(h)}:${pad(MINUTE_WORDS[w] ?? 5)}`;
  });
  s = s.replace(/\b(1[0-2]|[1-9]) o'clock\b/g, "$1:00");
  // A bare hour word in a time position: "at two", "around four", "two pm".
  s = s.replace(new RegExp(`\\b(at|around|about|by|after|before|from) ${HOUR_WORD}\\b`, "g"), (_m, lead, h) => `${lead} ${hourOf(h)}`);
  s = s.replace(new RegExp(`\\b${HOUR_WORD} ?(am|pm|a\\.m\\.|p\\.m\\.)`, "g"), (_m, h, mer) => `${hourOf(h)}${mer.replace(/\./g, "")}`);
  // "3 in the afternoon", "10 in the morning", "7 at night".
  s = s.replace(/\b(1[0-2]|[1-9])(:\d{2})? (?:in the (morning)|in the (afternoon|evening)|at (night))\b/g, (_m, h, mm, am, pm, night) => {
    return `${h}${mm ?? ""}${am ? "am" : pm || night ? "pm" : ""}`;
  });
  // "Friday 3" / "3 on Friday": chrono reads neither; say it with "at".
  s = s.replace(new RegExp(`\\b(${WEEKDAYS.join("|")}) (1[0-2]|[1-9])(:\\d{2})?(am|pm)?\\b(?! (?:${MONTHS})\\b)`, "g"), "$1 at $2$3$4");
  s = s.replace(new RegExp(`(?:^| )(?:at )?(1[0-2]|[1-9])(:\\d{2})?(am|pm)? on (${WEEKDAYS.join("|")})\\b`, "g"), " $4 at $1$2$3");

  // "next Friday": an explicit date (chrono's reading depends on its week start).
  s = s.replace(new RegExp(`\\bnext (${WEEKDAYS.join("|")})\\b`, "g"), (_m, w) => monthDay(nextWeekday(today, WEEKDAYS.indexOf(w) + 1)));

  // Ordinal days without a month ("the 5th", "on the 21st", "Tuesday the 10th"): the next such day.
  s = s.replace(new RegExp(`(?<!(?:${MONTHS}) )\\b(?:on )?the (\\d{1,2})(?:st|nd|rd|th)\\b(?! (?:of )?(?:${MONTHS})\\b)`, "g"), (m, d) => {
    const day = nextDayOfMonth(today, Number(d));
    return day ? ` ${monthDay(day)}` : m;
  });
  s = s.replace(new RegExp(`\\b(${WEEKDAYS.join("|")}),? ((?:${MONTHS}) \\d{1,2} \\d{4})`, "g"), "$2");
  return s.replace(/\s+/g, " ").trim();
}

function openMinuteRanges(day: DateTime, hours: WeeklyHours): [number, number][] {
  const toMinutes = (hhmm: string) => {
    const [h, m] = hhmm.split(":").map(Number) as [number, number];
    return h * 60 + m;
  };
  const own = hours[(["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const)[day.weekday - 1]!] ?? [];
  // A closed day is read with the hours of the clinic's other days.
  const ranges = own.length ? own : Object.values(hours).flatMap((r) => r ?? []);
  return ranges.map((r) => [toMinutes(r.start), toMinutes(r.end)]);
}

/**
 * The 24-hour hour for "at <hour>" said without am/pm on `day`: the reading inside the clinic's
 * opening hours; when both or neither are, 7–11 are morning and 12–6 afternoon.
 */
export function resolveMeridiem(day: DateTime, hour: number, minute: number, hours: WeeklyHours): number {
  if (hour === 0 || hour >= 12) return hour;
  const ranges = openMinuteRanges(day, hours);
  const inside = [hour, hour + 12].filter((h) => ranges.some(([from, to]) => h * 60 + minute >= from && h * 60 + minute < to));
  if (inside.length === 1) return inside[0]!;
  return hour >= 7 ? hour : hour + 12;
}
