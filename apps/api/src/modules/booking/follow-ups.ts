import type { Db } from "../../db/database";
import type { JobQueue } from "../../lib/job-queue";
import { APPOINTMENT_TEXTS_JOB } from "../reminders/service";

/**
 * What changed about an appointment, for the work that follows a booking (calendar events,
 * reminders, confirmations). Enqueued inside the booking's own transaction, so a follow-up job
 * exists exactly when the change commits.
 */
export type AppointmentChange =
  | { kind: "booked"; orgId: string; appointmentId: string }
  | { kind: "rescheduled"; orgId: string; appointmentId: string; previousAppointmentId: string }
  | { kind: "cancelled"; orgId: string; appointmentId: string };

/**
 * The jobs that follow every appointment change, in one list. A feature that reacts to bookings
 * (calendar sync, reminders, confirmation SMS) adds its job name here and declares the job in
 * jobs/registry.ts; each job gets the AppointmentChange as its data and retries on its own.
 */
export const APPOINTMENT_FOLLOW_UP_JOBS: readonly string[] = [
  APPOINTMENT_TEXTS_JOB,
  // The clinic's Google Calendar event (jobs/google-calendar.ts; the name is GOOGLE_CALENDAR_SYNC_JOB).
  "google-calendar-sync",
];

/** Queues every follow-up of one change. The singleton key makes a replayed change queue nothing new. */
export async function enqueueAppointmentFollowUps(
  jobs: JobQueue | undefined,
  db: Db,
  change: AppointmentChange,
  followUps: readonly string[] = APPOINTMENT_FOLLOW_UP_JOBS,
): Promise<void> {
  if (!jobs) return;
  for (const name of followUps) {
    await jobs.send(name, change, { db, singletonKey: `${change.kind}:${change.appointmentId}` });
  }
}
