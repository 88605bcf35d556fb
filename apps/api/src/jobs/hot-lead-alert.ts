import { hotLeadCall, insertMessage, updateMessageOutcome } from "../modules/messages/queries";
import { unavailableSmsSender, type SmsSender } from "../modules/messages/sms";
import { HOT_LEAD_ALERT_JOB, hotLeadAlertText, type HotLeadAlertData } from "../modules/messages/hot-lead-alert";
import { defineJob } from "./runner";

declare module "./runner" {
  interface JobServices {
    smsSender?: SmsSender;
  }
}

/**
 * Texts the clinic's hot-lead number about a hot lead that did not book. The message is recorded
 * first (idempotency key per call), so a retried job never sends twice once the outcome is known.
 */
export const hotLeadAlertJob = defineJob<HotLeadAlertData>({
  name: HOT_LEAD_ALERT_JOB,
  retryLimit: 3,
  retryDelay: 5,
  handler: async ({ orgId, callLogId }, { db, logger, services }) => {
    const prepared = await db.asService(orgId, async (tx) => {
      const call = await hotLeadCall(tx, orgId, callLogId);
      if (!call) return null;
      const content = hotLeadAlertText({
        name: call.contact_name,
        phone: call.contact_phone ?? (call.direction === "outbound" ? call.to_number : call.from_number),
        score: call.lead_score ?? 0,
        interests: call.service_interests ?? [],
        value: Number(call.financial_value ?? 0),
      });
      const recipient: string | null = call.hot_lead_alert_number;
      const message = await insertMessage(tx, orgId, {
        method: "sms",
        purpose: "hot_lead_alert",
        recipient,
        content,
        status: recipient ? "queued" : "not_sent",
        statusReason: recipient ? null : "No hot-lead alert number is set. Add one in Settings to get these alerts by SMS.",
        callLogId,
        contactId: call.contact_id,
        idempotencyKey: `hot-lead:${callLogId}`,
      });
      return { message, recipient, content };
    });
    if (!prepared) {
      logger.warn({ callLogId }, "hot-lead alert for a call that no longer exists");
      return;
    }
    const { message, recipient, content } = prepared;
    if (message.status !== "queued" || !recipient) return; // decided already (or nothing to send to)

    const sender = services.smsSender ?? unavailableSmsSender;
    const outcome = await sender({ db, orgId, to: recipient, body: content });
    await db.asService(orgId, (tx) =>
      outcome.status === "sent"
        ? updateMessageOutcome(tx, orgId, message.id, {
            status: "sent",
            serviceProvider: outcome.provider,
            externalMessageId: outcome.externalMessageId,
            sentAt: new Date(),
          })
        : updateMessageOutcome(tx, orgId, message.id, { status: outcome.status, statusReason: outcome.reason }),
    );
    logger.info({ callLogId, messageId: message.id, status: outcome.status }, "hot-lead alert handled");
  },
});
