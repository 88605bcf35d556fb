-- After the call: call_logs (one row per Vapi call, completed by the end-of-call report),
-- messages (audit of every SMS/email we send or decided not to send), usage_daily (metering per
-- org and day), live_tickets (single-use WebSocket tickets), and the triggers that publish
-- live events with pg_notify so every write path — webhooks, tools, dashboard, operators —
-- reaches the dashboards of that org, whichever API process holds their sockets.

-- Call lifecycle order. A status may only move forward, so a late or redelivered status-update
-- never rewinds a call (e.g. "in-progress" arriving after "ended").
create or replace function public.call_status_rank(p_status text) returns integer
language sql immutable parallel safe set search_path = '' as $$
  select case p_status
    when 'scheduled' then 0 when 'queued' then 1 when 'ringing' then 2
    when 'in-progress' then 3 when 'forwarding' then 4 when 'ended' then 5
    else -1 end
$$;

-- Call logs ----------------------------------------------------------------------------------
create table public.call_logs (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  -- Vapi's call.id: the idempotency key of every lifecycle message.
  vapi_call_id text not null unique check (length(vapi_call_id) between 1 and 200),
  direction text not null default 'inbound' check (direction in ('inbound', 'outbound', 'web')),
  status text not null default 'ringing' check (public.call_status_rank(status) >= 0),
  from_number text,
  to_number text,
  -- First seen (ringing) until the end-of-call report gives Vapi's own startedAt.
  started_at timestamptz not null default now(),
  ended_at timestamptz,
  duration_seconds integer check (duration_seconds >= 0),
  -- PII-redacted before it is written (SSNs, Luhn-valid card numbers, dates of birth).
  transcript text,
  messages jsonb not null default '[]'::jsonb check (jsonb_typeof(messages) = 'array'),
  summary text,
  recording_url text,
  stereo_recording_url text,
  recording_status text not null default 'pending'
    check (recording_status in ('pending', 'processing', 'completed', 'failed')),
  transfer_to text,
  transfer_time timestamptz,
  transfer_reason text,
  sentiment_score numeric(4, 3) check (sentiment_score between -1 and 1),
  sentiment_label text check (sentiment_label in ('positive', 'neutral', 'negative')),
  sentiment_source text check (sentiment_source in ('vapi', 'lexicon')),
  urgency text not null default 'normal' check (urgency in ('low', 'normal', 'high')),
  is_emergency boolean not null default false,
  booking_confirmed boolean not null default false,
  lead_score integer check (lead_score between 0 and 100),
  lead_temperature text check (lead_temperature in ('hot', 'warm', 'cold')),
  service_interests text[] not null default '{}',
  financial_value numeric(12, 2) not null default 0 check (financial_value >= 0),
  -- Free text: Vapi has hundreds of ended reasons and adds more.
  ended_reason text,
  cost numeric(12, 4),
  contact_id uuid,
  -- Set by the first end-of-call report; any later delivery of the report changes nothing.
  report_received_at timestamptz,
  last_status_at timestamptz,
  search tsvector generated always as (
    to_tsvector('english', coalesce(summary, '') || ' ' || coalesce(transcript, ''))
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ended_at is null or ended_at >= started_at - interval '1 minute'),
  unique (id, org_id),
  foreign key (contact_id, org_id) references public.contacts (id, org_id) on delete set null (contact_id)
);
-- The calls list and stats: newest first per org, keyset-paginated on (started_at, id).
create index call_logs_org_started_idx on public.call_logs (org_id, started_at desc, id desc);
create index call_logs_contact_idx on public.call_logs (contact_id, started_at desc) where contact_id is not null;
create index call_logs_search_idx on public.call_logs using gin (search);
create trigger call_logs_updated_at before update on public.call_logs
  for each row execute function public.set_updated_at();

-- Messages -----------------------------------------------------------------------------------
create table public.messages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  direction text not null default 'outbound' check (direction in ('outbound', 'inbound')),
  method text not null check (method in ('sms', 'email')),
  -- What the message is for: hot_lead_alert, follow_up, reminder, confirmation, …
  purpose text not null default 'other' check (purpose ~ '^[a-z_]{1,40}$'),
  recipient text,
  content text not null check (length(content) <= 5000),
  status text not null default 'queued' check (status in ('queued', 'sent', 'delivered', 'failed', 'not_sent')),
  -- Why a message is failed / not_sent, in words a clinic can act on.
  status_reason text,
  service_provider text,
  external_message_id text,
  call_log_id uuid,
  contact_id uuid,
  -- A job retried after a crash finds its earlier row instead of sending twice.
  idempotency_key text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status not in ('failed', 'not_sent') or status_reason is not null),
  check (status not in ('sent', 'delivered') or (recipient is not null and sent_at is not null)),
  unique (org_id, idempotency_key),
  foreign key (call_log_id, org_id) references public.call_logs (id, org_id) on delete set null (call_log_id),
  foreign key (contact_id, org_id) references public.contacts (id, org_id) on delete set null (contact_id)
);
create index messages_org_created_idx on public.messages (org_id, created_at desc);
create index messages_call_idx on public.messages (call_log_id) where call_log_id is not null;
create trigger messages_updated_at before update on public.messages
  for each row execute function public.set_updated_at();

