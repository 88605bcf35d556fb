import type { ToolReply } from "@voxanne/contracts";
import type { DateTime } from "luxon";
import { isoStart, speakDay } from "../../lib/time";

/**
 * What a tool answers, in three parts kept apart: `say` is what the caller may hear (plain
 * sentences addressed to them: no ISO times, no tool names, no instructions), `instructions` is
 * what the assistant should do next (never read out), and `slots` carries machine hints (each
 * offered time as spoken and the exact start to pass back when booking). Vapi takes a tool result
 * as one string (docs/reference: tool-calls), so a reply is sent as one line of JSON; the
 * assistant's prompt (modules/agents/prompt.ts) says which part is which.
 * test/caller-speech.test.ts checks that no `say` carries an ISO time or an instruction.
 */
export type Reply = ToolReply;
export type SlotHint = NonNullable<ToolReply["slots"]>[number];

/** Vapi needs a tool result as one line; the spoken part is also kept short enough to say. */
export const MAX_RESULT_CHARS = 400;
const MAX_INSTRUCTION_CHARS = 400;
const MAX_SLOT_HINTS = 8;

export function toSpeakable(text: string, max = MAX_RESULT_CHARS): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[,;:.\s]+$/, "")}…`;
}

/** The one-line JSON string Vapi receives as the tool's `result` or `error`. */
export function renderReply(reply: Reply): string {
  const out: Reply = { say: toSpeakable(reply.say) };
  if (reply.instructions) out.instructions = toSpeakable(reply.instructions, MAX_INSTRUCTION_CHARS);
  if (reply.slots?.length) out.slots = reply.slots.slice(0, MAX_SLOT_HINTS);
  return JSON.stringify(out);
}

/** "9 AM", "9:30 AM", "noon". */
export function spokenClock(dt: DateTime): string {
  if (dt.hour === 12 && dt.minute === 0) return "noon";
  return dt.setLocale("en-US").toFormat(dt.minute === 0 ? "h a" : "h:mm a");
}

/** "Friday, March 6 at 9:30 AM". */
export function spokenDateTime(dt: DateTime): string {
  return `${speakDay(dt)} at ${spokenClock(dt)}`;
}

/** "a, b or c". */
export function listOr(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** The machine hints for offered slots: what was said and the start to book with. */
export function slotHints(slots: DateTime[]): SlotHint[] {
  return slots.slice(0, MAX_SLOT_HINTS).map((s) => ({ time: spokenDateTime(s), start: isoStart(s) }));
}

/** "Friday, March 6 at 9 AM, 9:30 AM or 10 AM, or Monday, March 9 at 9 AM": grouped by day, as many as fit `budget`. */
export function speakSlots(slots: DateTime[], budget = MAX_RESULT_CHARS): string {
  const days: { day: string; times: string[] }[] = [];
  const render = () => {
    const parts = days.map((d) => `${d.day} at ${listOr(d.times)}`);
    return parts.length > 1 ? `${parts.slice(0, -1).join(", ")}, or ${parts[parts.length - 1]}` : (parts[0] ?? "");
  };
  for (const slot of slots) {
    const day = speakDay(slot);
    const last = days[days.length - 1];
    if (last?.day === day) last.times.push(spokenClock(slot));
    else days.push({ day, times: [spokenClock(slot)] });
    if (render().length > budget && (days.length > 1 || days[0]!.times.length > 1)) {
      const tail = days[days.length - 1]!;
      if (tail.times.length > 1) tail.times.pop();
      else days.pop();
      break;
    }
  }
  return render();
}

const PICK_ONE = "Offer these times and ask which suits the caller; when they choose, book with that slot's start from slots.";

/** A lead sentence and the next free times, spoken, with their starts as hints. */
export function withAlternatives(lead: string, alternatives: DateTime[], none?: Reply): Reply {
  if (alternatives.length === 0) {
    return (
      none ?? {
        say: `${lead} I don't see any other openings in the next two weeks.`,
        instructions: "Offer to take a message so the clinic can call back.",
      }
    );
  }
  const say = `${lead} The nearest free times are ${speakSlots(alternatives, MAX_RESULT_CHARS - lead.length - 32)}.`;
  return { say, instructions: PICK_ONE, slots: slotHints(alternatives) };
}

/** Offered times, spoken with an intro, with their starts as hints. */
export function offerSlots(intro: string, slots: DateTime[]): Reply {
  return { say: `${intro} ${speakSlots(slots, MAX_RESULT_CHARS - intro.length - 2)}.`, instructions: PICK_ONE, slots: slotHints(slots) };
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

/** "Fillers cost", "Botox costs": a service name ending in a plural s takes the plural verb. */
export function costsVerb(serviceName: string): "cost" | "costs" {
  return /[^s]s$/i.test(serviceName.trim()) ? "cost" : "costs";
}

/** A length a caller won't misread: 30 → "about half an hour", 60 → "about an hour", 90 → "about an hour and a half". */
export function spokenDuration(minutes: number): string {
  if (minutes < 60) return minutes === 30 ? "about half an hour" : `about ${minutes} minutes`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const whole = hours === 1 ? "an hour" : `${hours} hours`;
  if (rest === 0) return `about ${whole}`;
  if (rest === 30) return hours === 1 ? "about an hour and a half" : `about ${hours} and a half hours`;
  return `about ${whole} and ${rest} minutes`;
}

/**
 * What the caller is told when a tool call carries an emergency phrase. `transferringNow`: we are
 * transferring the call ourselves through its control URL (modules/call-control), and Vapi speaks
 * `say` before it connects; the assistant transfers only if it is somehow still on the call.
 */
export function emergencyReply(dialNumber: string, transferNumber: string | null, transferringNow = false): Reply {
  const say = transferNumber
    ? `This sounds like it could be an emergency. Please hang up now and dial ${dialNumber}. If you can't, stay on the line and I'll connect you to the clinic right away.`
    : `This sounds like it could be an emergency. Please hang up now and dial ${dialNumber} for emergency services.`;
  const instructions = transferNumber
    ? transferringNow
      ? `Possible medical emergency. Do not book or give medical advice. The call is being connected to ${transferNumber} now; if you are still on the call after saying this, transfer it to ${transferNumber}.`
      : `Possible medical emergency. Say this, do not book or give medical advice, then transfer the call to ${transferNumber}.`
    : "Possible medical emergency. Say this and do not book or give medical advice.";
  return { say, instructions };
}
