import type { CountryCode } from "libphonenumber-js";
import { countryForTimezone, countryOf } from "../../lib/phone";

/**
 * Medical-emergency phrases in what the caller told the assistant (tool arguments are the
 * caller's words paraphrased by the model). Deliberately biased towards false positives: telling
 * someone with a headache to call 911 is cheap; booking a stroke into next Tuesday is not.
 */
const EMERGENCY_PATTERNS: { label: string; pattern: RegExp }[] = [
  { label: "chest pain", pattern: /\bchest (pain|pains|tightness|pressure)\b|\bpain in (my|his|her|their) chest\b|\bheart attack\b/i },
  {
    label: "trouble breathing",
    pattern:
      /\b(can ?not|can'?t|cannot|could ?n'?t|unable to|struggling to|hard to) (breathe|breath)\b|\b(not|stopped) breathing\b|\b(trouble|difficulty|difficult) breathing\b|\bchoking\b/i,
  },
  {
    label: "severe bleeding",
    pattern:
      /\b(severe|heavy|heavily|uncontrolled|profuse|profusely|massive) bleed(ing)?\b|\bbleeding (heavily|a lot|badly|profusely|everywhere)\b|\bwon'?t stop bleeding\b|\bbleeding (that )?(won'?t|will not) stop\b/i,
  },
  { label: "unconscious", pattern: /\bunconscious\b|\bunresponsive\b|\bpassed out\b|\bnot waking up\b|\bwon'?t wake up\b|\bcollapsed\b/i },
  { label: "overdose", pattern: /\boverdos(e|ed|ing)\b|\btook too many (pills|tablets)\b/i },
  { label: "suicidal", pattern: /\bsuicid(e|al)\b|\bkill (my|him|her)self\b|\bend (my|his|her) life\b|\bwant to die\b|\bself[- ]harm\b/i },
  {
    label: "stroke signs",
    pattern: /\bstroke\b|\bface (is )?droop(ing|s)?\b|\bdrooping face\b|\bslurred speech\b|\bslurring (my|his|her)? ?words\b|\bsudden (numbness|weakness)\b/i,
  },
  {
    label: "anaphylaxis",
    pattern: /\banaphyla(xis|ctic)\b|\bthroat (is )?(closing|swelling|swollen)\b|\b(tongue|lips?) (is |are )?swelling\b|\bsevere allergic reaction\b/i,
  },
  { label: "seizure", pattern: /\bseizure\b|\bconvuls(ing|ion|ions)\b/i },
];

/** The first emergency found in the texts, as a short label ("chest pain"), or null. */
export function detectEmergency(texts: string[]): string | null {
  for (const text of texts) {
    for (const { label, pattern } of EMERGENCY_PATTERNS) if (pattern.test(text)) return label;
  }
  return null;
}

/** Every string in a value (tool arguments, however nested), for the emergency screen. */
export function screenedTexts(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 5) return out;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) screenedTexts(v, out, depth + 1);
  else if (value && typeof value === "object") for (const v of Object.values(value)) screenedTexts(v, out, depth + 1);
  return out;
}

// The number to dial in an emergency; 112 works across the EU and on most GSM phones elsewhere.
const EMERGENCY_NUMBERS: Partial<Record<CountryCode, string>> = {
  US: "911",
  CA: "911",
  PR: "911",
  MX: "911",
  GB: "999",
  IE: "112",
  AU: "000",
  NZ: "111",
  IN: "112",
  ZA: "112",
  JP: "119",
  SG: "995",
  AE: "999",
};

/** 112 reaches emergency services from any GSM mobile, so it is the fallback for unknown countries. */
function emergencyNumberFor(country: CountryCode | undefined): string {
  return (country && EMERGENCY_NUMBERS[country]) || "112";
}

/** The local emergency number: by the clinic line's country, else its time zone, else the caller's number. */
export function emergencyNumberForCall(call: { clinicLine: string | null; timezone: string; callerNumber: string | null }): string {
  return emergencyNumberFor(countryOf(call.clinicLine) ?? countryForTimezone(call.timezone) ?? countryOf(call.callerNumber));
}
