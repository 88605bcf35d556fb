import { HOT_LEAD_ALERT_JOB, type HotLeadAlertData, hotLeadAlertText } from "../modules/messages/hot-lead-alert";
import { hotLeadCall } from "../modules/messages/queries";
import { recordClinicSms, sendRecordedSms } from "./clinic-sms";
import { defineJob } from "./runner";

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
        emergency: call.is_emergency,
      });
      const recipient: string | null = call.hot_lead_alert_number;
      const message = await recordClinicSms(tx, orgId, {
        purpose: "hot_lead_alert",
        recipient,
        content,
        noRecipientReason: "No hot-lead alert number is set. Add one in Settings to get these alerts by SMS.",
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
    const status = await sendRecordedSms({ db, services }, orgId, message, recipient, content);
    logger.info({ callLogId, messageId: message.id, status }, "hot-lead alert handled");
  },
});