-- Usage --------------------------------------------------------------------------------------
-- One row per org and day (in the org's time zone), added to once per completed call.
create table public.usage_daily (
  org_id uuid not null references public.organizations (id) on delete cascade,
  day date not null,
  calls integer not null default 0 check (calls >= 0),
  seconds bigint not null default 0 check (seconds >= 0),
  minutes numeric(14, 2) generated always as (round(seconds / 60.0, 2)) stored,
  cost numeric(14, 4) not null default 0,
  updated_at timestamptz not null default now(),
  primary key (org_id, day)
);

-- Live tickets -------------------------------------------------------------------------------
-- A signed-in dashboard trades its session for a ticket (hashed here), then opens /ws?ticket=…
-- on any API process. Consuming deletes the row, so a ticket works once.
create table public.live_tickets (
  token_hash text primary key check (length(token_hash) = 64),
  org_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index live_tickets_expires_idx on public.live_tickets (expires_at);

-- RLS ----------------------------------------------------------------------------------------
alter table public.call_logs enable row level security;
alter table public.messages enable row level security;
alter table public.usage_daily enable row level security;
alter table public.live_tickets enable row level security;

create policy call_logs_org on public.call_logs
  for all to authenticated
  using (org_id = (select public.auth_org_id()))
  with check (org_id = (select public.auth_org_id()));

create policy messages_org on public.messages
  for all to authenticated
  using (org_id = (select public.auth_org_id()))
  with check (org_id = (select public.auth_org_id()));

-- Metering is written by the pipeline only; members may read their own org's usage.
create policy usage_daily_org_select on public.usage_daily
  for select to authenticated using (org_id = (select public.auth_org_id()));
revoke insert, update, delete, truncate on public.usage_daily from anon, authenticated;

-- A member issues tickets for themselves only; consuming runs as the service role.
create policy live_tickets_own on public.live_tickets
  for all to authenticated
  using (org_id = (select public.auth_org_id()) and user_id = (select auth.uid()))
  with check (org_id = (select public.auth_org_id()) and user_id = (select auth.uid()));

-- Live events --------------------------------------------------------------------------------
-- One channel; the payload names the org so each API process routes it to that org's room.
-- Payloads stay small (ids and a few fields, never transcripts): NOTIFY allows < 8000 bytes.
create or replace function public.publish_live_event(p_org_id uuid, p_type text, p_data jsonb) returns void
language sql volatile set search_path = '' as $$
  select pg_notify('voxanne_events', jsonb_build_object(
    'id', gen_random_uuid(),
    'type', p_type,
    'orgId', p_org_id,
    'at', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'data', p_data)::text)
$$;

create or replace function public.call_logs_live_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  event_type text;
begin
  if tg_op = 'INSERT' then
    event_type := case when new.status = 'ended' then 'call.ended' else 'call.started' end;
  elsif new.status = 'ended' and old.status <> 'ended' then
    event_type := 'call.ended';
  elsif (to_jsonb(new) - 'updated_at' - 'search') is distinct from (to_jsonb(old) - 'updated_at' - 'search') then
    event_type := 'call.updated';
  else
    return null;
  end if;
  perform public.publish_live_event(new.org_id, event_type, jsonb_build_object(
    'id', new.id,
    'vapiCallId', new.vapi_call_id,
    'direction', new.direction,
    'status', new.status,
    'fromNumber', new.from_number,
    'toNumber', new.to_number,
    'startedAt', new.started_at,
    'endedAt', new.ended_at,
    'durationSeconds', new.duration_seconds,
    'contactId', new.contact_id,
    'sentimentLabel', new.sentiment_label,
    'bookingConfirmed', new.booking_confirmed,
    'financialValue', new.financial_value,
    'leadScore', new.lead_score,
    'leadTemperature', new.lead_temperature,
    'urgency', new.urgency,
    'isEmergency', new.is_emergency,
    'recordingStatus', new.recording_status,
    'analyzed', new.report_received_at is not null));
  return null;
end $$;
create trigger call_logs_live_event after insert or update on public.call_logs
  for each row execute function public.call_logs_live_event();

create or replace function public.appointments_live_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  event_type text;
begin
  if tg_op = 'INSERT' and new.status in ('booked', 'confirmed') then
    event_type := 'appointment.booked';
  elsif tg_op = 'UPDATE' and new.status = 'cancelled' and old.status <> 'cancelled' then
    event_type := 'appointment.cancelled';
  else
    return null;
  end if;
  perform public.publish_live_event(new.org_id, event_type, jsonb_build_object(
    'id', new.id,
    'contactId', new.contact_id,
    'serviceId', new.service_id,
    'vapiCallId', new.vapi_call_id,
    'startsAt', new.starts_at,
    'endsAt', new.ends_at,
    'status', new.status,
    'source', new.source));
  return null;
end $$;
create trigger appointments_live_event after insert or update of status on public.appointments
  for each row execute function public.appointments_live_event();

create or replace function public.contacts_live_event() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE'
     and new.name is not distinct from old.name
     and new.phone is not distinct from old.phone
     and new.email is not distinct from old.email
     and new.lead_status is not distinct from old.lead_status
     and new.lead_score is not distinct from old.lead_score
     and new.lead_temperature is not distinct from old.lead_temperature
     and new.service_interests is not distinct from old.service_interests
     and new.last_contacted_at is not distinct from old.last_contacted_at then
    return null;
  end if;
  perform public.publish_live_event(new.org_id, 'contact.updated', jsonb_build_object(
    'id', new.id,
    'name', new.name,
    'phone', new.phone,
    'leadStatus', new.lead_status,
    'leadScore', new.lead_score,
    'leadTemperature', new.lead_temperature,
    'serviceInterests', new.service_interests,
    'lastContactedAt', new.last_contacted_at));
  return null;
end $$;
create trigger contacts_live_event after insert or update on public.contacts
  for each row execute function public.contacts_live_event();

-- Only the (security definer) triggers publish: a member must not be able to inject events into
-- another org's room through an exposed RPC.
revoke execute on function public.publish_live_event(uuid, text, jsonb) from public, anon, authenticated, service_role;
