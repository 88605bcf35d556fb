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

// The leads inbox (modules/contacts/service.ts) ---------------------------------------------

/** 0 for a lead that needs someone now (hot, not handled since its last contact, not booked or lost), else 1. */
const PRIORITY_SQL = `(case when c.lead_temperature = 'hot' and c.lead_status not in ('booked', 'lost')
                             and (c.handled_at is null or c.handled_at < coalesce(c.last_contacted_at, c.created_at)) then 0 else 1 end)`;
const HANDLED_SQL = `(c.handled_at is not null and c.handled_at >= coalesce(c.last_contacted_at, c.created_at))`;
const SEEN_SQL = "coalesce(c.last_contacted_at, c.created_at)";

export type InboxRow = {
  id: string;
  phone: string;
  name: string | null;
  email: string | null;
  lead_status: string;
  lead_score: number;
  lead_temperature: string;
  service_interests: string[];
  last_contacted_at: Date | null;
  notes: string | null;
  created_at: Date;
  handled: boolean;
  priority: number;
  seen: string;
  sms_opted_out: boolean;
};

const INBOX_SELECT = `select c.id, c.phone, c.name, c.email, c.lead_status, c.lead_score, c.lead_temperature, c.service_interests,
                             c.last_contacted_at, c.notes, c.created_at, ${HANDLED_SQL} as handled, ${PRIORITY_SQL} as priority,
                             ${SEEN_SQL}::text as seen, c.sms_opted_out_at is not null as sms_opted_out
                        from public.contacts c`;

export type InboxFilters = {
  temperature?: string;
  status?: string;
  q?: string;
  limit: number;
  after?: { priority: number; seen: string; id: string };
};

export async function listInbox(db: Db, orgId: string, f: InboxFilters): Promise<InboxRow[]> {
  const digits = f.q?.replace(/\D/g, "") ?? "";
  const { rows } = await db.query<InboxRow>(
    `${INBOX_SELECT}
      where c.org_id = $1
        and ($2::text is null or c.lead_temperature = $2)
        and ($3::text is null
             or ($3 in ('new', 'contacted', 'booked', 'lost') and c.lead_status = $3)
             or ($3 = 'open' and c.lead_status not in ('booked', 'lost') and not ${HANDLED_SQL})
             or ($3 = 'handled' and ${HANDLED_SQL}))
        and ($4::text is null or c.name ilike '%' || $4 || '%' or c.email ilike '%' || $4 || '%' or ($5::text <> '' and c.phone like '%' || $5 || '%'))
        and ($6::int is null or ${PRIORITY_SQL} > $6
             or (${PRIORITY_SQL} = $6 and (${SEEN_SQL} < $7::timestamptz or (${SEEN_SQL} = $7::timestamptz and c.id < $8::uuid))))
      order by priority, ${SEEN_SQL} desc, c.id desc
      limit $9`,
    [
      orgId,
      f.temperature ?? null,
      f.status ?? null,
      f.q ? f.q.replace(/[\\%_]/g, "\\$&") : null,
      digits,
      f.after?.priority ?? null,
      f.after?.seen ?? null,
      f.after?.id ?? null,
      f.limit + 1,
    ],
  );
  return rows;
}

export async function inboxRow(db: Db, orgId: string, id: string): Promise<InboxRow | null> {
  const { rows } = await db.query<InboxRow>(`${INBOX_SELECT} where c.org_id = $1 and c.id = $2`, [orgId, id]);
  return rows[0] ?? null;
}

export async function contactStats(db: Db, orgId: string): Promise<{ total: number; hot: number; warm: number; cold: number }> {
  const { rows } = await db.query<{ total: number; hot: number; warm: number; cold: number }>(
    `select count(*)::int as total, count(*) filter (where lead_temperature = 'hot')::int as hot,
            count(*) filter (where lead_temperature = 'warm')::int as warm, count(*) filter (where lead_temperature = 'cold')::int as cold
       from public.contacts where org_id = $1`,
    [orgId],
  );
  return rows[0]!;
}

export type TimelineRow = {
  kind: "call" | "appointment" | "message";
  at: Date;
  ref_id: string;
  a: string | null;
  b: string | null;
  c: string | null;
  n: number | null;
};

