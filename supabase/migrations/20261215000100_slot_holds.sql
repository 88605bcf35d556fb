-- Slot holds: times checkAvailability offered to one call, held for that call for a few minutes
-- (SLOT_HOLD_MINUTES) so a web booking or another caller cannot take them while the caller decides.
-- Released when the call books or ends (apps/api/src/modules/slot-holds), or when they expire.
--
-- Holds use the appointments' busy span (buffers included). Two calls' live holds never overlap
-- (the exclusion constraint; a call's own offers may overlap each other), and an appointment
-- that overlaps another call's live hold is refused by a trigger, so the hold is enforced for
-- every writer, not only the booking engine. The engine also takes its per-(org, day) advisory
-- lock before holding or booking, so a hold and a booking of the same day never race.
create table public.slot_holds (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  vapi_call_id text not null check (length(vapi_call_id) between 1 and 200),
  starts_at timestamptz not null,
  busy_range tstzrange not null check (not isempty(busy_range)),
  -- On the database's clock: a hold lasts real minutes whatever clock the application reads.
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  constraint slot_holds_no_overlap exclude using gist (org_id with =, busy_range with &&, vapi_call_id with <>)
);
create index slot_holds_call on public.slot_holds (org_id, vapi_call_id);
create index slot_holds_expiry on public.slot_holds (expires_at);

alter table public.slot_holds enable row level security;
-- Server-written: members may read their clinic's holds; only the server writes them.
create policy slot_holds_select on public.slot_holds
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
revoke all on public.slot_holds from anon, authenticated;
grant select on public.slot_holds to authenticated;

-- An active appointment may not overlap another call's live hold (a dashboard booking, another caller).
create or replace function public.appointments_respect_slot_holds() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.status in ('booked', 'confirmed') and coalesce(new.provider, '') = '' and exists (
    select 1 from public.slot_holds h
     where h.org_id = new.org_id
       and h.expires_at > now()
       and h.vapi_call_id is distinct from new.vapi_call_id
       and h.busy_range && public.appointment_busy_range(new.starts_at, new.ends_at, new.buffer_before_minutes, new.buffer_after_minutes)
  ) then
    raise exception 'that time is held for another caller'
      using errcode = '23P01', constraint = 'appointments_slot_held';
  end if;
  return new;
end $$;

create trigger appointments_respect_slot_holds
  before insert or update of starts_at, ends_at, status, buffer_before_minutes, buffer_after_minutes, provider
  on public.appointments
  for each row execute function public.appointments_respect_slot_holds();
