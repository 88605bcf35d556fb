import { vapiTools } from "@voxanne/contracts";
import type { Db } from "../../../db/database";
import { slotsInsteadOfTransfer, transferDecision, type TransferDecision } from "../../../modules/clinic/transfer-policy";
import type { Clinic } from "../../../modules/clinic/types";
import { speakDateTime } from "../../../lib/time";
import { withAlternatives } from "../speech";
import { toolHandler } from "./types";

const TAKE_MESSAGE = "Take a message instead: the caller's name, number and reason for calling, and tell them the clinic will call back.";

/** The sentence the assistant gets when it cannot transfer. */
export async function cannotTransferText(db: Db, clinic: Clinic, now: Date, decision: Exclude<TransferDecision, { kind: "transfer" }>): Promise<string> {
  if (decision.kind === "no_number") return `No one is available to take the call right now. ${TAKE_MESSAGE}`;
  const opens = decision.opensAt ? `; it opens ${speakDateTime(decision.opensAt)}` : "";
  const lead = `The front desk is closed right now${opens}.`;
  const slots = await slotsInsteadOfTransfer(db, clinic, now, decision);
  if (slots) return withAlternatives(`${lead} Offer an appointment instead.`, slots, TAKE_MESSAGE);
  return `${lead} ${TAKE_MESSAGE}`;
}

export const transferCallTool = toolHandler(
  vapiTools.transferCall,
  async (_args, ctx) => {
    const decision = transferDecision(ctx.clinic, ctx.now);
    if (decision.kind === "transfer") {
      return {
        result: `Transfer approved: tell the caller you are connecting them to the front desk, then transfer to ${decision.number}.`,
        outcome: "transfer",
      };
    }
    return {
      result: await cannotTransferText(ctx.db, ctx.clinic, ctx.now, decision),
      outcome: decision.kind === "closed" ? "after_hours" : "no_transfer_number",
    };
  },
  { readOnly: true },
);
