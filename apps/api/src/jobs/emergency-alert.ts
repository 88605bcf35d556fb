import { emergencyAlertFacts } from "../modules/call-control/queries";
import { EMERGENCY_ALERT_JOB, type EmergencyAlertData, emergencyAlertText } from "../modules/messages/emergency-alert";
import { recordClinicSms, sendRecordedSms } from "./clinic-sms";
import { defineJob } from "./runner";

/**
 * Texts the clinic's alert number that a caller described an emergency, and whether the call was
 * transferred. Recorded first under one idempotency key per call, so the clinic is texted once per
 * call however often the job runs; recorded `not_sent` with the reason without Twilio or a number.
 */
export const emergencyAlertJob = defineJob<EmergencyAlertData>({
  name: EMERGENCY_ALERT_JOB,
  retryLimit: 3,
  retryDelay: 5,
  handler: async ({ orgId, vapiCallId, phrase, at, transferTo }, { db, logger, services }) => {
    const prepared = await db.asService(orgId, async (tx) => {
      const call = await emergencyAlertFacts(tx, orgId, vapiCallId);
      if (!call) return null;
      const content = emergencyAlertText({
        from: call.from_number,
        at: new Date(at),
        timezone: call.timezone,
        reason: phrase,
        transfer: call.emergency_transfer_status,
        transferTo: call.transfer_to ?? transferTo,
      });
      const message = await recordClinicSms(tx, orgId, {
        purpose: "emergency_alert",
        recipient: call.alert_number,
        content,
        noRecipientReason: "No alert number is set. Add one in Settings to be texted about emergency calls.",
        callLogId: call.id,
        idempotencyKey: `emergency-alert:${vapiCallId}`,
      });
      return { message, recipient: call.alert_number, content };
    });
    if (!prepared) {
      logger.warn({ vapiCallId }, "emergency alert for a call that no longer exists");
      return;
    }
    const status = await sendRecordedSms({ db, services }, orgId, prepared.message, prepared.recipient, prepared.content);
    logger.info({ vapiCallId, messageId: prepared.message.id, status }, "emergency alert handled");
  },
});
