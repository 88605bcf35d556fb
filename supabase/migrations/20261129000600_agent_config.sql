-- The receptionist's configuration (one inbound and one outbound agent per clinic) and the Vapi
-- tool registry. apps/api/src/modules/agents/ saves an agent; the agent-sync job
-- (apps/api/src/jobs/agent-sync.ts) creates or updates its Vapi assistant and registers each tool
-- once, globally (vapi_tools), recording which tool versions each clinic's assistant links
-- (org_tools).

-- What kind of clinic this is: picks the prompt template (and, later, the services template).
alter table public.organizations
  add column clinic_type text not null default 'med_spa'
    check (clinic_type in ('med_spa', 'dental', 'dermatology', 'physiotherapy', 'general_practice'));

alter table public.agents
  add column voice_provider text not null default 'vapi' check (voice_provider in ('vapi', '11labs', 'openai', 'deepgram')),
  add column voice_id text not null default 'Elliot' check (length(voice_id) between 1 and 100),
  add column transcriber_provider text not null default 'deepgram' check (transcriber_provider in ('deepgram', 'assembly-ai', 'openai')),
  add column transcriber_model text not null default 'nova-3' check (length(transcriber_model) between 1 and 100),
  add column model_provider text not null default 'openai' check (model_provider in ('openai', 'anthropic', 'google')),
  add column model_name text not null default 'gpt-4o' check (length(model_name) between 1 and 100),
  add column max_duration_seconds integer not null default 900 check (max_duration_seconds between 60 and 3600),
  add column end_call_phrases text[] not null default '{}' check (cardinality(end_call_phrases) <= 10),
  add column emergency_script text check (emergency_script is null or length(emergency_script) <= 1000),
  add column recording_enabled boolean not null default true,
  add column hipaa_enabled boolean not null default false,
  -- Bumped on every save; the sync job records which version it pushed, so a save during a sync is never lost.
  add column config_version integer not null default 1,
  add column synced_version integer;

-- The old free-text columns become the managed ones above.
alter table public.agents drop column voice, drop column model;

alter table public.agents drop constraint agents_sync_status_check;
update public.agents set sync_status = 'not_configured' where sync_status = 'not_synced';
alter table public.agents
  alter column sync_status set default 'not_configured',
  add constraint agents_sync_status_check check (sync_status in ('not_configured', 'pending', 'syncing', 'synced', 'failed'));
alter table public.agents
  add constraint agents_system_prompt_length check (system_prompt is null or length(system_prompt) <= 20000),
  add constraint agents_first_message_length check (first_message is null or length(first_message) <= 1000);

-- Global tool registry: each tool is registered in Vapi once, whatever the number of clinics.
create table public.vapi_tools (
  tool_name text primary key check (tool_name ~ '^[A-Za-z0-9_-]{1,64}$'),
  vapi_tool_id text not null unique,
  -- SHA-256 of the canonical JSON of what we sent: a change means one PATCH.
  definition_hash text not null check (definition_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger vapi_tools_updated_at before update on public.vapi_tools
  for each row execute function public.set_updated_at();
-- Server-only: not a tenant table, nothing for clinic members to read or write.
alter table public.vapi_tools enable row level security;

-- Which tool versions a clinic's assistant links.
create table public.org_tools (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  tool_name text not null,
  vapi_tool_id text not null,
  definition_hash text not null check (definition_hash ~ '^[0-9a-f]{64}$'),
  linked_at timestamptz not null default now(),
  unique (org_id, tool_name)
);
alter table public.org_tools enable row level security;
-- Members may see which tools their assistant has; only the server (service role) writes.
create policy org_tools_member_select on public.org_tools
  for select to authenticated
  using (org_id = (select public.auth_org_id()));
revoke all on public.org_tools from authenticated, anon;
grant select on public.org_tools to authenticated;
revoke all on public.vapi_tools from authenticated, anon;

-- Live sync status on the Receptionist page: an `agent.sync` event whenever it changes.
create or replace function public.agents_live_event() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' or new.sync_status is distinct from old.sync_status or new.sync_error is distinct from old.sync_error then
    perform public.publish_live_event(new.org_id, 'agent.sync', jsonb_build_object(
      'role', new.role,
      'syncStatus', new.sync_status,
      'syncError', new.sync_error,
      'lastSyncedAt', new.last_synced_at));
  end if;
  return new;
end $$;
revoke execute on function public.agents_live_event() from public, anon, authenticated;
create trigger agents_live_event after insert or update on public.agents
  for each row execute function public.agents_live_event();

-- When the settings were last saved through the dashboard (null: never configured there). An
-- assistant-request answers with these saved settings, so an edit applies before its sync ends.
alter table public.agents add column settings_saved_at timestamptz;
