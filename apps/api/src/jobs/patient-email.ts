import { deliverRecordedEmail } from "../modules/email/service";
import { PATIENT_EMAIL_JOB, type PatientEmailData } from "../modules/messages/patient-messages";
import { defineJob } from "./runner";

/**
 * Delivers an email the front desk queued for a patient (a reminder, a shared recording link)
 * through the one email path: SMTP, or the development outbox without SMTP_URL.
 */
export const patientEmailJob = defineJob<PatientEmailData>({
  name: PATIENT_EMAIL_JOB,
  retryLimit: 3,
  retryDelay: 30,
  handler: async ({ orgId, messageId }, { db, clock, logger, services }) => {
    if (!services.email) {
      logger.warn({ messageId }, "patient email left queued: the job runner was started without the email service");
      return;
    }
    const outcome = await deliverRecordedEmail({ db, config: services.email.config, now: () => clock.now() }, orgId, messageId);
    logger.info({ orgId, messageId, status: outcome?.status ?? "already_decided" }, "patient email handled");
  },
});
