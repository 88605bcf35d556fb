import { CALLER_CALLBACK_JOB, type CallerCallbackData, callerCallbackText } from "../modules/messages/caller-callback";
import { clinicAlertNumber } from "../modules/messages/queries";
import { recordClinicSms, sendRecordedSms } from "./clinic-sms";
import { defineJob } from "./runner";

/** Texts the clinic's alert number that a caller failed verification, so staff call the patient back on the number on file. */
export const callerCallbackJob = defineJob<CallerCallbackData>({
  name: CALLER_CALLBACK_JOB,
  retryLimit: 3,
  retryDelay: 5,
  handler: async (data, { db, logger, services }) => {
    const { orgId } = data;
    const content = callerCallbackText(data);
    const { message, recipient } = await db.asService(orgId, async (tx) => {
      const recipient = await clinicAlertNumber(tx, orgId);
      const message = await recordClinicSms(tx, orgId, {
        purpose: "caller_callback",
        recipient,
        content,
        noRecipientReason: "No alert number is set. Add one in Settings to be texted when a caller needs a call back.",
        idempotencyKey: `caller-callback:${data.vapiCallId}:${data.phone}`,
      });
      return { message, recipient };
    });
    const status = await sendRecordedSms({ db, services }, orgId, message, recipient, content);
    logger.info({ orgId, messageId: message.id, status }, "caller call-back request handled");
  },
});
