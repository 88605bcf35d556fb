import type { Database } from "../db/database";
import type { Db } from "../db/database";
import { insertMessage, type MessageRow, updateMessageOutcome } from "../modules/messages/queries";
import { type SmsSender, unavailableSmsSender } from "../modules/messages/sms";
import type { JobServices } from "./runner";

declare module "./runner" {
  interface JobServices {
    smsSender?: SmsSender;
  }
}

/**
 * Records an SMS to the clinic's alert number before it is sent: queued, or not sent with why when
 * the clinic has no alert number. The idempotency key makes a retried job find the same row.
 */
export function recordClinicSms(
  tx: Db,
  orgId: string,
  m: {
    purpose: string;
    recipient: string | null;
    content: string;
    noRecipientReason: string;
    idempotencyKey: string;
    callLogId?: string;
    contactId?: string | null;
  },
): Promise<MessageRow> {
  return insertMessage(tx, orgId, {
    method: "sms",
    purpose: m.purpose,
    recipient: m.recipient,
    content: m.content,
    status: m.recipient ? "queued" : "not_sent",
    statusReason: m.recipient ? null : m.noRecipientReason,
    callLogId: m.callLogId ?? null,
    contactId: m.contactId ?? null,
    idempotencyKey: m.idempotencyKey,
  });
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
