import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

/**
 * Phone numbers in the clinic's and caller's words ("(212) 555-0123", "+44 20 7946 0958") as
 * E.164. A number without a country code is read in `defaultCountry`. Returns null when the
 * input cannot be a phone number. "Possible" rather than "valid": callers' real numbers include
 * ranges libphonenumber's metadata may not know yet, and we never dial these.
 */
export function toE164(input: string | null | undefined, defaultCountry: CountryCode = "US"): string | null {
  if (!input) return null;
  const trimmed = input.trim();
  if (!trimmed || trimmed.length > 40) return null;
  return remembered(e164s, `${defaultCountry} ${trimmed}`, () => {
    const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry, extract: false });
    return parsed?.isPossible() ? parsed.number : null;
  });
}

/** The country of an E.164 number, when it is unambiguous. */
export function countryOf(e164: string | null | undefined): CountryCode | undefined {
  if (!e164) return undefined;
  return remembered(countries, e164, () => parsePhoneNumberFromString(e164)?.country);
}

// A parse costs tens of microseconds, and every webhook of a call reads the same two numbers
// again (the clinic line's and the caller's): 4% of a tool call's CPU (bench/tools.bench.ts).
// Both functions are pure, so their answers are remembered, a bounded number per process.
const MAX_REMEMBERED = 10_000;
const e164s = new Map<string, string | null>();
const countries = new Map<string, CountryCode | undefined>();

function remembered<V>(memo: Map<string, V>, key: string, compute: () => V): V {
  if (memo.has(key)) return memo.get(key) as V;
  const value = compute();
  if (memo.size >= MAX_REMEMBERED) memo.clear();
  memo.set(key, value);
  return value;
}

/** "+12125550123" → "(212) 555-0123" for speech and display in the number's own country style. */
export function formatPhoneForSpeech(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatNational() : e164;
}

/** A best guess at the clinic's country from its time zone, when no phone number tells us. */
export function countryForTimezone(timezone: string): CountryCode | undefined {
  if (timezone.startsWith("America/") || timezone.startsWith("US/")) return "US";
  const known: Record<string, CountryCode> = {
    "Europe/London": "GB",
    "Europe/Dublin": "IE",
    "Pacific/Auckland": "NZ",
    "Asia/Kolkata": "IN",
    "Asia/Tokyo": "JP",
    "Asia/Singapore": "SG",
    "Asia/Dubai": "AE",
    "Africa/Johannesburg": "ZA",
  };
  if (known[timezone]) return known[timezone];
  if (timezone.startsWith("Australia/")) return "AU";
  return undefined;
}
