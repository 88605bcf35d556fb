-- The dashboard rollup (migration 20261223000100) in shards: each clinic day is up to 8 rows,
-- one per database connection slot (pg_backend_pid() % 8), which readers add up (they already
-- sum a window's days: modules/dashboard/queries.ts).
--
-- Why: every commit that stores a call updates its clinic day's rollup row, so concurrent
-- writers of one clinic's day queued behind each other's commits on that one row — 7 ms per
-- call at 32 concurrent end-of-call writers (bench/postcall.bench.ts, BENCH_PROFILE=1). A
-- connection runs one transaction at a time, so writers on different connections now rarely
-- meet. The rebuild (time-zone change) still writes one row per day, in shard 0.
alter table public.call_stats_daily
  add column shard smallint not null default 0 check (shard between 0 and 7),
  drop constraint call_stats_daily_pkey,
  add primary key (org_id, day, shard);

create or replace function public.call_stats_daily_add(p_sign integer, c public.call_logs) returns void
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.call_stats_daily as s
      (org_id, day, shard, calls, inbound, outbound, booked, booked_inbound, value, timed_calls, duration_seconds,
       hot, emergencies, positive, neutral, negative)
    select o.id, (c.started_at at time zone o.timezone)::date, pg_backend_pid() % 8, p_sign,
           p_sign * (c.direction = 'inbound')::int,
           p_sign * (c.direction = 'outbound')::int,
           p_sign * c.booking_confirmed::int,
           p_sign * (c.booking_confirmed and c.direction = 'inbound')::int,
           p_sign * c.financial_value,
           p_sign * (c.status = 'ended' and c.duration_seconds is not null)::int,
           p_sign * case when c.status = 'ended' then coalesce(c.duration_seconds, 0) else 0 end,
           p_sign * (c.lead_temperature is not distinct from 'hot')::int,
           p_sign * c.is_emergency::int,
           p_sign * (c.sentiment_label is not distinct from 'positive')::int,
           p_sign * (c.sentiment_label is not distinct from 'neutral')::int,
           p_sign * (c.sentiment_label is not distinct from 'negative')::int
      from public.organizations o where o.id = c.org_id
    on conflict (org_id, day, shard) do update set
      calls = s.calls + excluded.calls,
      inbound = s.inbound + excluded.inbound,
      outbound = s.outbound + excluded.outbound,
      booked = s.booked + excluded.booked,
      booked_inbound = s.booked_inbound + excluded.booked_inbound,
      value = s.value + excluded.value,
      timed_calls = s.timed_calls + excluded.timed_calls,
      duration_seconds = s.duration_seconds + excluded.duration_seconds,
      hot = s.hot + excluded.hot,
      emergencies = s.emergencies + excluded.emergencies,
      positive = s.positive + excluded.positive,
      neutral = s.neutral + excluded.neutral,
      negative = s.negative + excluded.negative;
end $$;
revoke execute on function public.call_stats_daily_add(integer, public.call_logs) from public, anon, authenticated;
