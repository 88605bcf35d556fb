-- Live events without serialised commits.
--
-- Why deferred: a transaction that NOTIFYs holds a database-wide lock from pre-commit until its
-- commit is durable (the WAL flush), so notifying transactions commit one at a time and group
-- commit is lost (end-of-call ingestion fell from ~900 to ~120 transactions/s). The API's
-- transactions (Database.transaction) set voxanne.defer_live_events; their events are collected
-- in a transaction-local setting and sent by flush_live_events() right after COMMIT, in a
-- statement that writes no WAL. Any other writer (psql, operators) still notifies directly, so
-- every write path reaches the dashboards.
create or replace function public.publish_live_event(p_org_id uuid, p_type text, p_data jsonb) returns void
language plpgsql volatile set search_path = '' as $$
declare
  payload text := jsonb_build_object(
    'id', gen_random_uuid(),
    'type', p_type,
    'orgId', p_org_id,
    'at', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'data', p_data)::text;
  pending text;
  overflow text;
begin
  if current_setting('voxanne.defer_live_events', true) is distinct from 'on' then
    perform pg_notify('voxanne_events', payload);
    return;
  end if;
  pending := coalesce(current_setting('voxanne.live_events', true), '');
  if length(pending) + length(payload) <= 262144 then
    perform set_config('voxanne.live_events', pending || payload || chr(10), true);
  else
    -- A bulk change (an import): one "resync" per org instead of thousands of events.
    overflow := coalesce(current_setting('voxanne.live_events_overflow', true), '');
    if position(p_org_id::text in overflow) = 0 then
      perform set_config('voxanne.live_events_overflow', overflow || p_org_id::text || ',', true);
    end if;
  end if;
end $$;

-- Sends what a committed transaction deferred: its events (newline-separated JSON) and a
-- "resync" message for each org whose events overflowed.
create or replace function public.flush_live_events(p_events text, p_overflow text) returns void
language plpgsql volatile set search_path = '' as $$
declare
  item text;
begin
  foreach item in array string_to_array(coalesce(p_events, ''), chr(10)) loop
    if item <> '' then
      perform pg_notify('voxanne_events', item);
    end if;
  end loop;
  foreach item in array string_to_array(coalesce(p_overflow, ''), ',') loop
    if item <> '' then
      perform pg_notify('voxanne_events', jsonb_build_object(
        'id', gen_random_uuid(), 'type', 'resync', 'orgId', item::uuid,
        'at', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
    end if;
  end loop;
end $$;

revoke execute on function public.publish_live_event(uuid, text, jsonb) from public, anon, authenticated, service_role;
revoke execute on function public.flush_live_events(text, text) from public, anon, authenticated, service_role;
