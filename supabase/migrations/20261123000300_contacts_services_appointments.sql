-- Contacts (callers / leads), services (the clinic's price list), appointments (with the
-- no-overlap guarantee) and tool_invocations (what the voice assistant asked us to do, for
-- idempotent replays and post-call analysis).

-- Contacts -----------------------------------------------------------------------------------
create table public.contacts (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  phone text not null check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  name text check (name is null or length(name) <= 200),
  email text check (email is null or length(email) <= 320),
  lead_status text not null default 'new' check (lead_status in ('new', 'contacted', 'booked', 'lost')),
  lead_score integer not null default 0 check (lead_score between 0 and 100),
  lead_temperature text not null default 'cold' check (lead_temperature in ('hot', 'warm', 'cold')),
  service_interests text[] not null default '{}',
  last_contacted_at timestamptz,
  notes text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, phone),
  unique (id, org_id)
);
create index contacts_org_last_contacted_idx on public.contacts (org_id, last_contacted_at desc nulls last);
create trigger contacts_updated_at before update on public.contacts
  for each row execute function public.set_updated_at();

-- Services -----------------------------------------------------------------------------------
create table public.services (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 120),
  description text,
  price numeric(10, 2) not null check (price >= 0),
  duration_minutes integer not null default 30 check (duration_minutes between 5 and 480),
  -- Lower-case words and phrases a caller might use ("nose job"); matched by
  -- get_service_price_by_keyword() and the post-call pipeline's value estimate.
  keywords text[] not null default '{}',
  active boolean not null default true,
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id)
);
create unique index services_org_name_key on public.services (org_id, lower(name));
create index services_keywords_gin on public.services using gin (keywords);
create trigger services_updated_at before update on public.services
  for each row execute function public.set_updated_at();

-- Keywords are matched case-insensitively; store them trimmed, lower-case and without duplicates.
create or replace function public.normalize_service_keywords() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.keywords := coalesce(
    (select array_agg(distinct k order by k)
       from (select lower(btrim(x)) as k from unnest(new.keywords) x) t
      where k <> ''),
    '{}');
  return new;
end $$;
create trigger services_normalize_keywords before insert or update of keywords on public.services
  for each row execute function public.normalize_service_keywords();

-- The seven default services every clinic starts with (seed 001: $27,550 in total).
create or replace function public.seed_default_services(p_org_id uuid) returns void
language sql security definer set search_path = '' as $$
  insert into public.services (org_id, name, price, duration_minutes, keywords, is_default)
  values
    (p_org_id, 'Botox', 400, 30, array['botox', 'wrinkle', 'wrinkles', 'injection', 'injections', 'anti-wrinkle', 'forehead lines', 'crow''s feet', 'dysport'], true),
    (p_org_id, 'Facelift', 8000, 60, array['facelift', 'face lift', 'face-lift', 'rhytidectomy', 'sagging skin', 'jowls'], true),
    (p_org_id, 'Rhinoplasty', 6000, 60, array['rhinoplasty', 'nose job', 'nose surgery', 'nose reshaping'], true),
    (p_org_id, 'Breast Augmentation', 7500, 60, array['breast augmentation', 'breast implants', 'breast enlargement', 'boob job', 'implants'], true),
    (p_org_id, 'Liposuction', 5000, 60, array['liposuction', 'lipo', 'fat removal', 'body contouring'], true),
    (p_org_id, 'Fillers', 500, 45, array['fillers', 'filler', 'dermal filler', 'dermal fillers', 'lip filler', 'lip fillers', 'cheek filler', 'juvederm', 'restylane'], true),
    (p_org_id, 'Consultation', 150, 30, array['consultation', 'consult', 'assessment', 'first visit', 'check-up', 'checkup'], true)
  on conflict do nothing
$$;

create or replace function public.organizations_seed_services() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform public.seed_default_services(new.id);
  return new;
end $$;
create trigger organizations_seed_services after insert on public.organizations
  for each row execute function public.organizations_seed_services();

-- Organizations that existed before this migration get their defaults too.
select public.seed_default_services(o.id)
  from public.organizations o
 where not exists (select 1 from public.services s where s.org_id = o.id);

-- The best active service of an org for a keyword or a phrase containing one: an exact keyword
-- or name first, then the longest keyword found inside the phrase ("how much is a nose job?").
-- Runs with the caller's rights, so under RLS a user only ever matches their own org's services.
create or replace function public.get_service_price_by_keyword(p_org_id uuid, p_keyword text)
returns table (service_id uuid, service_name text, price numeric, duration_minutes integer)
language sql stable set search_path = '' as $$
  with q as (select lower(btrim(coalesce(p_keyword, ''))) as k),
  candidates as (
    select s.id, s.name, s.price, s.duration_minutes,
           (s.keywords @> array[q.k] or lower(s.name) = q.k) as exact,
           greatest(
             case when position(lower(s.name) in q.k) > 0 then length(s.name) else 0 end,
             coalesce((select max(length(kw)) from unnest(s.keywords) kw where position(kw in q.k) > 0), 0)
           ) as contained
      from public.services s, q
     where s.org_id = p_org_id and s.active and q.k <> ''
  )
  select id, name, price, duration_minutes
    from candidates
   where exact or contained > 0
   order by exact desc, contained desc, price desc
   limit 1
