/**
 * The receptionist's instructions, rendered from a template for the clinic's type with its name,
 * hours, services and policies filled in. A clinic may write its own prompt instead; the same
 * facts are then appended, so the assistant always knows today's hours and prices.
 */
import { WEEKDAY_KEYS, type BusinessHours, type WeekdayKey } from "../../lib/time";

export type ClinicType = "med_spa" | "dental" | "dermatology" | "physiotherapy" | "general_practice";

export type PromptFacts = {
  clinicName: string;
  clinicType: ClinicType;
  timezone: string;
  /** ISO 4217 code of the prices. */
  currency: string;
  businessHours: BusinessHours;
  services: { name: string; price: number; durationMinutes: number }[];
  afterHoursMode: "take_message" | "offer_slots" | "transfer";
  minCancelNoticeMinutes: number;
  emergencyScript: string | null;
};

const KIND: Record<ClinicType, { what: string; focus: string }> = {
  med_spa: { what: "a medical aesthetics clinic", focus: "Callers ask about injectables, skin treatments and surgery consultations." },
  dental: { what: "a dental practice", focus: "Callers ask about check-ups, cleanings, fillings and dental pain." },
  dermatology: { what: "a dermatology clinic", focus: "Callers ask about skin checks, acne, eczema and cosmetic dermatology." },
  physiotherapy: { what: "a physiotherapy clinic", focus: "Callers ask about injuries, pain, rehabilitation and sports therapy." },
  general_practice: { what: "a general medical practice", focus: "Callers ask about appointments with a doctor, repeat visits and check-ups." },
};

const DAY_NAMES: Record<WeekdayKey, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

function hoursText(hours: BusinessHours): string {
  return WEEKDAY_KEYS.map((d) => {
    const spans = hours[d] ?? [];
    return `${DAY_NAMES[d]}: ${spans.length ? spans.map((s) => `${s.start}–${s.end}`).join(", ") : "closed"}`;
  }).join("; ");
}

const money = (n: number, currency: string) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: Number.isInteger(n) ? 0 : 2, maximumFractionDigits: 2 }).format(n);

/** The facts block: the same in the template and after a clinic's own prompt. */
export function clinicFacts(f: PromptFacts): string {
  const services = f.services.length
    ? f.services.map((s) => `${s.name} (${money(s.price, f.currency)}, ${s.durationMinutes} min)`).join("; ")
    : "none listed yet";
  const afterHours = {
    take_message: "After hours, take a message: the caller's name, number and reason.",
    offer_slots: "After hours, offer the next free appointment times, or take a message.",
    transfer: "After hours, calls may still be transferred to the clinic.",
  }[f.afterHoursMode];
  const notice = f.minCancelNoticeMinutes >= 60 ? `${Math.round(f.minCancelNoticeMinutes / 60)} hours` : `${f.minCancelNoticeMinutes} minutes`;
  return [
    `Clinic: ${f.clinicName} (time zone ${f.timezone}).`,
    `Opening hours: ${hoursText(f.businessHours)}.`,
    `Services and prices: ${services}.`,
    afterHours,
    `Cancellations and changes need at least ${notice} notice.`,
  ].join("\n");
}

const TOOL_RULES = [
  "Use checkAvailability before offering times, and bookClinicAppointment only with a start it returned.",
  "Use lookupCaller at the start of the call to greet returning patients by name.",
  "Use getServicePrice for prices; never guess a price.",
  "Use rescheduleAppointment or cancelAppointment when asked; if a tool asks for the patient's full name and date of birth, ask for them.",
  "Use transferCall when the caller asks for a person, and follow its answer.",
  'Tool answers are JSON: say the "say" part to the caller in your own words; follow "instructions" without reading them out; "slots" lists each offered time with the exact "start" to pass when booking — never read a start aloud.',
].join("\n");

/** The system prompt the assistant gets. */
export function renderSystemPrompt(f: PromptFacts, ownPrompt: string | null): string {
  const emergency =
    f.emergencyScript?.trim() ||
    "If the caller describes a medical emergency (chest pain, trouble breathing, severe bleeding, stroke signs, thoughts of suicide), tell them to hang up and call the emergency number now. Do not book or give medical advice.";
  if (ownPrompt?.trim()) return `${ownPrompt.trim()}\n\n# Clinic facts\n${clinicFacts(f)}\n\n# Emergencies\n${emergency}`;
  const kind = KIND[f.clinicType];
  return [
    `You are the friendly, efficient receptionist of ${f.clinicName}, ${kind.what}. ${kind.focus}`,
    "Keep answers short and natural: one or two sentences, then a question. Confirm names, dates and times back to the caller.",
    "",
    "# Clinic facts",
    clinicFacts(f),
    "",
    "# Tools",
    TOOL_RULES,
    "",
    "# Emergencies",
    emergency,
    "",
    "# Privacy",
    "Never share one patient's details with another caller. Never give medical advice; offer a consultation instead.",
  ].join("\n");
}
