import { messageToSend } from "../modules/messages/queries";
import { PATIENT_SMS_JOB, type PatientSmsData } from "../modules/messages/patient-messages";
import { sendRecordedSms } from "./clinic-sms";
import { defineJob } from "./runner";

/**
 * Sends an SMS the front desk queued for a patient (modules/messages/patient-messages.ts) from the
 * clinic's own Twilio account, and records the outcome. A message already decided is left alone,
 * so a retried job never sends twice once the outcome is known.
 */
export const patientSmsJob = defineJob<PatientSmsData>({
  name: PATIENT_SMS_JOB,
  retryLimit: 3,
  retryDelay: 5,
  handler: async ({ orgId, messageId }, { db, logger, services }) => {
    const message = await db.asService(orgId, (tx) => messageToSend(tx, orgId, messageId));
    if (!message) {
      logger.warn({ messageId }, "patient SMS for a message that no longer exists");
      return;
    }
    // A text to a patient: quiet hours apply (integrations/twilio/sms.ts).
    const status = await sendRecordedSms({ db, services }, orgId, message, message.recipient, message.content, "patient");
    logger.info({ orgId, messageId, status }, "patient SMS handled");
  },
});
