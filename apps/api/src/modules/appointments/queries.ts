import type { Db } from "../../db/database";
import { activeStatusesSql } from "../booking/statuses";

const ACTIVE = activeStatusesSql();

export type AppointmentRow = {
  id: string;
  starts_at: Date;
  ends_at: Date;
  status: string;
  source: string;
  service_id: string | null;
  service_name: string | null;
  contact_id: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  notes: string | null;
  confirmation_sent: boolean;
  vapi_call_id: string | null;
  rescheduled_from: string | null;
  cancellation_reason: string | null;
};

const SELECT = `select a.id, a.starts_at, a.ends_at, a.status, a.source, a.service_id, s.name as service_name,
                       a.contact_id, c.name as contact_name, c.phone as contact_phone, c.email as contact_email,
                       a.notes, a.confirmation_sent, a.vapi_call_id, a.rescheduled_from, a.cancellation_reason
                  from public.appointments a
                  left join public.services s on s.id = a.service_id
                  left join public.contacts c on c.id = a.contact_id`;

export async function listAppointmentRows(db: Db, orgId: string, f: { from: string; to: string; status: string; q?: string }): Promise<AppointmentRow[]> {
  const digits = f.q?.replace(/\D/g, "") ?? "";
  const { rows } = await db.query<AppointmentRow>(
    `${SELECT}
      where a.org_id = $1 and a.starts_at >= $2 and a.starts_at < $3 and (($4::text = 'active' and a.status in ${ACTIVE}) or $4 = 'all' or a.status = $4)
        and ($5::text is null or c.name ilike '%' || $5 || '%' or s.name ilike '%' || $5 || '%'
             or ($6::text <> '' and c.phone like '%' || $6 || '%'))
      order by a.starts_at, a.id
      limit 1000`,
    [orgId, f.from, f.to, f.status, f.q ? f.q.replace(/[\\%_]/g, "\\$&") : null, digits],
  );
  return rows;
}

export async function appointmentRow(db: Db, orgId: string, id: string): Promise<AppointmentRow | null> {
  const { rows } = await db.query<AppointmentRow>(`${SELECT} where a.org_id = $1 and a.id = $2`, [orgId, id]);
  return rows[0] ?? null;
}

export async function markConfirmationSent(db: Db, orgId: string, id: string): Promise<void> {
  await db.query("update public.appointments set confirmation_sent = true where org_id = $1 and id = $2", [orgId, id]);
}

export type BookableServiceRow = { id: string; name: string; duration_minutes: number; price: string };

export async function bookableServices(db: Db, orgId: string): Promise<BookableServiceRow[]> {
  const { rows } = await db.query<BookableServiceRow>(
    "select id, name, duration_minutes, price from public.services where org_id = $1 and active order by name",
    [orgId],
  );
  return rows;
}

export async function serviceById(db: Db, orgId: string, id: string): Promise<{ id: string; name: string; price: number; durationMinutes: number } | null> {
  const { rows } = await db.query("select id, name, price, duration_minutes from public.services where org_id = $1 and id = $2 and active", [orgId, id]);
  const r = rows[0];
  return r ? { id: r.id, name: r.name, price: Number(r.price), durationMinutes: r.duration_minutes } : null;
}