/** The contact's calls, appointments and messages, newest first (at most 100 of each). */
export async function contactTimeline(db: Db, orgId: string, contactId: string): Promise<TimelineRow[]> {
  const { rows } = await db.query<TimelineRow>(
    `(select 'call' as kind, started_at as at, id::text as ref_id, direction as a, summary as b,
             case when booking_confirmed then 'booked' when is_emergency then 'emergency' when transfer_to is not null then 'transferred' else null end as c,
             duration_seconds as n
        from public.call_logs where org_id = $1 and contact_id = $2 order by started_at desc limit 100)
     union all
     (select 'appointment', a.created_at, a.id::text, a.status, s.name, a.starts_at::text, null
        from public.appointments a left join public.services s on s.id = a.service_id
       where a.org_id = $1 and a.contact_id = $2 order by a.created_at desc limit 100)
     union all
     (select 'message', created_at, id::text, method, status, coalesce(status_reason, content), null
        from public.messages where org_id = $1 and contact_id = $2 order by created_at desc limit 100)
     order by at desc`,
    [orgId, contactId],
  );
  return rows;
}

export async function updateContactFields(
  db: Db,
  orgId: string,
  id: string,
  f: {
    name?: string;
    email?: string | null;
    notes?: string | null;
    leadStatus?: string;
    handledAt?: Date | null;
    handledBy?: string | null;
    smsOptOutAt?: Date | null;
  },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update public.contacts
        set name = case when $3 then $4 else name end,
            email = case when $5 then $6 else email end,
            notes = case when $7 then $8 else notes end,
            lead_status = coalesce($9, lead_status),
            handled_at = case when $10 then $11 else handled_at end,
            handled_by = case when $10 then $12 else handled_by end,
            sms_opted_out_at = case when $13 then $14 else sms_opted_out_at end
      where org_id = $1 and id = $2`,
    [
      orgId,
      id,
      f.name !== undefined,
      f.name ?? null,
      f.email !== undefined,
      f.email ?? null,
      f.notes !== undefined,
      f.notes ?? null,
      f.leadStatus ?? null,
      f.handledAt !== undefined,
      f.handledAt ?? null,
      f.handledBy ?? null,
      f.smsOptOutAt !== undefined,
      f.smsOptOutAt ?? null,
    ],
  );
  return rowCount === 1;
}

/** Imported contacts in one statement: new numbers become `new` leads; known ones get the name, email and notes the file gives. */
export async function upsertImportedContacts(
  db: Db,
  orgId: string,
  contacts: { phone: string; name: string | null; email: string | null; notes: string | null }[],
): Promise<{ created: number; updated: number }> {
  if (contacts.length === 0) return { created: 0, updated: 0 };
  const { rows } = await db.query<{ created: number; updated: number }>(
    `with incoming as (
       select * from unnest($2::text[], $3::text[], $4::text[], $5::text[]) as t(phone, name, email, notes)
     ), upserted as (
       insert into public.contacts as c (org_id, phone, name, email, notes, lead_status)
       select $1, phone, name, email, notes, 'new' from incoming
       on conflict (org_id, phone) do update
          set name = coalesce(excluded.name, c.name),
              email = coalesce(excluded.email, c.email),
              notes = coalesce(excluded.notes, c.notes)
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted)::int as created, count(*) filter (where not inserted)::int as updated from upserted`,
    [orgId, contacts.map((c) => c.phone), contacts.map((c) => c.name), contacts.map((c) => c.email), contacts.map((c) => c.notes)],
  );
  return rows[0]!;
}

export type ExportContactRow = {
  name: string | null;
  phone: string;
  email: string | null;
  lead_status: string;
  lead_temperature: string;
  lead_score: number;
  service_interests: string[];
  last_contacted_at: Date | null;
  notes: string | null;
};

export async function contactsForExport(db: Db, orgId: string): Promise<ExportContactRow[]> {
  const { rows } = await db.query<ExportContactRow>(
    `select name, phone, email, lead_status, lead_temperature, lead_score, service_interests, last_contacted_at, notes
       from public.contacts where org_id = $1 order by coalesce(last_contacted_at, created_at) desc, id limit 50000`,
    [orgId],
  );
  return rows;
}
