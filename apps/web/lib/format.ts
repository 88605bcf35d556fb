import parsePhoneNumber from "libphonenumber-js/min";

/**
 * Display formatting for the dashboard. Times are shown in the clinic's time zone (the one its
 * business hours and bookings use), not the browser's.
 */

/** "+1 917 555 0107"; anything libphonenumber cannot read is shown as given. */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return "Unknown number";
  try {
    return parsePhoneNumber(phone)?.formatInternational() ?? phone;
  } catch {
    return phone;
  }
}

const integer = new Intl.NumberFormat("en-US");
export function formatCount(n: number): string {
  return integer.format(n);
}

// Call and pipeline values are in dollars; service prices use lib/money.ts (the clinic's currency).
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const moneyCents = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2 });
export function formatMoney(value: number): string {
  return Number.isInteger(value) ? money.format(value) : moneyCents.format(value);
}

export function formatPercent(value: number): string {
  return `${value.toLocaleString("en-US", { maximumFractionDigits: 1 })}%`;
}

/** "3m 05s", "45s", "1h 02m"; an em dash when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}

/** "0:42" — a position inside a recording or transcript. */
export function formatOffset(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "";
  const total = Math.max(0, Math.floor(seconds));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat("en-US", { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat("en-US", options);
  }
}

/** "Nov 23, 10:04 AM" (the year only when it is not this year). */
export function formatDateTime(iso: string, timeZone: string, now = new Date()): string {
  const d = new Date(iso);
  const sameYear = formatter(timeZone, { year: "numeric" }).format(d) === formatter(timeZone, { year: "numeric" }).format(now);
  return formatter(timeZone, { month: "short", day: "numeric", ...(sameYear ? {} : { year: "numeric" }), hour: "numeric", minute: "2-digit" }).format(d);
}

/** "Mon, Nov 23 at 10:00 AM" — for appointments. */
export function formatAppointmentTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  const day = formatter(timeZone, { weekday: "short", month: "short", day: "numeric" }).format(d);
  const time = formatter(timeZone, { hour: "numeric", minute: "2-digit" }).format(d);
  return `${day} at ${time}`;
}

/**
 * A slot as a clinic says it: "Tue 3 PM", "Tue 3:30 PM"; a week or more away (or in the past),
 * with the date: "Dec 8, 3 PM".
 */
export function formatSlotShort(iso: string, timeZone: string, now: number = Date.now()): string {
  const d = new Date(iso);
  const time = formatter(timeZone, { hour: "numeric", minute: "2-digit" }).format(d).replace(":00", "");
  const soon = d.getTime() >= now - 12 * 3_600_000 && d.getTime() < now + 6 * 86_400_000;
  const day = soon ? formatter(timeZone, { weekday: "short" }).format(d) : `${formatter(timeZone, { month: "short", day: "numeric" }).format(d)},`;
  return `${day} ${time}`;
}

export function formatTime(iso: string, timeZone: string): string {
  return formatter(timeZone, { hour: "numeric", minute: "2-digit" }).format(new Date(iso));
}

/** "Nov 3" from a clinic day "2026-11-03" (already a calendar date: no zone conversion). */
export function formatDay(day: string, options: Intl.DateTimeFormatOptions = { month: "short", day: "numeric" }): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" }).format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
}

const relative = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });

/** "just now", "4 min ago", "3 hr ago", "yesterday", then the date. */
export function formatRelative(iso: string, timeZone: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600)
    return relative
      .format(Math.round(seconds / 60), "minute")
      .replace("minutes", "min")
      .replace("minute", "min");
  if (abs < 86_400)
    return relative
      .format(Math.round(seconds / 3600), "hour")
      .replace("hours", "hr")
      .replace("hour", "hr");
  if (abs < 2 * 86_400) return relative.format(Math.round(seconds / 86_400), "day");
  return formatDateTime(iso, timeZone);
}

/** Vapi's ended reasons ("customer-ended-call") in words. */
const ENDED_REASONS: Record<string, string> = {
  "customer-ended-call": "Caller hung up",
  "assistant-ended-call": "Receptionist ended the call",
  "assistant-forwarded-call": "Transferred to the clinic",
  "assistant-said-end-call-phrase": "Receptionist ended the call",
  "customer-did-not-answer": "No answer",
  "customer-busy": "Line busy",
  voicemail: "Went to voicemail",
  "silence-timed-out": "Ended after silence",
  "exceeded-max-duration": "Reached the maximum call length",
  "twilio-failed-to-connect-call": "Could not connect",
};

export function describeEndedReason(reason: string | null): string {
  if (!reason) return "—";
  const known = ENDED_REASONS[reason];
  if (known) return known;
  const words = reason.replace(/[-_.]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
