import { vapiTools } from "@voxanne/contracts";
import type { Db } from "../../../db/database";
import { slotsInsteadOfTransfer, transferDecision, type TransferDecision } from "../../../modules/clinic/transfer-policy";
import type { Clinic } from "../../../modules/clinic/types";
import { type Reply, spokenDateTime, withAlternatives } from "../speech";
import { toolHandler } from "./types";

const TAKE_MESSAGE = "Take a message instead: the caller's name, number and reason for calling.";
const CALL_BACK = "I can take a message and the clinic will call you back.";

/** What the caller hears, and the assistant is told, when it cannot transfer. */
export async function cannotTransferReply(db: Db, clinic: Clinic, now: Date, decision: Exclude<TransferDecision, { kind: "transfer" }>): Promise<Reply> {
  if (decision.kind === "no_number") return { say: `No one is available to take your call right now. ${CALL_BACK}`, instructions: TAKE_MESSAGE };
  const opens = decision.opensAt ? `; it opens ${spokenDateTime(decision.opensAt)}` : "";
  const lead = `The front desk is closed right now${opens}.`;
  const slots = await slotsInsteadOfTransfer(db, clinic, now, decision);
  const message = { say: `${lead} ${CALL_BACK}`, instructions: TAKE_MESSAGE };
  if (slots) return withAlternatives(`${lead} I can book you an appointment instead.`, slots, message);
  return message;
}

export const transferCallTool = toolHandler(
  vapiTools.transferCall,
  async (_args, ctx) => {
    const decision = transferDecision(ctx.clinic, ctx.now);
    if (decision.kind === "transfer") {
      return {
        result: { say: "I'll connect you to the front desk now.", instructions: `Transfer approved: transfer the call to ${decision.number}.` },
        outcome: "transfer",
      };
    }
    return {
      result: await cannotTransferReply(ctx.db, ctx.clinic, ctx.now, decision),
      outcome: decision.kind === "closed" ? "after_hours" : "no_transfer_number",
    };
  },
  { readOnly: true },
);
