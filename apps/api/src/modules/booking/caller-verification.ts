/**
 * Who may learn about, or change, a patient's bookings over the phone (docs/SECURITY.md,
 * "Verified callers"). The number the call comes from (caller ID) is trusted for its own record.
 * Anything else — no caller ID (web calls, withheld numbers), or a booking made under another
 * number — needs the patient's full name as on file AND their date of birth. A recited phone
 * number or a first name is never enough.
 */
import * as chrono from "chrono-node";
import type { CountryCode } from "libphonenumber-js";
import { DateTime } from "luxon";

/** Letters-only name words: accents folded, hyphens and apostrophes split, one-letter initials dropped. */
const nameTokens = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z\s]/g, " ")
    .split(/\s+/)
    .filter((t) => t.length >= 2);

/** Whether the name the caller gave shares a word (first or last name) with the name on file: enough to recognise, never to verify. */
export function namesMatch(given: string, stored: string | null): boolean {
  if (!stored) return false;
  const storedTokens = new Set(nameTokens(stored));
  return nameTokens(given).some((t) => storedTokens.has(t));
}

/** Whether the caller gave the whole name on file (every word of it, in any order; extra middle names are fine). */
export function fullNameMatches(given: string, stored: string | null): boolean {
  if (!stored) return false;
  const storedTokens = nameTokens(stored);
  const givenTokens = new Set(nameTokens(given));
  return storedTokens.length > 0 && storedTokens.every((t) => givenTokens.has(t));
}

// Countries that write dates day first (3/4/1985 is 3 April there).
const DAY_FIRST = new Set<CountryCode>(["GB", "IE", "AU", "NZ", "IN", "ZA", "SG", "AE", "DE", "FR", "ES", "IT", "NL"]);

/**
 * A date of birth in the caller's words ("March 14, 1985", "14/03/1985", "1985-03-14", "3/14/85")
 * as YYYY-MM-DD, or null unless day, month and year were all said and it is in the past.
 */
export function parseDateOfBirth(words: string, now: Date, country: CountryCode | undefined): string | null {
  const parser = country && DAY_FIRST.has(country) ? chrono.en.GB : chrono.en;
  const [parsed] = parser.parse(words, now);
  const start = parsed?.start;
  if (!parsed || !start?.isCertain("day") || !start.isCertain("month") || !start.isCertain("year")) return null;
  let year = start.get("year")!;
  // A two-digit year ("3/14/85") is in the past century when the current one would be the future.
  if (!/\d{4}/.test(parsed.text) && year > DateTime.fromJSDate(now).year) year -= 100;
  const date = DateTime.fromObject({ year, month: start.get("month")!, day: start.get("day")! }, { zone: "UTC" });
  if (!date.isValid || date.toMillis() > now.getTime() || year < 1900) return null;
  return date.toISODate();
}

export type OnFile = { name: string | null; dateOfBirth: string | null };

export type VerificationRequest = {
  /** Caller ID in E.164, when the call has one. */
  callerNumber: string | null;
  /** The number whose record the caller asks about (E.164); null means "my own". */
  requestedNumber: string | null;
  givenName: string | undefined;
  givenDateOfBirth: string | undefined;
  now: Date;
  country: CountryCode | undefined;
};

export type Verification =
  /** The record is the caller's own (caller ID). */
  | { kind: "caller_id" }
  /** Another number (or no caller ID): the full name and date of birth on file were given. */
  | { kind: "verified" }
  /** The caller has not given what the check needs yet; ask, without saying whether a record exists. */
  | { kind: "needs_details"; missing: ("name" | "date of birth")[] }
  /** The details given do not match (or nothing is on file to match): disclose and change nothing. */
  | { kind: "refused" };

/** Whether the request needs more than caller ID (and so the full name and date of birth). */
export function needsStrongCheck(req: Pick<VerificationRequest, "callerNumber" | "requestedNumber">): boolean {
  return !req.callerNumber || (req.requestedNumber !== null && req.requestedNumber !== req.callerNumber);
}

/** The decision for one request, given what is on file for the requested number (null: no record). */
export function verifyCaller(req: VerificationRequest, onFile: OnFile | null): Verification {
  if (!needsStrongCheck(req)) return { kind: "caller_id" };
  const missing: ("name" | "date of birth")[] = [];
  if (!req.givenName || nameTokens(req.givenName).length < 2) missing.push("name");
  if (!req.givenDateOfBirth) missing.push("date of birth");
  if (missing.length > 0) return { kind: "needs_details", missing };
  const dob = parseDateOfBirth(req.givenDateOfBirth!, req.now, req.country);
  if (!onFile?.dateOfBirth || !dob) return { kind: "refused" };
  return fullNameMatches(req.givenName!, onFile.name) && dob === onFile.dateOfBirth ? { kind: "verified" } : { kind: "refused" };
}
