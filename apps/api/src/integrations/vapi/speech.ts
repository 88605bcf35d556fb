import type { DateTime } from "luxon";
import { isoStart, speakDay, speakTime } from "../../lib/time";

/** Vapi needs a tool result as one line; we also keep it short enough to be spoken. */
export const MAX_RESULT_CHARS = 400;

export function toSpeakable(text: string, max = MAX_RESULT_CHARS): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[,;:.\s]+$/, "")}…`;
}

/**
 * "Tuesday, March 10 at 9:00 AM (start 2026-03-10T09:00:00-04:00), 9:30 AM (start …); Wednesday, …"
 * Slots are grouped by day; as many as fit in `budget` characters are listed (at least one).
 */
export function speakSlots(slots: DateTime[], budget: number): string {
  const parts: string[] = [];
  let text = "";
  let currentDay = "";
  for (const slot of slots) {
    const day = speakDay(slot);
    const piece = `${speakTime(slot)} (start ${isoStart(slot)})`;
    const next = day === currentDay ? `${text}, ${piece}` : `${text}${text ? "; " : ""}${day} at ${piece}`;
    if (parts.length > 0 && next.length > budget) break;
    text = next;
    currentDay = day;
    parts.push(piece);
  }
  return text;
}

/** "The next free times are …" with whatever fits the rest of a result. */
export function withAlternatives(
  lead: string,
  alternatives: DateTime[],
  none = "There are no other openings in the next two weeks; offer to take a message.",
): string {
  if (alternatives.length === 0) return `${lead} ${none}`;
  const intro = `${lead} The next free times are `;
  return `${intro}${speakSlots(alternatives, MAX_RESULT_CHARS - intro.length - 1)}.`;
}

/** "$400", "£60", "€80": the amount in the clinic's currency (ISO 4217), as a caller hears it. */
export function formatPrice(amount: number, currency: string): string {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    minimumFractionDigits: Number.isInteger(amount) ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(amount);
}

/** What the assistant is told when a tool call carries an emergency phrase. */
export function emergencyAdvice(label: string, dialNumber: string, transferNumber: string | null): string {
  const transfer = transferNumber ? ` If they cannot hang up, transfer them to the clinic at ${transferNumber}.` : "";
  return `Possible medical emergency (${label}). Tell the caller to hang up now and dial ${dialNumber} for emergency services; do not book or give medical advice.${transfer}`;
}
