/**
 * Appointment texts to the patient: the booking confirmation (a per-clinic setting) and reminders
 * at the clinic's offsets before the start (default 24 h and 2 h). Each reminder is a row in
 * appointment_reminders and a pg-boss job that starts at its send time, both written in one
 * transaction. A reschedule or cancel cancels the pending rows and their jobs in the same way, and
 * the reminder job re-checks its row and its appointment under a row lock before sending, so a
 * reminder for a moved or cancelled booking is never sent (the bug Cal.com had in #6905).
 */
import type { Db } from "../../db/database";
import type { JobQueue } from "../../lib/job-queue";
import * as q from "./queries";

export const APPOINTMENT_TEXTS_JOB = "appointment-texts";
export const APPOINTMENT_REMINDER_JOB = "appointment-reminder";
export type ReminderJobData = { orgId: string; reminderId: string };

/** Schedules the appointment's reminders; offsets already past are recorded as skipped. */
export async function scheduleReminders(tx: Db, jobs: JobQueue, orgId: string, appointment: q.AppointmentForTexts, now: Date): Promise<q.ReminderRow[]> {
  const scheduled: q.ReminderRow[] = [];
  if (!appointment.active) return scheduled;
  for (const offset of [...new Set(appointment.sms_reminder_offsets_minutes)].sort((a, b) => b - a)) {
    const sendAt = new Date(appointment.starts_at.getTime() - offset * 60_000);
    const late = sendAt.getTime() <= now.getTime();
    const row = await q.insertReminder(tx, orgId, {
      appointmentId: appointment.id,
      offsetMinutes: offset,
      sendAt,
      status: late ? "skipped" : "scheduled",
      reason: late ? "Booked after this reminder's time." : null,
    });
    if (!row || late) continue;
    const data: ReminderJobData = { orgId, reminderId: row.id };
    const jobId = await jobs.send(APPOINTMENT_REMINDER_JOB, data, { db: tx, startAfterSeconds: Math.ceil((sendAt.getTime() - now.getTime()) / 1000) });
    await q.setReminderJob(tx, orgId, row.id, jobId);
    scheduled.push({ ...row, job_id: jobId });
  }
  return scheduled;
}

/** Cancels the appointment's pending reminders and their queued jobs, in this transaction. */
export async function cancelReminders(tx: Db, jobs: JobQueue, orgId: string, appointmentId: string, reason: string): Promise<number> {
  const cancelled = await q.cancelPendingReminders(tx, orgId, appointmentId, reason);
  const jobIds = cancelled.map((r) => r.job_id).filter((id): id is string => Boolean(id));
  if (jobs.cancel && jobIds.length > 0) await jobs.cancel(APPOINTMENT_REMINDER_JOB, jobIds, { db: tx });
  return cancelled.length;
}

export type ReminderDecision =
  | { kind: "send"; appointment: q.AppointmentForTexts }
  | { kind: "done" }
  | { kind: "skip"; status: "skipped" | "cancelled"; reason: string };

/** Whether a reminder whose time has come may go: still scheduled, appointment active, not moved, not started. */
export async function decideReminder(tx: Db, orgId: string, reminderId: string, now: Date): Promise<ReminderDecision> {
  const reminder = await q.lockReminder(tx, orgId, reminderId);
  if (reminder?.status !== "scheduled") return { kind: "done" };
  const appointment = await q.appointmentForTexts(tx, orgId, reminder.appointment_id);
  if (!appointment?.active) return { kind: "skip", status: "cancelled", reason: "The appointment is no longer booked." };
  if (appointment.starts_at.getTime() - reminder.offset_minutes * 60_000 !== reminder.send_at.getTime())
    return { kind: "skip", status: "cancelled", reason: "The appointment moved." };
  if (appointment.starts_at.getTime() <= now.getTime()) return { kind: "skip", status: "skipped", reason: "The appointment has started." };
  if (!appointment.phone) return { kind: "skip", status: "skipped", reason: "No phone number on file for the patient." };
  return { kind: "send", appointment };
}
