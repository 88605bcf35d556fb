import type { DateTime } from "luxon";
import type { Clinic } from "../../modules/agents/queries";
import { isOpenAt, MAX_SEARCH_DAYS } from "../../modules/booking/availability";
import { durationFor, searchSlots } from "../../modules/booking/service";
import type { Db } from "../../db/database";
import { localDay, openIntervalsOn, speakDateTime } from "../../lib/time";
import { withAlternatives } from "./speech";
import { registerVapiTool, type ToolContext, type ToolOutcome } from "./tools/registry";

export type TransferDecision =
  | { kind: "transfer"; number: string }
  | { kind: "closed"; opensAt: DateTime | null }
  | { kind: "no_number" };

/** When the front desk opens next (the start of the next opening interval), up to two weeks ahead. */
export function nextOpening(clinic: Clinic, now: Date): DateTime | null {
  const today = localDay(now, clinic.timezone);
  for (let i = 0; i <= MAX_SEARCH_DAYS; i++) {
    for (const interval of openIntervalsOn(today.plus({ days: i }), clinic.businessHours)) {
      if (interval.start.toMillis() > now.getTime()) return interval.start;
    }
  }
  return null;
}

/**
 * Whether a caller asking for a person can be put through: during opening hours to the
 * transfer number; after hours only when the clinic chose after_hours_mode = transfer.
 */
export function transferDecision(clinic: Clinic, now: Date): TransferDecision {
  if (!isOpenAt(clinic, now) && clinic.afterHoursMode !== "transfer") return { kind: "closed", opensAt: nextOpening(clinic, now) };
  return clinic.transferNumber ? { kind: "transfer", number: clinic.transferNumber } : { kind: "no_number" };
}

const TAKE_MESSAGE = "Take a message instead: the caller's name, number and reason for calling, and tell them the clinic will call back.";

/** The sentence the assistant gets when it cannot transfer. */
export async function cannotTransferText(db: Db, clinic: Clinic, now: Date, decision: Exclude<TransferDecision, { kind: "transfer" }>): Promise<string> {
  if (decision.kind === "no_number") return `No one is available to take the call right now. ${TAKE_MESSAGE}`;
  const opens = decision.opensAt ? `; it opens ${speakDateTime(decision.opensAt)}` : "";
  const lead = `The front desk is closed right now${opens}.`;
  if (clinic.afterHoursMode === "offer_slots") {
    const fromDay = localDay(now, clinic.timezone);
    const slots = await searchSlots(
      { db, clinic, now, callId: null },
      { fromDay, toDay: fromDay.plus({ days: MAX_SEARCH_DAYS }), durationMinutes: durationFor(clinic, null), limit: 3 },
    );
    return withAlternatives(`${lead} Offer an appointment instead.`, slots, TAKE_MESSAGE);
  }
  return `${lead} ${TAKE_MESSAGE}`;
}

export async function transferCall(_args: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  const decision = transferDecision(ctx.clinic, ctx.now);
  if (decision.kind === "transfer") {
    return { result: `Transfer approved: tell the caller you are connecting them to the front desk, then transfer to ${decision.number}.`, outcome: "transfer" };
  }
  return { result: await cannotTransferText(ctx.db, ctx.clinic, ctx.now, decision), outcome: decision.kind === "closed" ? "after_hours" : "no_transfer_number" };
}

registerVapiTool("transferCall", transferCall, { readOnly: true });
