/**
 * Lead score, temperature and status for one call. The rules are written down for clinic staff in
 * docs/LEAD_SCORING.md; keep the two in step (test/lead-labels.test.ts plays the worked examples).
 */
import { detectEmergency } from "../emergency/detect";
import type { SentimentResult } from "./sentiment";

export type ServiceCatalogEntry = { id: string; name: string; price: number; keywords: string[] };
export type ServiceInterest = { id: string; name: string; price: number };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Services the caller named (their words, or the service argument of a tool call), priciest first. */
export function matchServices(texts: string[], catalog: ServiceCatalogEntry[]): ServiceInterest[] {
  const haystack = texts.join(" \n ").toLowerCase();
  const found: ServiceInterest[] = [];
  for (const s of catalog) {
    const terms = [s.name.toLowerCase(), ...s.keywords];
    const hit = terms.some((t) => t && new RegExp(`(?<![a-z])${escapeRegExp(t)}(?![a-z])`, "i").test(haystack));
    if (hit) found.push({ id: s.id, name: s.name, price: s.price });
  }
  return found.sort((a, b) => b.price - a.price || a.name.localeCompare(b.name));
}

const BOOKING_INTENT = /\b(book|booking|appointment|schedule|reschedule|available|availability|opening|openings|come in|slot|see the doctor|see someone)\b/i;
const PRICE_INQUIRY = /\b(how much|price|prices|pricing|cost|costs|quote|afford|payment plan|financing|fee|fees)\b/i;
const SOON = /\b(asap|as soon as possible|urgent|urgently|right away|today|tonight|tomorrow|this week|soonest|earliest)\b/i;
const NOT_NOW = /\b(just (looking|browsing|curious|wondering)|no rush|not sure yet|thinking about it|maybe next (month|year)|some ?time next year)\b/i;
const NOT_INTERESTED = /\b(not interested|wrong number|no thanks|no thank you|stop calling|remove me|take me off|don'?t call)\b/i;

export type CallSignals = {
  emergency: string | null;
  urgency: "low" | "normal" | "high";
  bookingIntent: boolean;
  priceInquiry: boolean;
  notInterested: boolean;
};

export function callSignals(callerTexts: string[], extraEmergency: boolean): CallSignals {
  const text = callerTexts.join("\n");
  const emergency = detectEmergency(callerTexts) ?? (extraEmergency ? "reported during the call" : null);
  const urgency = emergency || SOON.test(text) ? "high" : NOT_NOW.test(text) ? "low" : "normal";
  return {
    emergency,
    urgency,
    bookingIntent: BOOKING_INTENT.test(text),
    priceInquiry: PRICE_INQUIRY.test(text),
    notInterested: NOT_INTERESTED.test(text),
  };
}

export type LeadInputs = {
  signals: CallSignals;
  interests: ServiceInterest[];
  booked: boolean;
  cancelledWithoutRebooking: boolean;
  durationSeconds: number | null;
  sentiment: SentimentResult;
  returningCaller: boolean;
};

export type Temperature = "hot" | "warm" | "cold";
export type LeadScore = { score: number; temperature: Temperature; reasons: string[] };

export const HOT_LEAD_THRESHOLD = 70;
export const WARM_LEAD_THRESHOLD = 40;

/** The temperature band of a score alone (docs/LEAD_SCORING.md, "Temperature"). */
export function temperatureOf(score: number): Temperature {
  return score >= HOT_LEAD_THRESHOLD ? "hot" : score >= WARM_LEAD_THRESHOLD ? "warm" : "cold";
}

/**
 * Hot means "needs a human soon" (docs/LEAD_SCORING.md, "Temperature"): an emergency always does;
 * a call that booked does not — the patient has what they called for — so it is at most warm.
 */
export function leadTemperature(score: number, call: { booked: boolean; emergency: boolean }): Temperature {
  if (call.emergency) return "hot";
  const band = temperatureOf(score);
  return call.booked && band === "hot" ? "warm" : band;
}

/** docs/LEAD_SCORING.md, table "Points". */
export function scoreLead(input: LeadInputs): LeadScore {
  const reasons: string[] = [];
  let score = 10;
  const add = (points: number, reason: string) => {
    score += points;
    reasons.push(`${points > 0 ? "+" : ""}${points} ${reason}`);
  };
  const top = input.interests[0];
  if (top) {
    add(20, `asked about ${top.name}`);
    if (top.price >= 5000) add(20, "high-value treatment (≥ $5,000)");
    else if (top.price >= 1000) add(15, "high-value treatment (≥ $1,000)");
  }
  // "I need to cancel my appointment" mentions an appointment but is no buying signal.
  if (input.signals.bookingIntent && !input.cancelledWithoutRebooking) add(15, "wanted an appointment");
  if (input.signals.priceInquiry) add(10, "asked about price");
  if (input.booked) add(25, "booked on the call");
  const duration = input.durationSeconds ?? 0;
  if (duration >= 60) add(10, "talked for a minute or more");
  if (duration >= 180) add(5, "talked for three minutes or more");
  if (input.durationSeconds !== null && duration < 15) add(-20, "hung up within 15 seconds");
  if (input.signals.urgency === "high" && !input.signals.emergency) add(10, "wants it soon");
  if (input.sentiment.label === "positive") add(10, "positive conversation");
  if (input.sentiment.label === "negative") add(-10, "negative conversation");
  if (input.returningCaller) add(5, "returning caller");
  if (input.signals.notInterested) add(-40, "not interested / wrong number");
  if (input.cancelledWithoutRebooking) add(-20, "cancelled without rebooking");
  const clamped = Math.max(0, Math.min(100, score));
  const emergency = input.signals.emergency !== null;
  if (emergency) reasons.push("emergency: needs a person now");
  else if (input.booked && clamped >= HOT_LEAD_THRESHOLD) reasons.push("booked: nobody needs to call back");
  return { score: clamped, temperature: leadTemperature(clamped, { booked: input.booked, emergency }), reasons };
}

export type LeadStatus = "new" | "contacted" | "booked" | "lost";

/** new → contacted → booked / lost (docs/LEAD_SCORING.md, "Lead status"). */
export function nextLeadStatus(current: LeadStatus | null, input: { booked: boolean; cancelledWithoutRebooking: boolean; notInterested: boolean }): LeadStatus {
  if (input.booked) return "booked";
  if (input.cancelledWithoutRebooking || input.notInterested) return "lost";
  if (current === "booked") return "booked"; // still has an appointment; a question doesn't undo that
  return "contacted";
}

/**
 * Should the clinic get a hot-lead alert? For every hot lead (never one that booked: see
 * leadTemperature), except an emergency a tool flagged during the call: the clinic was texted
 * about it then (jobs/emergency-alert.ts), and one emergency is one text.
 */
export function wantsHotLeadAlert(score: LeadScore, call: { booked: boolean; emergencyAlerted: boolean }): boolean {
  return score.temperature === "hot" && !call.booked && !call.emergencyAlerted;
}

/**
 * What a call adds to the pipeline (docs/LEAD_SCORING.md, "Value"): a booking is worth its
 * appointments' prices (else the service asked about, else a consultation); an open enquiry the
 * priciest service asked about; an emergency or a cancellation without rebooking nothing — neither
 * is a sale in the making.
 */
export function callValue(input: {
  booked: boolean;
  emergency: boolean;
  cancelledWithoutRebooking: boolean;
  bookedPrices: number[];
  interests: ServiceInterest[];
  consultationPrice: number;
}): number {
  if (input.booked) {
    if (input.bookedPrices.length) return input.bookedPrices.reduce((sum, p) => sum + p, 0);
    return input.interests[0]?.price ?? input.consultationPrice;
  }
  if (input.emergency || input.cancelledWithoutRebooking) return 0;
  return input.interests[0]?.price ?? 0;
}
