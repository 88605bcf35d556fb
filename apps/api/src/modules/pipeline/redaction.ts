import { SENSITIVE_TOOL_ARGUMENTS } from "@voxanne/contracts";
/**
 * PII redaction for call transcripts, applied before anything is stored or logged.
 *
 * - Card numbers: 13–19 digits, in any grouping by spaces, dashes or dots (4-4-4-4, Amex's
 *   4-6-5, one digit at a time) or spelled out as words ("four one one one …"), redacted only when
 *   the Luhn checksum holds — order numbers, phone numbers and dates stay readable.
 * - SSNs: 3-2-4 digits with dashes, spaces or dots anywhere; nine bare digits only when the
 *   caller is talking about a social security number (a bare 9-digit number is usually not one).
 * - Dates of birth: a date (numeric or spelled-out month) within a few words after a birth
 *   phrase ("date of birth", "DOB", "born on", "birthday"). Appointment dates are left alone.
 *
 * Transcripts come from speech-to-text, so numbers arrive as digits, sometimes spaced out
 * ("4 1 1 1 …"); both forms are handled.
 */

export const REDACTED = {
  card: "[REDACTED CARD]",
  ssn: "[REDACTED SSN]",
  dob: "[REDACTED DOB]",
} as const;

export type RedactionCounts = { card: number; ssn: number; dob: number };

export function luhnValid(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// Runs of digits separated by single spaces, dashes or dots, 13–19 digits in all.
// A run inside a longer digit sequence (two phone numbers read out together) is not a card.
const CARD_CANDIDATE = /(?<![\d.-]|\d[ ])\d(?:[ .-]?\d){12,18}(?![\d-]|[ .]\d)/g;
// The same, spelled out by speech-to-text: "four one one one …" (13–19 digit words, nothing more).
const DIGIT_WORD: Record<string, string> = {
  zero: "0",
  oh: "0",
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
};
const DIGIT_WORDS = "(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)";
const SPELLED_CARD = new RegExp(`(?<!${DIGIT_WORDS}[\\s,-]+)\\b${DIGIT_WORDS}(?:[\\s,-]+${DIGIT_WORDS}){12,18}\\b(?![\\s,-]+${DIGIT_WORDS}\\b)`, "gi");
const SSN_GROUPED = /(?<![\d-])\d{3}([- .])\d{2}\1\d{4}(?![\d-])/g;
const SSN_CONTEXT = /\b(?:ssn|s\.s\.n\.?|social(?:\s+security)?(?:\s+(?:number|no\.?|#))?)\b/i;
const NINE_DIGITS = /(?<![\d-])\d(?:[ ]?\d){8}(?![\d-])/g;

const MONTHS = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const ORDINAL_DAY = "(?:[0-2]?\\d|3[01])(?:st|nd|rd|th)?";
const YEAR = "(?:19|20)\\d{2}";
// The date forms a caller (or speech-to-text) produces for a birth date.
const DATE_FORMS = [
  `\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})`, // 03/14/1985, 14.03.85
  `${YEAR}[/.-]\\d{1,2}[/.-]\\d{1,2}`, // 1985-03-14, 1985/03/14
  `(?:${MONTHS})\\.?\\s+${ORDINAL_DAY}(?:,?\\s*(?:${YEAR}|'?\\d{2}))?`, // March 14th, 1985 / March 14
  `(?:the\\s+)?${ORDINAL_DAY}\\s+(?:of\\s+)?(?:${MONTHS})\\.?(?:,?\\s*(?:${YEAR}|'?\\d{2}))?`, // 14th of March 1985
  `(?:${MONTHS})\\.?\\s+${YEAR}`, // March 1985
].join("|");
const DOB_CONTEXT = "(?:date\\s+of\\s+birth|d\\.?\\s?o\\.?\\s?b\\.?|birth\\s*date|birthday|born(?:\\s+(?:on|in))?)";
// The birth phrase, then up to ~6 short words ("is", "it's", "uh", "on the"), then the date.
const DOB = new RegExp(`(\\b${DOB_CONTEXT}(?![a-z])[\\s:,-]*(?:[a-z']{1,6}[\\s,:-]+){0,6}?)(${DATE_FORMS})\\b`, "gi");

export function redactText(input: string, counts: RedactionCounts = { card: 0, ssn: 0, dob: 0 }): string {
  if (!input) return input;
  let text = input;

  text = text.replace(CARD_CANDIDATE, (match) => {
    const digits = match.replace(/\D/g, "");
    if (!luhnValid(digits)) return match;
    counts.card++;
    return REDACTED.card;
  });

  text = text.replace(SPELLED_CARD, (match) => {
    const digits = match
      .toLowerCase()
      .split(/[\s,-]+/)
      .map((w) => DIGIT_WORD[w] ?? "")
      .join("");
    if (!luhnValid(digits)) return match;
    counts.card++;
    return REDACTED.card;
  });

  text = text.replace(SSN_GROUPED, () => {
    counts.ssn++;
    return REDACTED.ssn;
  });

  // Bare nine digits count as an SSN only in a sentence about one.
  if (SSN_CONTEXT.test(text)) {
    text = text.replace(NINE_DIGITS, (match, offset: number) => {
      const before = text.slice(Math.max(0, offset - 80), offset);
      if (!SSN_CONTEXT.test(before)) return match;
      counts.ssn++;
      return REDACTED.ssn;
    });
  }

  text = text.replace(DOB, (_m, lead: string) => {
    counts.dob++;
    return `${lead}${REDACTED.dob}`;
  });
  return text;
}

/**
 * Redacts every string inside a JSON-like value (messages, tool arguments and results), keeping
 * its shape. Returns a new value; the input is not modified.
 */
export function redactDeep<T>(value: T, counts: RedactionCounts = { card: 0, ssn: 0, dob: 0 }): T {
  if (typeof value === "string") return redactText(value, counts) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, counts)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v, counts);
    return out as T;
  }
  return value;
}

/**
 * Tool arguments with their verification secrets (a date of birth given to prove who the caller
 * is; SENSITIVE_TOOL_ARGUMENTS in packages/contracts/src/vapi-tools.ts) replaced, at any depth.
 */
export function maskSensitiveArguments<T>(args: T): T {
  if (Array.isArray(args)) return args.map((v) => maskSensitiveArguments(v)) as T;
  if (!args || typeof args !== "object") return args;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args as Record<string, unknown>)) out[k] = SENSITIVE_TOOL_ARGUMENTS.has(k) ? REDACTED.dob : maskSensitiveArguments(v);
  return out as T;
}