$$;

-- Appointments -------------------------------------------------------------------------------
-- The busy span of an appointment: its own buffers widen it. Minute intervals are exact
-- microsecond arithmetic (no days or months), so the result does not depend on the session
-- time zone and the function is truly immutable, as index expressions require.
create or replace function public.appointment_busy_range(
  p_starts_at timestamptz, p_ends_at timestamptz, p_buffer_before integer, p_buffer_after integer
) returns tstzrange
language sql immutable parallel safe set search_path = '' as $$
  select tstzrange(p_starts_at - make_interval(mins => p_buffer_before), p_ends_at + make_interval(mins => p_buffer_after), '[)')
$$;

create table public.appointments (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  contact_id uuid,
  service_id uuid,
  -- The Vapi call that booked it (null for dashboard bookings).
  vapi_call_id text,
  -- Provider or room; appointments only compete with others of the same provider (null = the clinic).
  provider text,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'booked' check (status in ('booked', 'confirmed', 'cancelled', 'completed', 'no_show')),
  -- Captured at booking time so later settings changes cannot retroactively create overlaps.
  buffer_before_minutes integer not null default 0 check (buffer_before_minutes between 0 and 240),
  buffer_after_minutes integer not null default 0 check (buffer_after_minutes between 0 and 240),
  busy_range tstzrange generated always as
    (public.appointment_busy_range(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes)) stored,
  google_event_id text,
  confirmation_sent boolean not null default false,
  reminder_sent_at timestamptz,
  idempotency_key text,
  source text not null default 'voice' check (source in ('voice', 'dashboard', 'import')),
  notes text,
  cancelled_at timestamptz,
  cancellation_reason text,
  rescheduled_from uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_at > starts_at and ends_at <= starts_at + interval '24 hours'),
  check ((status = 'cancelled') = (cancelled_at is not null)),
  unique (id, org_id),
  unique (org_id, idempotency_key),
  foreign key (contact_id, org_id) references public.contacts (id, org_id) on delete set null (contact_id),
  foreign key (service_id, org_id) references public.services (id, org_id) on delete set null (service_id),
  foreign key (rescheduled_from, org_id) references public.appointments (id, org_id) on delete set null (rescheduled_from),
  -- The final guard against double booking: two active appointments of one org and provider can
  -- never overlap, buffers included, whatever path wrote them.
  constraint appointments_no_overlap exclude using gist (
    org_id with =,
    (coalesce(provider, '')) with =,
    busy_range with &&
  ) where (status in ('booked', 'confirmed'))
);
-- One call books a given start time once, however often the tool is re-invoked.
create unique index appointments_call_start_key on public.appointments (org_id, vapi_call_id, starts_at)
  where vapi_call_id is not null and status in ('booked', 'confirmed');
create index appointments_org_starts_idx on public.appointments (org_id, starts_at);
create index appointments_contact_idx on public.appointments (contact_id, starts_at) where contact_id is not null;
create index appointments_call_idx on public.appointments (org_id, vapi_call_id) where vapi_call_id is not null;
create trigger appointments_updated_at before update on public.appointments
  for each row execute function public.set_updated_at();

-- Tool invocations ---------------------------------------------------------------------------
-- One row per Vapi tool call we answered. The same (call, toolCallId) returns the stored
-- answer instead of acting twice. `emergency` marks calls where the caller described a medical
-- emergency; `outcome` and `appointment_id` tell the post-call pipeline what happened.
create table public.tool_invocations (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  vapi_call_id text not null,
  tool_call_id text not null,
  tool_name text not null,
  arguments jsonb not null default '{}'::jsonb,
  result text,
  error text,
  outcome text,
  emergency boolean not null default false,
  appointment_id uuid,
  duration_ms integer,
  created_at timestamptz not null default now(),
  check ((result is null) <> (error is null)),
  unique (org_id, vapi_call_id, tool_call_id),
  foreign key (appointment_id, org_id) references public.appointments (id, org_id) on delete set null (appointment_id)
);
create index tool_invocations_org_created_idx on public.tool_invocations (org_id, created_at desc);
create index tool_invocations_emergency_idx on public.tool_invocations (org_id, vapi_call_id) where emergency;

-- RLS ----------------------------------------------------------------------------------------
alter table public.contacts enable row level security;
alter table public.services enable row level security;
alter table public.appointments enable row level security;
alter table public.tool_invocations enable row level security;

create policy contacts_org on public.contacts
  for all to authenticated
  using (org_id = (select public.auth_org_id()))
  with check (org_id = (select public.auth_org_id()));

create policy services_org on public.services
  for all to authenticated
  using (org_id = (select public.auth_org_id()))
  with check (org_id = (select public.auth_org_id()));

create policy appointments_org on public.appointments
  for all to authenticated
  using (org_id = (select public.auth_org_id()))
  with check (org_id = (select public.auth_org_id()));

create policy tool_invocations_org on public.tool_invocations
  for all to authenticated
  using (org_id = (select public.auth_org_id()))
  with check (org_id = (select public.auth_org_id()));

-- seed_default_services is called by the org trigger and operators, never by API users.
revoke execute on function public.seed_default_services(uuid) from public, anon, authenticated;
