import type { Database } from "../db/database";
import { type MessageRow, updateMessageOutcome } from "../modules/messages/queries";
import { type SmsSender, unavailableSmsSender } from "../modules/messages/sms";
import type { JobServices } from "./runner";

declare module "./runner" {
  interface JobServices {
    smsSender?: SmsSender;
  }
}

/**
 * Sends an SMS to the clinic that is already recorded in `messages` (status queued), and records
 * the outcome. The row is written first, under an idempotency key, so a retried job never sends
 * twice once the outcome is known; a row decided already (or with no recipient) is left alone.
 */
export async function sendRecordedSms(
  ctx: { db: Database; services: JobServices },
  orgId: string,
  message: MessageRow,
  recipient: string | null,
  content: string,
): Promise<MessageRow["status"]> {
  if (message.status !== "queued" || !recipient) return message.status;
  const sender = ctx.services.smsSender ?? unavailableSmsSender;
  const outcome = await sender({ db: ctx.db, orgId, to: recipient, body: content });
  await ctx.db.asService(orgId, (tx) =>
    outcome.status === "sent"
      ? updateMessageOutcome(tx, orgId, message.id, {
          status: "sent",
          serviceProvider: outcome.provider,
          externalMessageId: outcome.externalMessageId,
          sentAt: new Date(),
        })
      : updateMessageOutcome(tx, orgId, message.id, { status: outcome.status, statusReason: outcome.reason }),
  );
  return outcome.status;
}
