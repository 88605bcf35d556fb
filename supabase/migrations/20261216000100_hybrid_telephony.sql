-- Hybrid telephony (SPEC C7): a clinic verifies its own number through Twilio's caller-ID flow and
-- forwards it to the receptionist with carrier dial codes. apps/api/src/modules/telephony/ holds the
-- rules; the limits that protect Twilio's verification call (it dials any number it is given) are
-- enforced here, so two API instances or two concurrent requests cannot exceed them:
--   * at most 3 verification calls per number per hour and 10 per clinic per hour;
--   * a pending verification is worth waiting for 10 minutes;
--   * at most 5 confirm attempts, then the number is locked for an hour (no confirm, no new call).
-- Every table here is written only by the server (service role); members read them under RLS.

create table public.verified_caller_ids (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  phone_number text not null check (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  friendly_name text check (friendly_name is null or length(friendly_name) between 1 and 64),
  status text not null default 'pending' check (status in ('pending', 'verified', 'failed', 'expired')),
  -- Twilio's OutgoingCallerId (PN…) once verified, and the latest verification call (CA…).
  twilio_caller_id_sid text check (twilio_caller_id_sid is null or twilio_caller_id_sid ~ '^PN[0-9a-fA-F]{32}$'),
  twilio_call_sid text check (twilio_call_sid is null or twilio_call_sid ~ '^CA[0-9a-fA-F]{32}$'),
  -- Twilio's code is never stored: it is shown once, on the screen of whoever asked for the call.
  pending_expires_at timestamptz,
  confirm_attempts integer not null default 0 check (confirm_attempts between 0 and 5),
  locked_until timestamptz,
  failure_reason text check (failure_reason is null or length(failure_reason) <= 500),
  verified_at timestamptz,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, phone_number),
  unique (org_id, id),
  check (status <> 'verified' or verified_at is not null),
  check (status <> 'pending' or pending_expires_at is not null)
);
create trigger verified_caller_ids_updated_at before update on public.verified_caller_ids
  for each row execute function public.set_updated_at();

-- The fifth confirm attempt locks the number for an hour; a locked number takes no more attempts.
create or replace function public.verified_caller_ids_confirm_lock() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.confirm_attempts > old.confirm_attempts then
    if old.locked_until is not null and old.locked_until > now() then
      raise exception 'This number is locked after 5 confirm attempts until %.', old.locked_until
        using errcode = 'VX429', hint = 'caller_id_locked';
    end if;
    if new.confirm_attempts >= 5 then
      new.locked_until := now() + interval '1 hour';
    end if;
  end if;
  return new;
end $$;
revoke execute on function public.verified_caller_ids_confirm_lock() from public, anon, authenticated;
create trigger verified_caller_ids_confirm_lock before update of confirm_attempts on public.verified_caller_ids
  for each row execute function public.verified_caller_ids_confirm_lock();

