-- Tenancy core: organizations, profiles, audit events, the org-id helper and the signup trigger.
-- Every tenant table in this project follows the pattern set here:
--   org_id uuid not null references organizations, RLS enabled, an `authenticated` policy on
--   org_id = (select public.auth_org_id()), and service_role bypassing RLS (a Supabase role attribute).

create extension if not exists btree_gist with schema extensions;

create or replace function public.auth_org_id() returns uuid
language sql stable as $$
  select nullif(auth.jwt() -> 'app_metadata' ->> 'org_id', '')::uuid
$$;

create or replace function public.set_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end $$;

create or replace function public.is_valid_timezone(tz text) returns boolean
language plpgsql immutable as $$
begin
  perform now() at time zone tz;
  return true;
exception when others then
  return false;
end $$;

-- Weekly opening hours: {"mon":[{"start":"09:00","end":"17:00"}], …, "sun":[]}; several
-- intervals per day allow a lunch break. Times are wall-clock in the organization's timezone.
create or replace function public.is_valid_business_hours(hours jsonb) returns boolean
language sql immutable as $$
  select jsonb_typeof(hours) = 'object'
     and not exists (
       select 1 from jsonb_each(hours) d
       where d.key not in ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
          or jsonb_typeof(d.value) <> 'array'
          or exists (
            select 1 from jsonb_array_elements(d.value) i
            where not (i ->> 'start' ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and i ->> 'end' ~ '^([01][0-9]|2[0-4]):[0-5][0-9]$')
               or (i ->> 'start') >= (i ->> 'end')
          )
     )
$$;

create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 2 and 120),
  timezone text not null default 'America/New_York' check (public.is_valid_timezone(timezone)),
  business_hours jsonb not null default '{
    "mon": [{"start": "09:00", "end": "17:00"}], "tue": [{"start": "09:00", "end": "17:00"}],
    "wed": [{"start": "09:00", "end": "17:00"}], "thu": [{"start": "09:00", "end": "17:00"}],
    "fri": [{"start": "09:00", "end": "17:00"}], "sat": [], "sun": []}'::jsonb
    check (public.is_valid_business_hours(business_hours)),
  slot_minutes integer not null default 30 check (slot_minutes between 5 and 480),
  buffer_before_minutes integer not null default 0 check (buffer_before_minutes between 0 and 240),
  buffer_after_minutes integer not null default 0 check (buffer_after_minutes between 0 and 240),
  min_booking_notice_minutes integer not null default 60 check (min_booking_notice_minutes between 0 and 43200),
  min_cancel_notice_minutes integer not null default 1440 check (min_cancel_notice_minutes between 0 and 43200),
  transfer_number text check (transfer_number is null or transfer_number ~ '^\+[1-9][0-9]{6,14}$'),
  after_hours_mode text not null default 'take_message' check (after_hours_mode in ('take_message', 'offer_slots', 'transfer')),
  hot_lead_alert_number text check (hot_lead_alert_number is null or hot_lead_alert_number ~ '^\+[1-9][0-9]{6,14}$'),
  status text not null default 'active' check (status in ('active', 'suspended')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger organizations_updated_at before update on public.organizations
  for each row execute function public.set_updated_at();

create table public.profiles (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique references auth.users (id) on delete cascade,
  org_id uuid not null references public.organizations (id) on delete cascade,
  role text not null default 'staff' check (role in ('owner', 'admin', 'staff')),
  full_name text,
  email text not null,
  is_operator boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index profiles_org_idx on public.profiles (org_id);
create trigger profiles_updated_at before update on public.profiles
  for each row execute function public.set_updated_at();

create table public.audit_events (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  actor_user_id uuid,
  actor_type text not null default 'user' check (actor_type in ('user', 'system', 'operator', 'vapi', 'twilio')),
  action text not null,
  target_type text,
  target_id text,
  ip inet,
  user_agent text,
  data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index audit_events_org_created_idx on public.audit_events (org_id, created_at desc);

-- RLS ----------------------------------------------------------------------------------------
alter table public.organizations enable row level security;
alter table public.profiles enable row level security;
alter table public.audit_events enable row level security;

create policy organizations_member_select on public.organizations
  for select to authenticated using (id = (select public.auth_org_id()));
create policy organizations_member_update on public.organizations
  for update to authenticated
  using (id = (select public.auth_org_id()))
  with check (id = (select public.auth_org_id()));

create policy profiles_org on public.profiles
  for all to authenticated
  using (org_id = (select public.auth_org_id()))
  with check (org_id = (select public.auth_org_id()));

-- Audit events are append-only: members may read and add their org's events, nobody but the
-- service role may change or remove one.
create policy audit_events_org_select on public.audit_events
  for select to authenticated using (org_id = (select public.auth_org_id()));
create policy audit_events_org_insert on public.audit_events
  for insert to authenticated with check (org_id = (select public.auth_org_id()));
revoke update, delete, truncate on public.audit_events from anon, authenticated;

-- Signup -------------------------------------------------------------------------------------
-- A new auth user gets an organization and an owner profile, and the org id is stamped into
-- raw_app_meta_data so the next JWT carries app_metadata.org_id. A user created with an org id
-- already in its app metadata (an invited team member) joins that org with the given role.
create or replace function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  new_org_id uuid;
  new_role text;
begin
  if new.raw_app_meta_data ? 'org_id' then
    new_org_id := (new.raw_app_meta_data ->> 'org_id')::uuid;
    new_role := coalesce(new.raw_app_meta_data ->> 'role', 'staff');
  else
    insert into public.organizations (name, timezone)
    values (
      coalesce(nullif(btrim(new.raw_user_meta_data ->> 'clinic_name'), ''), split_part(new.email, '@', 1) || '''s clinic'),
      coalesce(nullif(new.raw_user_meta_data ->> 'timezone', ''), 'America/New_York')
    )
    returning id into new_org_id;
    new_role := 'owner';
  end if;

  insert into public.profiles (user_id, org_id, role, full_name, email)
  values (new.id, new_org_id, new_role, nullif(btrim(new.raw_user_meta_data ->> 'full_name'), ''), new.email);

  update auth.users
     set raw_app_meta_data = coalesce(raw_app_meta_data, '{}'::jsonb)
                             || jsonb_build_object('org_id', new_org_id, 'role', new_role)
   where id = new.id;
  return new;
end $$;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function public.handle_new_user();
