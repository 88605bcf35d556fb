-- Agents (the clinic's Vapi assistants) and phone numbers (the clinic's lines imported into Vapi).
-- Together they are how a webhook finds its tenant: call.assistantId → agents.vapi_assistant_id,
-- else call.phoneNumberId → phone_numbers.vapi_phone_number_id, else phoneNumber.number → e164.
-- Those three columns are globally unique, so a Vapi identifier can never resolve to two orgs.

create table public.agents (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  role text not null default 'inbound' check (role in ('inbound', 'outbound')),
  name text not null default 'Receptionist' check (length(btrim(name)) between 1 and 80),
  vapi_assistant_id text unique,
  system_prompt text,
  first_message text,
  voice text,
  model text,
  language text not null default 'en-US',
  -- Where transferCall sends the caller; null falls back to organizations.transfer_number.
  transfer_number text check (transfer_number is null or transfer_number ~ '^\+[1-9][0-9]{6,14}$'),
  transfer_enabled boolean not null default true,
  sync_status text not null default 'not_synced'
    check (sync_status in ('not_synced', 'pending', 'syncing', 'synced', 'failed')),
  sync_error text,
  last_synced_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- One inbound and one outbound assistant per clinic.
  unique (org_id, role),
  -- Target of same-org composite foreign keys (a phone number can only point at its own org's agent).
  unique (id, org_id)
);
create trigger agents_updated_at before update on public.agents
  for each row execute function public.set_updated_at();

create table public.phone_numbers (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  e164 text not null unique check (e164 ~ '^\+[1-9][0-9]{6,14}$'),
  label text,
  twilio_sid text,
  vapi_phone_number_id text unique,
  agent_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (agent_id, org_id) references public.agents (id, org_id) on delete set null (agent_id)
);
create index phone_numbers_org_idx on public.phone_numbers (org_id);
create trigger phone_numbers_updated_at before update on public.phone_numbers
  for each row execute function public.set_updated_at();

alter table public.agents enable row level security;
alter table public.phone_numbers enable row level security;

create policy agents_org on public.agents
  for all to authenticated
  using (org_id = (select public.auth_org_id()))
  with check (org_id = (select public.auth_org_id()));

create policy phone_numbers_org on public.phone_numbers
  for all to authenticated
  using (org_id = (select public.auth_org_id()))
  with check (org_id = (select public.auth_org_id()));
