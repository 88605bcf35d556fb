-- call_stats_daily_add (migration 20261223000100) runs for every call written, at commit. As a SQL
-- function with a pinned search_path it cannot be inlined, so PostgreSQL planned its upsert again
-- on every call: about 1 ms of each end-of-call report (BENCH_PROFILE=1 npm run bench postcall).
-- PL/pgSQL keeps the plan for the session. Same statement, same arguments.
create or replace function public.call_stats_daily_add(p_sign integer, c public.call_logs) returns void
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.call_stats_daily as s
      (org_id, day, calls, inbound, outbound, booked, booked_inbound, value, timed_calls, duration_seconds,
       hot, emergencies, positive, neutral, negative)
    select o.id, (c.started_at at time zone o.timezone)::date, p_sign,
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
    on conflict (org_id, day) do update set
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