-- One row per verification call Twilio was asked to place: the rate limits count these.
create table public.caller_id_verification_calls (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  phone_number text not null check (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  requested_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index caller_id_verification_calls_org_time on public.caller_id_verification_calls (org_id, created_at);

-- The limits, checked under a per-clinic lock so concurrent requests are counted one after another.
create or replace function public.caller_id_verification_calls_limits() returns trigger
language plpgsql set search_path = '' as $$
declare
  per_number integer;
  per_clinic integer;
  locked timestamptz;
begin
  perform pg_advisory_xact_lock(hashtextextended('caller-id-calls:' || new.org_id::text, 0));
  select v.locked_until into locked from public.verified_caller_ids v
   where v.org_id = new.org_id and v.phone_number = new.phone_number and v.locked_until > now();
  if locked is not null then
    raise exception 'This number is locked after 5 confirm attempts until %.', locked
      using errcode = 'VX429', hint = 'caller_id_locked';
  end if;
  select count(*) filter (where c.phone_number = new.phone_number), count(*) into per_number, per_clinic
    from public.caller_id_verification_calls c
   where c.org_id = new.org_id and c.created_at > now() - interval '1 hour';
  if per_number >= 3 then
    raise exception 'At most 3 verification calls per number per hour.' using errcode = 'VX429', hint = 'caller_id_number_limit';
  end if;
  if per_clinic >= 10 then
    raise exception 'At most 10 verification calls per clinic per hour.' using errcode = 'VX429', hint = 'caller_id_clinic_limit';
  end if;
  return new;
end $$;
revoke execute on function public.caller_id_verification_calls_limits() from public, anon, authenticated;
create trigger caller_id_verification_calls_limits before insert on public.caller_id_verification_calls
  for each row execute function public.caller_id_verification_calls_limits();

create table public.hybrid_forwarding_configs (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  verified_caller_id uuid not null unique,
  sim_phone_number text not null check (sim_phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  -- The receptionist's (Twilio) number calls are forwarded to.
  destination_number text not null check (destination_number ~ '^\+[1-9][0-9]{6,14}$'),
  carrier text not null check (carrier in ('att', 'tmobile', 'verizon', 'other_gsm')),
  forwarding_type text not null check (forwarding_type in ('total_ai', 'safety_net')),
  -- GSM no-reply timer: 5–30 s in 5 s steps, only for a GSM safety net; Verizon has no ring-time code.
  ring_time_seconds integer check (ring_time_seconds in (5, 10, 15, 20, 25, 30)),
  voicemail_number text check (voicemail_number is null or voicemail_number ~ '^\+[1-9][0-9]{6,14}$'),
  activation_code text not null check (activation_code ~ '^[0-9*#+]{2,40}$'),
  deactivation_code text not null check (deactivation_code ~ '^[0-9*#]{2,10}$'),
  status text not null default 'pending_setup' check (status in ('pending_setup', 'active', 'test_failed', 'disabled')),
  last_test_outcome text check (last_test_outcome in ('forwarded', 'not_forwarded')),
  confirmed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (org_id, verified_caller_id) references public.verified_caller_ids (org_id, id) on delete cascade,
  check ((ring_time_seconds is not null) = (forwarding_type = 'safety_net' and carrier <> 'verizon')),
  -- T-Mobile and Verizon forward only to US numbers.
  check (carrier not in ('tmobile', 'verizon') or destination_number ~ '^\+1[2-9][0-9]{2}[2-9][0-9]{6}$'),
  check (status <> 'active' or confirmed_at is not null)
);
create trigger hybrid_forwarding_configs_updated_at before update on public.hybrid_forwarding_configs
  for each row execute function public.set_updated_at();

-- Forwarding is set up only from a number the clinic proved it owns.
create or replace function public.hybrid_forwarding_configs_verified() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not exists (select 1 from public.verified_caller_ids v where v.id = new.verified_caller_id and v.org_id = new.org_id and v.status = 'verified') then
    raise exception 'Verify the number before setting up forwarding from it.' using errcode = '23514';
  end if;
  return new;
end $$;
revoke execute on function public.hybrid_forwarding_configs_verified() from public, anon, authenticated;
create trigger hybrid_forwarding_configs_verified before insert or update of verified_caller_id on public.hybrid_forwarding_configs
  for each row execute function public.hybrid_forwarding_configs_verified();

-- RLS: members read their clinic's rows; only the server writes (docs/SECURITY.md § Roles).
alter table public.verified_caller_ids enable row level security;
alter table public.caller_id_verification_calls enable row level security;
alter table public.hybrid_forwarding_configs enable row level security;
revoke all on public.verified_caller_ids, public.caller_id_verification_calls, public.hybrid_forwarding_configs from anon, authenticated;
grant select on public.verified_caller_ids, public.hybrid_forwarding_configs, public.caller_id_verification_calls to authenticated;

create policy verified_caller_ids_select on public.verified_caller_ids
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
create policy hybrid_forwarding_configs_select on public.hybrid_forwarding_configs
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
-- Who asked Twilio to call which number: owners and admins, like the audit log.
create policy caller_id_verification_calls_select on public.caller_id_verification_calls
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'));
