import type { Db } from "../../db/database";
import { activeStatusesSql } from "../booking/statuses";

export type AppointmentForTexts = {
  id: string;
  starts_at: Date;
  status: string;
  active: boolean;
  contact_id: string | null;
  phone: string | null;
  service_name: string | null;
  clinic_name: string;
  timezone: string;
  sms_booking_confirmation: boolean;
  sms_reminder_offsets_minutes: number[];
};

/** An appointment with what its texts say and where they go (the patient's number on file). */
export async function appointmentForTexts(db: Db, orgId: string, appointmentId: string): Promise<AppointmentForTexts | null> {
  const { rows } = await db.query<AppointmentForTexts>(
    `select a.id, a.starts_at, a.status, a.status in ${activeStatusesSql()} as active, a.contact_id, c.phone, s.name as service_name,
            o.name as clinic_name, o.timezone, o.sms_booking_confirmation, o.sms_reminder_offsets_minutes
       from public.appointments a
       join public.organizations o on o.id = a.org_id
       left join public.contacts c on c.id = a.contact_id and c.org_id = a.org_id
       left join public.services s on s.id = a.service_id and s.org_id = a.org_id
      where a.org_id = $1 and a.id = $2`,
    [orgId, appointmentId],
  );
  return rows[0] ?? null;
}

export type ReminderRow = {
  id: string;
  appointment_id: string;
  offset_minutes: number;
  send_at: Date;
  status: "scheduled" | "sent" | "cancelled" | "skipped";
  job_id: string | null;
};

const REMINDER = "id, appointment_id, offset_minutes, send_at, status, job_id";

/** One reminder per (appointment, offset): a retried job inserts nothing new. Null when it existed. */
export async function insertReminder(
  db: Db,
  orgId: string,
  r: { appointmentId: string; offsetMinutes: number; sendAt: Date; status: "scheduled" | "skipped"; reason: string | null },
): Promise<ReminderRow | null> {
  const { rows } = await db.query<ReminderRow>(
    `insert into public.appointment_reminders (org_id, appointment_id, offset_minutes, send_at, status, status_reason)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (appointment_id, offset_minutes) do nothing
     returning ${REMINDER}`,
    [orgId, r.appointmentId, r.offsetMinutes, r.sendAt, r.status, r.reason],
  );
  return rows[0] ?? null;
}

export async function setReminderJob(db: Db, orgId: string, id: string, jobId: string | null): Promise<void> {
  await db.query("update public.appointment_reminders set job_id = $3 where org_id = $1 and id = $2", [orgId, id, jobId]);
}

/** Cancels an appointment's reminders that have not gone yet; returns them (their jobs can be dropped). */
export async function cancelPendingReminders(db: Db, orgId: string, appointmentId: string, reason: string): Promise<ReminderRow[]> {
  const { rows } = await db.query<ReminderRow>(
    `update public.appointment_reminders set status = 'cancelled', status_reason = $3
      where org_id = $1 and appointment_id = $2 and status = 'scheduled'
      returning ${REMINDER}`,
    [orgId, appointmentId, reason],
  );
  return rows;
}

/** The reminder, locked for the rest of the transaction (a cancel and a send never cross). */
export async function lockReminder(db: Db, orgId: string, id: string): Promise<ReminderRow | null> {
  const { rows } = await db.query<ReminderRow>(`select ${REMINDER} from public.appointment_reminders where org_id = $1 and id = $2 for update`, [orgId, id]);
  return rows[0] ?? null;
}

export async function finishReminder(
  db: Db,
  orgId: string,
  id: string,
  outcome: { status: "sent" | "skipped" | "cancelled"; reason: string | null; messageId: string | null },
): Promise<void> {
  await db.query("update public.appointment_reminders set status = $3, status_reason = $4, message_id = $5 where org_id = $1 and id = $2", [
    orgId,
    id,
    outcome.status,
    outcome.reason,
    outcome.messageId,
  ]);
}

export async function markAppointmentTexted(db: Db, orgId: string, appointmentId: string, what: "confirmation" | "reminder", at: Date): Promise<void> {
  await db.query(
    what === "confirmation"
      ? "update public.appointments set confirmation_sent = true where org_id = $1 and id = $2"
      : "update public.appointments set reminder_sent_at = $3 where org_id = $1 and id = $2",
    what === "confirmation" ? [orgId, appointmentId] : [orgId, appointmentId, at],
  );
}
