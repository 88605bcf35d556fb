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
 *
 * Whole local days inside the window are read from the call_stats_daily rollup (one row per day,
 * kept exact by triggers: supabase/migrations/20261223000100_call_stats_daily.sql); only the
 * partial days at its edges — today up to now, an explicit window's first and last day — are
 * counted from call_logs. bench/dashboard.bench.ts measures why.
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
     -- [d1, d2): the whole local days inside [f, t). Raw rows cover [f, raw1_end) and [raw2_start, t).
     w as (
       select b.*, d.d1, d.d2,
              case when d.d1 < d.d2 then d.d1::timestamp at time zone b.tz else b.t end as raw1_end,
              case when d.d1 < d.d2 then d.d2::timestamp at time zone b.tz else b.t end as raw2_start
         from b, lateral (
           select case when (b.f at time zone b.tz) = date_trunc('day', b.f at time zone b.tz) then (b.f at time zone b.tz)::date
                       else (b.f at time zone b.tz)::date + 1 end as d1,
                  (b.t at time zone b.tz)::date as d2
         ) d
     ),
     calls as (
       select cl.direction, cl.booking_confirmed, cl.financial_value, cl.duration_seconds, cl.status, cl.lead_temperature,
              cl.is_emergency, cl.sentiment_label, (cl.started_at at time zone w.tz)::date as day
         from public.call_logs cl, w
        where cl.org_id = $1 and cl.started_at >= w.f and cl.started_at < w.raw1_end
       union all
       select cl.direction, cl.booking_confirmed, cl.financial_value, cl.duration_seconds, cl.status, cl.lead_temperature,
              cl.is_emergency, cl.sentiment_label, (cl.started_at at time zone w.tz)::date as day
         from public.call_logs cl, w
        where cl.org_id = $1 and cl.started_at >= w.raw2_start and cl.started_at < w.t
     ),
     parts as (
       select day, count(*)::int as calls,
              count(*) filter (where direction = 'inbound')::int as inbound,
              count(*) filter (where direction = 'outbound')::int as outbound,
              count(*) filter (where booking_confirmed)::int as booked,
              count(*) filter (where booking_confirmed and direction = 'inbound')::int as booked_inbound,
              coalesce(sum(financial_value), 0) as value,
              count(*) filter (where status = 'ended' and duration_seconds is not null)::int as timed_calls,
              coalesce(sum(duration_seconds) filter (where status = 'ended'), 0)::bigint as duration_seconds,
              count(*) filter (where lead_temperature = 'hot')::int as hot,
              count(*) filter (where is_emergency)::int as emergencies,
              count(*) filter (where sentiment_label = 'positive')::int as positive,
              count(*) filter (where sentiment_label = 'neutral')::int as neutral,
              count(*) filter (where sentiment_label = 'negative')::int as negative
         from calls group by day
       union all
       select s.day, s.calls, s.inbound, s.outbound, s.booked, s.booked_inbound, s.value, s.timed_calls, s.duration_seconds,
              s.hot, s.emergencies, s.positive, s.neutral, s.negative
         from public.call_stats_daily s, w
        where s.org_id = $1 and s.day >= w.d1 and s.day < w.d2
     ),
     per_day as (
       select day, sum(calls)::int as calls, sum(inbound)::int as inbound, sum(outbound)::int as outbound, sum(booked)::int as booked,
              sum(booked_inbound)::int as booked_inbound, sum(value) as value, sum(timed_calls)::int as timed_calls,
              sum(duration_seconds)::bigint as duration_seconds, sum(hot)::int as hot, sum(emergencies)::int as emergencies,
              sum(positive)::int as positive, sum(neutral)::int as neutral, sum(negative)::int as negative
         from parts group by day
     ),
     agg as (
       select coalesce(sum(calls), 0)::int as total,
              coalesce(sum(inbound), 0)::int as inbound,
              coalesce(sum(outbound), 0)::int as outbound,
              coalesce(sum(booked), 0)::int as booked,
              coalesce(sum(booked_inbound), 0)::int as booked_inbound,
              coalesce(sum(value), 0) as pipeline,
              coalesce(sum(duration_seconds)::float8 / nullif(sum(timed_calls), 0), 0)::float8 as avg_duration,
              coalesce(sum(hot), 0)::int as hot,
              coalesce(sum(emergencies), 0)::int as emergencies,
              coalesce(sum(positive), 0)::int as positive,
              coalesce(sum(neutral), 0)::int as neutral,
              coalesce(sum(negative), 0)::int as negative
         from per_day
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
