import type { Db } from "../../db/database";
import { activeStatusesSql } from "../booking/statuses";

const ACTIVE = activeStatusesSql();
const VISITED = activeStatusesSql("completed");

export type ContactRow = {
  id: string;
  phone: string;
  name: string | null;
  email: string | null;
  lead_status: string;
  last_contacted_at: Date | null;
};

/** What the clinic has on file to verify a caller against (modules/booking/caller-verification.ts). */
export async function contactOnFile(db: Db, orgId: string, phone: string): Promise<{ name: string | null; dateOfBirth: string | null } | null> {
  const { rows } = await db.query<{ name: string | null; dob: string | null }>(
    "select name, to_char(date_of_birth, 'YYYY-MM-DD') as dob from public.contacts where org_id = $1 and phone = $2",
    [orgId, phone],
  );
  return rows[0] ? { name: rows[0].name, dateOfBirth: rows[0].dob } : null;
}

export async function findContactByPhone(db: Db, orgId: string, phone: string): Promise<ContactRow | null> {
  const { rows } = await db.query<ContactRow>(
    "select id, phone, name, email, lead_status, last_contacted_at from public.contacts where org_id = $1 and phone = $2",
    [orgId, phone],
  );
  return rows[0] ?? null;
}

export type BookingContactInput = {
  phone: string;
  name: string | null;
  email: string | null;
  serviceName: string | null;
  /** YYYY-MM-DD; kept only if none is on file (a call never overwrites it). */
  dateOfBirth: string | null;
  now: Date;
};

/**
 * The caller becomes (or updates) a contact when they book: a new name replaces an old one only
 * when given, the service joins their interests, and the lead is marked booked. A CTE body with
 * parameters starting at `$first`, so the booking insert can run it in the same statement.
 */
export function bookingContactUpsertSql(first: number): string {
  const [org, phone, name, email, service, now, dob] = [0, 1, 2, 3, 4, 5, 6].map((i) => `$${first + i}`);
  return `insert into public.contacts as c (org_id, phone, name, email, lead_status, service_interests, last_contacted_at, date_of_birth)
     values (${org}, ${phone}, ${name}, ${email}, 'booked', case when ${service}::text is null then '{}'::text[] else array[${service}::text] end, ${now}, ${dob}::date)
     on conflict (org_id, phone) do update
        set name = coalesce(excluded.name, c.name),
            email = coalesce(excluded.email, c.email),
            date_of_birth = coalesce(c.date_of_birth, excluded.date_of_birth),
            lead_status = 'booked',
            service_interests = case
              when ${service}::text is null or ${service}::text = any (c.service_interests) then c.service_interests
              else c.service_interests || ${service}::text end,
            last_contacted_at = greatest(c.last_contacted_at, excluded.last_contacted_at)
     returning id`;
}

export function bookingContactParams(orgId: string, input: BookingContactInput): unknown[] {
  return [orgId, input.phone, input.name, input.email, input.serviceName, input.now, input.dateOfBirth];
}

export async function upsertBookingContact(db: Db, orgId: string, input: BookingContactInput): Promise<string> {
  const { rows } = await db.query<{ id: string }>(bookingContactUpsertSql(1), bookingContactParams(orgId, input));
  return rows[0]!.id;
}

/** What the receptionist should know about a returning caller. */
export type CallerSummary = {
  contact: ContactRow;
  lastVisit: Date | null;
  upcoming: { startsAt: Date; serviceName: string | null }[];
};

export async function callerSummary(db: Db, orgId: string, phone: string, now: Date): Promise<CallerSummary | null> {
  const { rows } = await db.query(
    `select c.id, c.phone, c.name, c.email, c.lead_status, c.last_contacted_at,
            (select max(a.starts_at) from public.appointments a
              where a.org_id = c.org_id and a.contact_id = c.id and a.starts_at < $3
                and a.status in ${VISITED}) as last_visit,
            coalesce((select json_agg(json_build_object('startsAt', u.starts_at, 'serviceName', u.service_name) order by u.starts_at)
                        from (select a.starts_at, s.name as service_name
                                from public.appointments a
                                left join public.services s on s.id = a.service_id
                               where a.org_id = c.org_id and a.contact_id = c.id and a.starts_at >= $3
                                 and a.status in ${ACTIVE}
                               order by a.starts_at limit 3) u), '[]'::json) as upcoming
       from public.contacts c
      where c.org_id = $1 and c.phone = $2`,
    [orgId, phone, now],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    contact: { id: r.id, phone: r.phone, name: r.name, email: r.email, lead_status: r.lead_status, last_contacted_at: r.last_contacted_at },
    lastVisit: r.last_visit,
    upcoming: (r.upcoming as { startsAt: string; serviceName: string | null }[]).map((u) => ({ startsAt: new Date(u.startsAt), serviceName: u.serviceName })),
  };
}
