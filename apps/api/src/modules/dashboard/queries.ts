import type { Db } from "../../db/database";
import { MISSED_SQL } from "../calls/queries";

export type StatsRow = {
  from_ts: Date;
  to_ts: Date;
  timezone: string;
  total: number;
  inbound: number;
  outbound: number;
  booked: number;
  booked_inbound: number;
  pipeline: number;
  avg_duration: number;
  hot: number;
  emergencies: number;
  positive: number;
  neutral: number;
  negative: number;
  live: number;
  daily: { day: string; calls: number; inbound: number; outbound: number; booked: number; value: number }[];
};

/**
 * Every KPI of the overview in one statement over the org's calls in [from, to). Without an
 * explicit window, the preset covers whole days in the clinic's time zone ending now
 * (`presetDays` = 0 for today, 6 for the last 7 days, …).
 */
export async function dashboardStats(
  db: Db,
  orgId: string,
  w: { from: string | null; to: string | null; now: Date; presetDays: number },
): Promise<StatsRow | null> {
  const { rows } = await db.query<StatsRow>(
    `with b as (
       select o.timezone as tz,
              coalesce($2::timestamptz,
                       (date_trunc('day', $4::timestamptz at time zone o.timezone) - make_interval(days => $5)) at time zone o.timezone) as f,
              coalesce($3::timestamptz, $4::timestamptz) as t
         from public.organizations o where o.id = $1
     ),
     calls as (
       select cl.direction, cl.booking_confirmed, cl.financial_value, cl.duration_seconds, cl.status, cl.lead_temperature,
              cl.is_emergency, cl.sentiment_label, (cl.started_at at time zone b.tz)::date as day
         from public.call_logs cl, b
        where cl.org_id = $1 and cl.started_at >= b.f and cl.started_at < b.t
     ),
     agg as (
       select count(*)::int as total,
              count(*) filter (where direction = 'inbound')::int as inbound,
              count(*) filter (where direction = 'outbound')::int as outbound,
              count(*) filter (where booking_confirmed)::int as booked,
              count(*) filter (where booking_confirmed and direction = 'inbound')::int as booked_inbound,
              coalesce(sum(financial_value), 0) as pipeline,
              coalesce(avg(duration_seconds) filter (where status = 'ended' and duration_seconds is not null), 0)::float8 as avg_duration,
              count(*) filter (where lead_temperature = 'hot')::int as hot,
              count(*) filter (where is_emergency)::int as emergencies,
              count(*) filter (where sentiment_label = 'positive')::int as positive,
              count(*) filter (where sentiment_label = 'neutral')::int as neutral,
              count(*) filter (where sentiment_label = 'negative')::int as negative
         from calls
     ),
     per_day as (
       select day, count(*)::int as calls,
              count(*) filter (where direction = 'inbound')::int as inbound,
              count(*) filter (where direction = 'outbound')::int as outbound,
              count(*) filter (where booking_confirmed)::int as booked,
              coalesce(sum(financial_value), 0) as value
         from calls group by day
     ),
     days as (
       select d::date as day
         from b, generate_series((b.f at time zone b.tz)::date, ((b.t - interval '1 microsecond') at time zone b.tz)::date, interval '1 day') d
     )
     select b.f as from_ts, b.t as to_ts, b.tz as timezone, agg.*,
            -- A call with no end for two hours lost its end-of-call report; don't call it live forever.
            (select count(*)::int from public.call_logs cl
              where cl.org_id = $1 and cl.status <> 'ended' and cl.started_at > $4::timestamptz - interval '2 hours') as live,
            (select coalesce(json_agg(json_build_object('day', to_char(days.day, 'YYYY-MM-DD'), 'calls', coalesce(p.calls, 0),
                                                        'inbound', coalesce(p.inbound, 0), 'outbound', coalesce(p.outbound, 0),
                                                        'booked', coalesce(p.booked, 0), 'value', coalesce(p.value, 0)) order by days.day), '[]'::json)
               from days left join per_day p on p.day = days.day) as daily
       from b, agg`,
    [orgId, w.from, w.to, w.now, w.presetDays],
  );
  return rows[0] ?? null;
}

export type ActivityRow = {
  source: "call" | "appointment";
  id: string;
  at: Date;
  status: string | null;
  direction: string | null;
  booking_confirmed: boolean;
  is_emergency: boolean;
  transferred: boolean;
  missed: boolean;
  lead_temperature: string | null;
  sentiment_label: string | null;
  value: number;
  interests: string[];
  service_name: string | null;
  contact_name: string | null;
  phone: string | null;
};

/** The last 10 things that happened: calls (by their latest moment) and cancellations. */
export async function recentActivity(db: Db, orgId: string): Promise<ActivityRow[]> {
  const { rows } = await db.query<ActivityRow>(
    `(select 'call' as source, cl.id, coalesce(cl.ended_at, cl.started_at) as at, cl.status, cl.direction, cl.booking_confirmed,
             cl.is_emergency, (cl.transfer_to is not null or cl.transfer_time is not null) as transferred, ${MISSED_SQL} as missed,
             cl.lead_temperature, cl.sentiment_label, cl.financial_value as value, cl.service_interests as interests,
             null::text as service_name, c.name as contact_name,
             coalesce(c.phone, case when cl.direction = 'outbound' then cl.to_number else cl.from_number end) as phone
        from public.call_logs cl left join public.contacts c on c.id = cl.contact_id and c.org_id = cl.org_id
       where cl.org_id = $1
       order by cl.started_at desc limit 10)
     union all
     (select 'appointment', a.id, a.cancelled_at, a.status, null, false, false, false, false, null, null,
             coalesce(s.price, 0), '{}'::text[], s.name, c.name, c.phone
        from public.appointments a
        left join public.contacts c on c.id = a.contact_id and c.org_id = a.org_id
        left join public.services s on s.id = a.service_id and s.org_id = a.org_id
       where a.org_id = $1 and a.status = 'cancelled' and a.cancelled_at is not null
       order by a.cancelled_at desc limit 10)
     order by at desc limit 10`,
    [orgId],
  );
  return rows;
}
