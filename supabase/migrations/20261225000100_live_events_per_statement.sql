-- Live events of calls and contacts, once per statement instead of once per row.
--
-- Why: an end-of-call batch writes all its calls and leads in one statement
-- (modules/pipeline/queries.ts completeCallLogs). Row triggers ran two security-definer
-- functions per row and rewrote the transaction's pending-events setting (migration
-- 20261123000401) once per event: about a sixth of the database's CPU per report
-- (bench/postcall.bench.ts). Statement triggers see every changed row in their transition
-- tables, build the same events (same types, same fields, same order) and append them at once.

-- Appends a statement's events: deferred to after COMMIT inside the API's transactions, sent at
-- once otherwise. When they do not fit the pending buffer, each of their orgs gets one "resync".
create or replace function public.publish_live_events(p_payloads text[], p_org_ids uuid[]) returns void
language plpgsql volatile set search_path = '' as $$
declare
  item text;
  org uuid;
  joined text;
  pending text;
  overflow text;
begin
  if coalesce(cardinality(p_payloads), 0) = 0 then
    return;
  end if;
  if current_setting('voxanne.defer_live_events', true) is distinct from 'on' then
    foreach item in array p_payloads loop
      perform pg_notify('voxanne_events', item);
    end loop;
    return;
  end if;
  joined := array_to_string(p_payloads, chr(10)) || chr(10);
  pending := coalesce(current_setting('voxanne.live_events', true), '');
  if length(pending) + length(joined) <= 262144 then
    perform set_config('voxanne.live_events', pending || joined, true);
  else
    overflow := coalesce(current_setting('voxanne.live_events_overflow', true), '');
    foreach org in array p_org_ids loop
      if position(org::text in overflow) = 0 then
        overflow := overflow || org::text || ',';
      end if;
    end loop;
    perform set_config('voxanne.live_events_overflow', overflow, true);
  end if;
end $$;
revoke execute on function public.publish_live_events(text[], uuid[]) from public, anon, authenticated, service_role;

-- One event's JSON, as publish_live_event builds it.
create or replace function public.live_event_payload(p_org_id uuid, p_type text, p_data jsonb) returns text
language sql volatile set search_path = '' as $$
  select jsonb_build_object(
    'id', gen_random_uuid(),
    'type', p_type,
    'orgId', p_org_id,
    'at', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'data', p_data)::text
$$;
revoke execute on function public.live_event_payload(uuid, text, jsonb) from public, anon, authenticated, service_role;

-- Calls --------------------------------------------------------------------------------------
-- Inserted: call.started, or call.ended for a call first seen in its report. Updated: call.ended
-- when it ends, call.updated when anything but the bookkeeping columns changed, else nothing.
create or replace function public.call_logs_live_events() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  ids uuid[];
  types text[];
begin
  -- First which rows send which event, then one query builds them all (a transition table's row
  -- is an anonymous record, so its fields are listed there: those of migration 20261123000400).
  if tg_op = 'INSERT' then
    select array_agg(n.id), array_agg(case when n.status = 'ended' then 'call.ended' else 'call.started' end)
      into ids, types
      from new_rows n;
  else
    select array_agg(n.id), array_agg(t.type)
      into ids, types
      from new_rows n
      join old_rows o on o.id = n.id
      cross join lateral (
        select case when n.status = 'ended' and o.status <> 'ended' then 'call.ended'
                    when (to_jsonb(n) - 'updated_at' - 'search') is distinct from (to_jsonb(o) - 'updated_at' - 'search') then 'call.updated'
               end as type) t
     where t.type is not null;
  end if;
  if ids is null then
    return null;
  end if;
  perform public.publish_live_events(
    array_agg(public.live_event_payload(n.org_id, e.type, jsonb_build_object(
      'id', n.id, 'vapiCallId', n.vapi_call_id, 'direction', n.direction, 'status', n.status,
      'fromNumber', n.from_number, 'toNumber', n.to_number, 'startedAt', n.started_at, 'endedAt', n.ended_at,
      'durationSeconds', n.duration_seconds, 'contactId', n.contact_id, 'sentimentLabel', n.sentiment_label,
      'bookingConfirmed', n.booking_confirmed, 'financialValue', n.financial_value, 'leadScore', n.lead_score,
      'leadTemperature', n.lead_temperature, 'urgency', n.urgency, 'isEmergency', n.is_emergency,
      'recordingStatus', n.recording_status, 'analyzed', n.report_received_at is not null)) order by e.ord),
    array_agg(distinct n.org_id))
    from unnest(ids, types) with ordinality as e(id, type, ord)
    join new_rows n on n.id = e.id;
  return null;
end $$;
revoke execute on function public.call_logs_live_events() from public, anon, authenticated;

drop trigger call_logs_live_event on public.call_logs;
drop function public.call_logs_live_event();
create trigger call_logs_live_events_insert after insert on public.call_logs
  referencing new table as new_rows
  for each statement execute function public.call_logs_live_events();
create trigger call_logs_live_events_update after update on public.call_logs
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.call_logs_live_events();

-- Contacts -----------------------------------------------------------------------------------
create or replace function public.contacts_live_events() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  ids uuid[];
begin
  -- The contacts that send an event, then one query builds them all (as for calls above).
  if tg_op = 'INSERT' then
    select array_agg(n.id) into ids from new_rows n;
  else
    select array_agg(n.id) into ids
      from new_rows n join old_rows o on o.id = n.id
     where (n.name, n.phone, n.email, n.lead_status, n.lead_score, n.lead_temperature, n.service_interests, n.last_contacted_at)
           is distinct from
           (o.name, o.phone, o.email, o.lead_status, o.lead_score, o.lead_temperature, o.service_interests, o.last_contacted_at);
  end if;
  if ids is null then
    return null;
  end if;
  perform public.publish_live_events(
    array_agg(public.live_event_payload(n.org_id, 'contact.updated', jsonb_build_object(
      'id', n.id, 'name', n.name, 'phone', n.phone, 'leadStatus', n.lead_status, 'leadScore', n.lead_score,
      'leadTemperature', n.lead_temperature, 'serviceInterests', n.service_interests, 'lastContactedAt', n.last_contacted_at)) order by e.ord),
    array_agg(distinct n.org_id))
    from unnest(ids) with ordinality as e(id, ord)
    join new_rows n on n.id = e.id;
  return null;
end $$;
revoke execute on function public.contacts_live_events() from public, anon, authenticated;

drop trigger contacts_live_event on public.contacts;
drop function public.contacts_live_event();
create trigger contacts_live_events_insert after insert on public.contacts
  referencing new table as new_rows
  for each statement execute function public.contacts_live_events();
create trigger contacts_live_events_update after update on public.contacts
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.contacts_live_events();
