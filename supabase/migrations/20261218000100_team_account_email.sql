-- Team, account and email (docs/SECURITY.md § Team and account):
--   * team_invites: single-use, expiring invite links (only the SHA-256 of the token is stored);
--   * password_resets: single-use, expiring reset links (local auth mode; Supabase mode uses Supabase's own);
--   * a clinic always keeps an owner: the last owner can be neither demoted nor removed;
--   * a removed member's auth user loses the org and role from its app metadata;
--   * messages gain a subject (emails), profiles the owner's daily-summary opt-in.

-- Invites --------------------------------------------------------------------------------------
create table public.team_invites (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  email text not null check (email = lower(btrim(email)) and email ~ '^[^@\s]+@[^@\s]+$' and length(email) <= 254),
  -- Owners are made by promoting a member (an owner's decision), never by an invite link.
  role text not null check (role in ('admin', 'staff')),
  token_hash text not null unique check (length(token_hash) = 64),
  invited_by uuid references auth.users (id) on delete set null,
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_user_id uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  check (accepted_at is null or revoked_at is null),
  check (expires_at > created_at)
);
-- One open invite per email and clinic: inviting again replaces (revokes) the open one.
create unique index team_invites_open_email_key on public.team_invites (org_id, email) where accepted_at is null and revoked_at is null;
create index team_invites_org_idx on public.team_invites (org_id, created_at desc);

alter table public.team_invites enable row level security;
revoke all on public.team_invites from anon, authenticated;
-- Owners and admins see their clinic's invites (never the token hash); only the server writes them.
create policy team_invites_select on public.team_invites
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'));
grant select (id, org_id, email, role, invited_by, expires_at, accepted_at, accepted_user_id, revoked_at, revoked_by, created_at)
  on public.team_invites to authenticated;

-- Password resets (local auth mode) -------------------------------------------------------------
create table public.password_resets (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  token_hash text not null unique check (length(token_hash) = 64),
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  check (expires_at > created_at)
);
create index password_resets_user_idx on public.password_resets (user_id, created_at desc);
alter table public.password_resets enable row level security;
revoke all on public.password_resets from anon, authenticated;

-- Sessions ended by a reset or a removal.
alter table public.session_revocations drop constraint session_revocations_reason_check;
alter table public.session_revocations add constraint session_revocations_reason_check
  check (reason in ('signed_out', 'password_changed', 'refresh_token_reused', 'account_suspended', 'password_reset', 'member_removed'));

-- The last owner ---------------------------------------------------------------------------------
-- Demoting or removing an owner must leave the clinic another owner. The organization row is
-- locked first, so two owners demoting each other at once are serialised and the second one sees
-- the first's change (read committed: each statement takes a fresh snapshot).
create or replace function public.keep_an_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner' and new.org_id = old.org_id) then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  -- The clinic itself is being deleted (cascade): nothing to keep.
  perform 1 from public.organizations where id = old.org_id for update;
  if not found then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  if not exists (select 1 from public.profiles where org_id = old.org_id and role = 'owner' and id <> old.id) then
    raise exception 'A clinic needs an owner: make another member an owner first.'
      using errcode = 'P0001', constraint = 'last_owner', hint = 'last_owner';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
revoke execute on function public.keep_an_owner() from public, anon, authenticated;

create trigger profiles_keep_an_owner
  before update of role, org_id or delete on public.profiles
  for each row execute function public.keep_an_owner();

-- A removed member's next token names no clinic (sign-in then says to ask for a new invite).
create or replace function public.forget_removed_member() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update auth.users
     set raw_app_meta_data = coalesce(raw_app_meta_data, '{}'::jsonb) - 'org_id' - 'role'
   where id = old.user_id and raw_app_meta_data ->> 'org_id' = old.org_id::text;
  return null;
end $$;
revoke execute on function public.forget_removed_member() from public, anon, authenticated;

create trigger profiles_forget_removed_member
  after delete on public.profiles
  for each row execute function public.forget_removed_member();

-- Emails and the daily summary -------------------------------------------------------------------
alter table public.messages add column subject text check (subject is null or length(subject) <= 300);

-- Owners opt in to the morning summary on their Account page; each member may change their own.
alter table public.profiles add column daily_summary boolean not null default false;
grant update (daily_summary) on public.profiles to authenticated;
