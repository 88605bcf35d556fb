import type { Db } from "../../db/database";

export type SummaryRecipient = { user_id: string; email: string; full_name: string | null; org_id: string; clinic_name: string; timezone: string };

/** Owners who opted in, of active clinics where it is now `hour` o'clock (clinic time). */
export async function recipientsAtHour(db: Db, now: Date, hour: number): Promise<SummaryRecipient[]> {
  const { rows } = await db.query<SummaryRecipient>(
    `select p.user_id, p.email, p.full_name, o.id as org_id, o.name as clinic_name, o.timezone
       from public.profiles p join public.organizations o on o.id = p.org_id
      where p.role = 'owner' and p.daily_summary and o.status = 'active'
        and extract(hour from ($1::timestamptz at time zone o.timezone)) = $2
      order by o.id, p.user_id`,
    [now, hour],
  );
  return rows;
}

export type DayCounts = { calls: number; bookings: number; hot_leads: number; emergencies: number };

/** One clinic's day, [from, to): calls that started, appointments booked, hot leads and emergencies among the calls. */
export async function dayCounts(db: Db, orgId: string, from: Date, to: Date): Promise<DayCounts> {
  const { rows } = await db.query<DayCounts>(
    `select
       (select count(*)::int from public.call_logs where org_id = $1 and started_at >= $2 and started_at < $3) as calls,
       (select count(*)::int from public.appointments where org_id = $1 and created_at >= $2 and created_at < $3 and source <> 'import') as bookings,
       (select count(*)::int from public.call_logs where org_id = $1 and started_at >= $2 and started_at < $3 and lead_temperature = 'hot') as hot_leads,
       (select count(*)::int from public.call_logs where org_id = $1 and started_at >= $2 and started_at < $3 and is_emergency) as emergencies`,
    [orgId, from, to],
  );
  return rows[0]!;
}
