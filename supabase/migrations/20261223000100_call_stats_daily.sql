-- Dashboard stats rollup (bench/dashboard.bench.ts): one row per clinic and local day (the
-- clinic's own time zone) with everything the overview's KPIs add up. A 90-day window of a busy
-- clinic reads 90 rows here instead of tens of thousands of call_logs rows; the partial days at
-- the window's edges (today up to now, an explicit window's first and last day) still come from
-- call_logs (modules/dashboard/queries.ts).
--
-- Kept exact by triggers: every insert, delete and relevant update of call_logs moves its row's
-- contribution out of its old day and into its new one, and a clinic's time-zone change rebuilds
-- its days. test/call-stats-rollup.test.ts compares the rollup with the raw rows.
-- Every writer of a clinic's day updates the same row, so the triggers are deferred to commit:
-- the row is locked only for the moment a transaction commits, after every other lock it takes
-- (contacts, usage_daily — modules/pipeline/batcher.ts orders those). Taken mid-transaction it
-- made concurrent end-of-call batches of one clinic time out and deadlock on it
-- (test/pipeline.test.ts, 40 reports at once). Deferred row triggers still see each change's own
-- old and new row, so several updates of one call in one transaction add up exactly.
create table public.call_stats_daily (
  org_id uuid not null references public.organizations (id) on delete cascade,
  day date not null,
  calls integer not null default 0,
  inbound integer not null default 0,
  outbound integer not null default 0,
  booked integer not null default 0,
  booked_inbound integer not null default 0,
  value numeric(16, 2) not null default 0,
  -- Ended calls with a duration, and the sum of their durations: the average duration's parts.
  timed_calls integer not null default 0,
  duration_seconds bigint not null default 0,
  hot integer not null default 0,
  emergencies integer not null default 0,
  positive integer not null default 0,
  neutral integer not null default 0,
  negative integer not null default 0,
  primary key (org_id, day)
);

-- Server-written (by the triggers below); members of the clinic may read it.
alter table public.call_stats_daily enable row level security;
create policy call_stats_daily_select on public.call_stats_daily
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
revoke all on public.call_stats_daily from anon, authenticated;
grant select on public.call_stats_daily to authenticated;
create trigger call_stats_daily_refuse_while_suspended before insert or update or delete on public.call_stats_daily
  for each row execute function public.refuse_writes_while_suspended();

-- Adds (p_sign = 1) or removes (p_sign = -1) one call's contribution to its clinic's local day.
-- Nothing happens when the clinic is gone (its rollup goes with it, on delete cascade).
-- PL/pgSQL keeps the upsert's plan for the session; a SQL function with a pinned search_path is
-- not inlined and was planned again for every call written (1 ms of each end-of-call report,
-- BENCH_PROFILE=1 npm run bench -- postcall).
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
revoke execute on function public.call_stats_daily_add(integer, public.call_logs) from public, anon, authenticated;

create or replace function public.call_logs_stats_rollup() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform public.call_stats_daily_add(-1, old);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform public.call_stats_daily_add(1, new);
  end if;
  return null;
end $$;
revoke execute on function public.call_logs_stats_rollup() from public, anon, authenticated;

create constraint trigger call_logs_stats_rollup after insert or delete on public.call_logs
  deferrable initially deferred
  for each row execute function public.call_logs_stats_rollup();
-- Transcripts, recordings and status pings update call_logs often; only a change to what the
-- stats count touches the rollup.
create constraint trigger call_logs_stats_rollup_update after update on public.call_logs
  deferrable initially deferred
  for each row
  when ((old.org_id, old.started_at, old.direction, old.status, old.booking_confirmed, old.financial_value, old.duration_seconds,
         old.lead_temperature, old.is_emergency, old.sentiment_label)
        is distinct from
        (new.org_id, new.started_at, new.direction, new.status, new.booking_confirmed, new.financial_value, new.duration_seconds,
         new.lead_temperature, new.is_emergency, new.sentiment_label))
  execute function public.call_logs_stats_rollup();

-- A clinic's days are its own: when its time zone changes, its rollup is rebuilt in the new one.
create or replace function public.call_stats_daily_rebuild(p_org_id uuid) returns void
language sql security definer set search_path = '' as $$
  delete from public.call_stats_daily where org_id = p_org_id;
  insert into public.call_stats_daily
    (org_id, day, calls, inbound, outbound, booked, booked_inbound, value, timed_calls, duration_seconds,
     hot, emergencies, positive, neutral, negative)
  select cl.org_id, (cl.started_at at time zone o.timezone)::date,
         count(*),
         count(*) filter (where cl.direction = 'inbound'),
         count(*) filter (where cl.direction = 'outbound'),
         count(*) filter (where cl.booking_confirmed),
         count(*) filter (where cl.booking_confirmed and cl.direction = 'inbound'),
         coalesce(sum(cl.financial_value), 0),
         count(*) filter (where cl.status = 'ended' and cl.duration_seconds is not null),
         coalesce(sum(cl.duration_seconds) filter (where cl.status = 'ended'), 0),
         count(*) filter (where cl.lead_temperature = 'hot'),
         count(*) filter (where cl.is_emergency),
         count(*) filter (where cl.sentiment_label = 'positive'),
         count(*) filter (where cl.sentiment_label = 'neutral'),
         count(*) filter (where cl.sentiment_label = 'negative')
    from public.call_logs cl join public.organizations o on o.id = cl.org_id
   where cl.org_id = p_org_id
   group by 1, 2
$$;
revoke execute on function public.call_stats_daily_rebuild(uuid) from public, anon, authenticated;

create or replace function public.organizations_rebuild_call_stats() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform public.call_stats_daily_rebuild(new.id);
  return null;
end $$;
revoke execute on function public.organizations_rebuild_call_stats() from public, anon, authenticated;
create trigger organizations_rebuild_call_stats after update of timezone on public.organizations
  for each row when (old.timezone is distinct from new.timezone)
  execute function public.organizations_rebuild_call_stats();

-- Existing calls.
select public.call_stats_daily_rebuild(o.id) from public.organizations o;

-- The activity feed's cancellations, newest first, without reading every appointment of the clinic.
create index appointments_org_cancelled_idx on public.appointments (org_id, cancelled_at desc) where status = 'cancelled';
