import type { Db } from "../../db/database";

export type SuspensionRow = { status: "active" | "suspended"; suspended_reason: string | null };

/** Whether the clinic is suspended, and why (the HTTP write guard and the admin service). */
export async function findSuspension(db: Db, orgId: string): Promise<SuspensionRow | null> {
  const { rows } = await db.query<SuspensionRow>("select status, suspended_reason from public.organizations where id = $1", [orgId]);
  return rows[0] ?? null;
}

export type ClinicOverviewRow = {
  id: string;
  name: string;
  timezone: string;
  status: "active" | "suspended";
  suspended_reason: string | null;
  suspended_at: Date | null;
  created_at: Date;
  today_calls: number;
  today_seconds: string;
  today_cost: string;
  month_calls: number;
  month_seconds: string;
  month_cost: string;
  agents: number;
  agents_synced: number;
  agents_failed: number;
  last_sync_error: string | null;
  integrations: { provider: string; status: string }[];
  last_call_at: Date | null;
};

/**
 * One row per clinic (or the one asked for): usage today and this month in the clinic's own time
 * zone (usage_daily.day is the org's local day), agent sync counts, credential statuses, last call.
 */
export async function listClinicOverviews(db: Db, now: Date, orgId: string | null = null): Promise<ClinicOverviewRow[]> {
  const { rows } = await db.query<ClinicOverviewRow>(
    `select o.id, o.name, o.timezone, o.status, o.suspended_reason, o.suspended_at, o.created_at,
            coalesce(u.today_calls, 0)::int as today_calls, coalesce(u.today_seconds, 0)::text as today_seconds,
            coalesce(u.today_cost, 0)::text as today_cost,
            coalesce(u.month_calls, 0)::int as month_calls, coalesce(u.month_seconds, 0)::text as month_seconds,
            coalesce(u.month_cost, 0)::text as month_cost,
            coalesce(a.agents, 0)::int as agents, coalesce(a.synced, 0)::int as agents_synced,
            coalesce(a.failed, 0)::int as agents_failed, a.last_error as last_sync_error,
            coalesce(c.integrations, '[]'::jsonb) as integrations,
            l.last_call_at
       from public.organizations o
       cross join lateral (select ($1::timestamptz at time zone o.timezone)::date as local_today) t
       left join lateral (
         select sum(calls) filter (where day = t.local_today) as today_calls,
                sum(seconds) filter (where day = t.local_today) as today_seconds,
                sum(cost) filter (where day = t.local_today) as today_cost,
                sum(calls) as month_calls, sum(seconds) as month_seconds, sum(cost) as month_cost
           from public.usage_daily d
          where d.org_id = o.id and d.day >= date_trunc('month', t.local_today)::date and d.day <= t.local_today
       ) u on true
       left join lateral (
         select count(*) as agents, count(*) filter (where sync_status = 'synced') as synced,
                count(*) filter (where sync_status = 'failed') as failed,
                (array_agg(sync_error order by updated_at desc) filter (where sync_status = 'failed'))[1] as last_error
           from public.agents g where g.org_id = o.id
       ) a on true
       left join lateral (
         select jsonb_agg(jsonb_build_object('provider', provider, 'status', status) order by provider) as integrations
           from public.org_credentials k where k.org_id = o.id
       ) c on true
       left join lateral (select max(started_at) as last_call_at from public.call_logs cl where cl.org_id = o.id) l on true
      where $2::uuid is null or o.id = $2
      order by o.name, o.id`,
    [now, orgId],
  );
  return rows;
}

export type UsageDayRow = { day: string; calls: number; seconds: string; cost: string };

export async function listUsageDays(db: Db, orgId: string, limit: number): Promise<UsageDayRow[]> {
  const { rows } = await db.query<UsageDayRow>(
    `select to_char(day, 'YYYY-MM-DD') as day, calls, seconds::text as seconds, cost::text as cost
       from public.usage_daily where org_id = $1 order by day desc limit $2`,
    [orgId, limit],
  );
  return rows;
}

export async function listMembers(db: Db, orgId: string): Promise<{ email: string; role: string; is_operator: boolean }[]> {
  const { rows } = await db.query<{ email: string; role: string; is_operator: boolean }>(
    "select email, role, is_operator from public.profiles where org_id = $1 order by role, email",
    [orgId],
  );
  return rows;
}

export async function listRecentAudit(
  db: Db,
  orgId: string,
  limit: number,
): Promise<{ action: string; actor_type: string; created_at: Date; data: Record<string, unknown> }[]> {
  const { rows } = await db.query<{ action: string; actor_type: string; created_at: Date; data: Record<string, unknown> }>(
    "select action, actor_type, created_at, data from public.audit_events where org_id = $1 order by created_at desc, id limit $2",
    [orgId, limit],
  );
  return rows;
}

/** Suspends (reason) or resumes (null) the clinic; false when there is no such clinic or nothing changed. */
export async function setSuspension(db: Db, orgId: string, reason: string | null): Promise<{ found: boolean; changed: boolean }> {
  const { rows } = await db.query<{ status: string }>("select status from public.organizations where id = $1 for update", [orgId]);
  if (!rows[0]) return { found: false, changed: false };
  const { rowCount } = await db.query(
    reason === null
      ? `update public.organizations set status = 'active', suspended_reason = null, suspended_at = null
          where id = $1 and status = 'suspended'`
      : `update public.organizations set status = 'suspended', suspended_reason = $2, suspended_at = now()
          where id = $1 and (status <> 'suspended' or suspended_reason is distinct from $2)`,
    reason === null ? [orgId] : [orgId, reason],
  );
  return { found: true, changed: (rowCount ?? 0) > 0 };
}

export async function insertOperatorAudit(
  db: Db,
  event: { orgId: string; actorUserId: string | null; action: string; targetType: string; targetId: string; data: Record<string, unknown> },
): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_user_id, actor_type, action, target_type, target_id, data)
     values ($1, $2, 'operator', $3, $4, $5, $6)`,
    [event.orgId, event.actorUserId, event.action, event.targetType, event.targetId, event.data],
  );
}

export type UsageExportRow = { org_id: string; name: string; day: string; calls: number; seconds: string; minutes: string; cost: string };

export async function listUsageForMonth(db: Db, monthStart: string): Promise<UsageExportRow[]> {
  const { rows } = await db.query<UsageExportRow>(
    `select d.org_id, o.name, to_char(d.day, 'YYYY-MM-DD') as day, d.calls, d.seconds::text as seconds,
            d.minutes::text as minutes, d.cost::text as cost
       from public.usage_daily d join public.organizations o on o.id = d.org_id
      where d.day >= $1::date and d.day < ($1::date + interval '1 month')
      order by o.name, d.org_id, d.day`,
    [monthStart],
  );
  return rows;
}
