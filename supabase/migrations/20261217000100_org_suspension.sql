-- Suspension: an operator suspends a clinic with a reason (platform admin, modules/admin). While
-- suspended, its assistant answers every call with a polite "unavailable" line and books nothing
-- (integrations/vapi: assistant-request.ts, tool-calls.ts), its dashboard is read-only, and its
-- webhooks are still accepted (they run as service_role, which this trigger does not refuse).

alter table public.organizations
  add column suspended_reason text check (suspended_reason is null or length(btrim(suspended_reason)) between 3 and 500),
  add column suspended_at timestamptz,
  add constraint organizations_suspension_has_reason check (
    (status = 'suspended') = (suspended_reason is not null and suspended_at is not null)
  );

-- Dashboard writes run as `authenticated` (Database.asUser): refuse every one on a suspended
-- clinic's rows, naming the reason (security invoker: RLS already limits a member to their own org). SQLSTATE VX403 becomes a 403 clinic_suspended (http/errors.ts).
create or replace function public.refuse_writes_while_suspended() returns trigger
language plpgsql set search_path = '' as $$
declare
  target uuid;
  reason text;
begin
  if current_user <> 'authenticated' then
    return coalesce(new, old);
  end if;
  if tg_table_name = 'organizations' then
    target := coalesce(new.id, old.id);
  else
    target := coalesce(new.org_id, old.org_id);
  end if;
  select o.suspended_reason into reason from public.organizations o where o.id = target and o.status = 'suspended';
  if found then
    raise exception 'This clinic is suspended: %', reason using errcode = 'VX403', hint = reason;
  end if;
  return coalesce(new, old);
end $$;

-- Every table a member can write (tenant tables with org_id, and organizations itself). A live
-- ticket is how a read-only dashboard still receives the live feed, so it stays writable.
do $$
declare
  t text;
begin
  for t in
    select c.relname from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    where c.relkind = 'r'
      and (c.relname = 'organizations' or exists (
        select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped))
      and c.relname <> 'live_tickets'
  loop
    execute format(
      'create trigger %I before insert or update or delete on public.%I for each row execute function public.refuse_writes_while_suspended()',
      t || '_refuse_while_suspended', t);
  end loop;
end $$;

-- fix-org-membership (src/cli/commands/fix-org-membership.ts): the profile is the truth for a
-- user's org, role and operator flag; this copies it into auth.users' app_metadata, which the next
-- access token carries. Only the server calls it (service role).
create or replace function public.resync_user_claims(target_user uuid) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  p record;
begin
  select org_id, role, is_operator into p from public.profiles where user_id = target_user;
  if not found then
    return false;
  end if;
  update auth.users
     set raw_app_meta_data = coalesce(raw_app_meta_data, '{}'::jsonb)
                             || jsonb_build_object('org_id', p.org_id, 'role', p.role, 'operator', p.is_operator)
   where id = target_user;
  return true;
end $$;
revoke execute on function public.resync_user_claims(uuid) from public, anon, authenticated;
grant execute on function public.resync_user_claims(uuid) to service_role;

-- The users whose token claims disagree with their profile (or who have none), for
-- fix-org-membership. auth.users is not readable by the service role, hence a definer function.
create or replace function public.membership_mismatches()
returns table (
  user_id uuid, email text, token_org_id text, token_role text, token_operator boolean,
  profile_org_id text, profile_role text, profile_operator boolean, token_org_exists boolean
)
language sql stable security definer set search_path = '' as $$
  select u.id, u.email::text,
         u.raw_app_meta_data ->> 'org_id',
         u.raw_app_meta_data ->> 'role',
         case when u.raw_app_meta_data ->> 'operator' in ('true', 'false') then (u.raw_app_meta_data ->> 'operator')::boolean end,
         p.org_id::text, p.role, p.is_operator,
         exists (select 1 from public.organizations o where o.id::text = u.raw_app_meta_data ->> 'org_id')
    from auth.users u
    left join public.profiles p on p.user_id = u.id
   where p.user_id is null
      or (u.raw_app_meta_data ->> 'org_id') is distinct from p.org_id::text
      or (u.raw_app_meta_data ->> 'role') is distinct from p.role
      or coalesce(u.raw_app_meta_data ->> 'operator' = 'true', false) is distinct from p.is_operator
   order by u.email, u.id
$$;
revoke execute on function public.membership_mismatches() from public, anon, authenticated;
grant execute on function public.membership_mismatches() to service_role;
