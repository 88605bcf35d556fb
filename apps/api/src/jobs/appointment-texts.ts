import type { AppointmentChange } from "../modules/booking/follow-ups";
import { isConnected } from "../modules/credentials/service";
import { insertMessage } from "../modules/messages/queries";
import { TWILIO_NOT_CONNECTED } from "../modules/messages/sms";
import { appointmentForTexts, finishReminder, markAppointmentTexted } from "../modules/reminders/queries";
import {
  APPOINTMENT_REMINDER_JOB,
  APPOINTMENT_TEXTS_JOB,
  cancelReminders,
  decideReminder,
  type ReminderJobData,
  scheduleReminders,
} from "../modules/reminders/service";
import { appointmentTexts, whenText } from "../modules/reminders/texts";
import { sendRecordedSms } from "./clinic-sms";
import { defineJob } from "./runner";

/**
 * Follows every booking, reschedule and cancel (modules/booking/follow-ups.ts): moves the
 * reminders (cancel the old appointment's, schedule the new one's) and texts the patient a
 * confirmation when the clinic has confirmations on and Twilio connected. Reminders and the confirmation's message row
 * are written in one transaction; a retried job finds them (unique per appointment and offset,
 * idempotency key per change) and sends nothing twice.
 */
export const appointmentTextsJob = defineJob<AppointmentChange>({
  name: APPOINTMENT_TEXTS_JOB,
  retryLimit: 3,
  retryDelay: 5,
  handler: async (change, { db, clock, logger, services }) => {
    const jobs = services.jobQueue;
    if (!jobs) throw new Error("appointment texts need services.jobQueue");
    const { orgId, appointmentId } = change;
    const now = clock.now();
    const prepared = await db.asService(orgId, async (tx) => {
      if (change.kind === "rescheduled") await cancelReminders(tx, jobs, orgId, change.previousAppointmentId, "The appointment moved.");
      if (change.kind === "cancelled") await cancelReminders(tx, jobs, orgId, appointmentId, "The appointment was cancelled.");
      const appointment = await appointmentForTexts(tx, orgId, appointmentId);
      if (!appointment) return null;
      if (change.kind !== "cancelled") await scheduleReminders(tx, jobs, orgId, appointment, now);
      // Without Twilio the clinic has no SMS channel: nothing to confirm by text (the reminders wait, in case it connects).
      if (!(await isConnected(tx, orgId, "twilio"))) return null;
      if (!appointment.sms_booking_confirmation || !appointment.phone || appointment.starts_at.getTime() <= now.getTime()) return null;
      const content = appointmentTexts[change.kind]({
        clinic: appointment.clinic_name,
        service: appointment.service_name,
        when: whenText(appointment.starts_at, appointment.timezone),
      });
      const message = await insertMessage(tx, orgId, {
        method: "sms",
        purpose: change.kind === "cancelled" ? "cancellation" : "confirmation",
        recipient: appointment.phone,
        content,
        status: "queued",
        contactId: appointment.contact_id,
        appointmentId,
        idempotencyKey: `appointment:${change.kind}:${appointmentId}`,
      });
      return { message, recipient: appointment.phone, content };
    });
    if (!prepared) return;
    const status = await sendRecordedSms({ db, services, now }, orgId, prepared.message, prepared.recipient, prepared.content, "patient");
    if (status === "sent" && change.kind !== "cancelled")
      await db.asService(orgId, (tx) => markAppointmentTexted(tx, orgId, appointmentId, "confirmation", now));
    logger.info({ orgId, appointmentId, kind: change.kind, status }, "appointment texts handled");
  },
});

/** One reminder whose time has come: re-checked under a row lock, then texted to the patient. */
export const appointmentReminderJob = defineJob<ReminderJobData>({
  name: APPOINTMENT_REMINDER_JOB,
  retryLimit: 3,
  retryDelay: 30,
  handler: async ({ orgId, reminderId }, { db, clock, logger, services }) => {
    const now = clock.now();
    const prepared = await db.asService(orgId, async (tx) => {
      const decision = await decideReminder(tx, orgId, reminderId, now);
      if (decision.kind === "done") return null;
      if (decision.kind === "skip") {
        await finishReminder(tx, orgId, reminderId, { status: decision.status, reason: decision.reason, messageId: null });
        return null;
      }
      if (!(await isConnected(tx, orgId, "twilio"))) {
        await finishReminder(tx, orgId, reminderId, { status: "skipped", reason: TWILIO_NOT_CONNECTED, messageId: null });
        return null;
      }
      const a = decision.appointment;
      const content = appointmentTexts.reminder({ clinic: a.clinic_name, service: a.service_name, when: whenText(a.starts_at, a.timezone) });
      const message = await insertMessage(tx, orgId, {
        method: "sms",
        purpose: "reminder",
        recipient: a.phone,
        content,
        status: "queued",
        contactId: a.contact_id,
        appointmentId: a.id,
        idempotencyKey: `reminder:${reminderId}`,
      });
      await finishReminder(tx, orgId, reminderId, { status: "sent", reason: null, messageId: message.id });
      return { message, recipient: a.phone!, content, appointmentId: a.id };
    });
    if (!prepared) return;
    const status = await sendRecordedSms({ db, services, now }, orgId, prepared.message, prepared.recipient, prepared.content, "patient");
    if (status === "sent") await db.asService(orgId, (tx) => markAppointmentTexted(tx, orgId, prepared.appointmentId, "reminder", now));
    logger.info({ orgId, reminderId, status }, "appointment reminder handled");
  },
});
