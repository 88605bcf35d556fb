import type { Database } from "../db/database";
import type { Db } from "../db/database";
import type { JobQueue } from "../lib/job-queue";
import { findMessage, insertMessage, type MessageRow, updateMessageOutcome } from "../modules/messages/queries";
import { type SmsSender, unavailableSmsSender } from "../modules/messages/sms";
import { defineJob, type JobServices } from "./runner";

declare module "./runner" {
  interface JobServices {
    smsSender?: SmsSender;
    /** The process's job queue, for jobs that queue follow-up work (a deferred SMS, reminders). */
    jobQueue?: JobQueue;
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
    appointmentId?: string | null;
  },
): Promise<MessageRow> {
  return insertMessage(tx, orgId, {
    method: "sms",
    purpose: m.purpose,
    recipient: m.recipient,
    content: m.content,
    status: m.recipient ? "queued" : "not_sent",
    statusReason: m.recipient ? null : m.noRecipientReason,
    statusCode: m.recipient ? null : "no_recipient",
    callLogId: m.callLogId ?? null,
    contactId: m.contactId ?? null,
    appointmentId: m.appointmentId ?? null,
    idempotencyKey: m.idempotencyKey,
  });
}

export const SMS_DELIVER_JOB = "sms-deliver";
export type SmsDeliverData = { orgId: string; messageId: string; audience: "patient" | "clinic" };

/**
 * Sends an SMS already recorded in `messages` (status queued) and records the outcome. The row is
 * written first, under an idempotency key, so a retried job never sends twice once the outcome is
 * known; a row decided already (or with no recipient) is left alone. A text held for quiet hours
 * or the hourly limit stays queued, says why, and is queued again as an `sms-deliver` job for
 * when it may go. This is the one sending path: jobs and dashboard routes (follow-up SMS) call it.
 */
export async function sendRecordedSms(
  ctx: { db: Database; services: JobServices; now?: Date },
  orgId: string,
  message: Pick<MessageRow, "id" | "status">,
  recipient: string | null,
  content: string,
  audience: "patient" | "clinic" = "clinic",
): Promise<MessageRow["status"]> {
  if (message.status !== "queued" || !recipient) return message.status;
  const sender = ctx.services.smsSender ?? unavailableSmsSender;
  const outcome = await sender({ db: ctx.db, orgId, to: recipient, body: content, audience, messageId: message.id, now: ctx.now });
  const queue = ctx.services.jobQueue;
  await ctx.db.asService(orgId, async (tx) => {
    if (outcome.status === "sent") {
      await updateMessageOutcome(tx, orgId, message.id, {
        status: "sent",
        serviceProvider: outcome.provider,
        externalMessageId: outcome.externalMessageId,
        sentAt: ctx.now ?? new Date(),
      });
    } else if (outcome.status === "deferred") {
      await updateMessageOutcome(tx, orgId, message.id, { status: "queued", statusReason: outcome.reason, statusCode: outcome.code });
      const data: SmsDeliverData = { orgId, messageId: message.id, audience };
      const delaySeconds = Math.max(1, Math.ceil((outcome.retryAt.getTime() - (ctx.now ?? new Date()).getTime()) / 1000));
      if (queue) await queue.send(SMS_DELIVER_JOB, data, { db: tx, startAfterSeconds: delaySeconds });
    } else {
      await updateMessageOutcome(tx, orgId, message.id, { status: outcome.status, statusReason: outcome.reason, statusCode: outcome.code ?? null });
    }
  });
  return outcome.status === "deferred" ? "queued" : outcome.status;
}

/** A recorded SMS whose time has come (after quiet hours or the hourly limit). */
export const smsDeliverJob = defineJob<SmsDeliverData>({
  name: SMS_DELIVER_JOB,
  retryLimit: 3,
  retryDelay: 30,
  handler: async ({ orgId, messageId, audience }, { db, clock, logger, services }) => {
    const message = await db.asService(orgId, (tx) => findMessage(tx, orgId, messageId));
    if (!message) return;
    const status = await sendRecordedSms({ db, services, now: clock.now() }, orgId, message, message.recipient, message.content, audience);
    logger.info({ orgId, messageId, status }, "deferred SMS handled");
  },
});
