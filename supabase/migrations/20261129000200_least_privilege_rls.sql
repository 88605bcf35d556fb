-- Least privilege inside the clinic. Until now every member could do anything to their org's rows
-- (`for all` policies, Supabase's default grants). Supabase exposes this schema through its REST
-- API with the member's JWT, so these policies and grants are the rules; the API's route access
-- (packages/contracts, enforced by mount()) gives the friendlier refusal. The matrix is in
-- docs/SECURITY.md and is checked, independently of this file, by apps/api/test/rls-roles.test.ts.
--
--   * public.auth_role() is the caller's role in their JWT's org, read from profiles, so a demotion
--     or a removal takes effect at once instead of at the next token refresh.
--   * Every policy names one command. Privileges match the policies: anon and authenticated lose
--     everything (TRUNCATE, REFERENCES and TRIGGER included, which RLS does not govern) and get back
--     exactly the commands a policy exists for; updates are granted per column, so a column left
--     out (organizations.status, profiles.role, routing ids, sync state) cannot be changed by any
--     member whatever the policy says.
--   * Server-written tables (audit_events, tool_invocations, call_logs, messages, usage_daily,
--     live_tickets, org_credentials) are read-only for members; the server writes them as
--     service_role (db.asService / db.asSystem).

-- Helpers --------------------------------------------------------------------------------------

-- Security definer because the profiles policies call it too (an invoker function would recurse
-- through them). It reads one row: the caller's own profile in the org their token names.
create or replace function public.auth_role() returns text
language sql stable security definer set search_path = '' as $$
  select p.role from public.profiles p
   where p.user_id = auth.uid() and p.org_id = public.auth_org_id()
$$;
revoke execute on function public.auth_role() from public, anon;
grant execute on function public.auth_role() to authenticated, service_role;

alter function public.auth_org_id() set search_path = '';

-- Role and operator flag live in profiles (written by server code only) and are copied into the
-- user's app_metadata, so the next access token carries them (req.auth.role, req.auth.operator).
create or replace function public.sync_profile_claims() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update auth.users
     set raw_app_meta_data = coalesce(raw_app_meta_data, '{}'::jsonb)
                             || jsonb_build_object('role', new.role, 'operator', new.is_operator)
   where id = new.user_id;
  return null;
end $$;
revoke execute on function public.sync_profile_claims() from public, anon, authenticated;

create trigger profiles_sync_claims
  after update of role, is_operator on public.profiles
  for each row when (old.role is distinct from new.role or old.is_operator is distinct from new.is_operator)
  execute function public.sync_profile_claims();

-- Old policies (every `for all`, and the ones replaced below) --------------------------------

drop policy organizations_member_update on public.organizations;
drop policy profiles_org on public.profiles;
drop policy audit_events_org_select on public.audit_events;
drop policy audit_events_org_insert on public.audit_events;
drop policy agents_org on public.agents;
drop policy phone_numbers_org on public.phone_numbers;
drop policy contacts_org on public.contacts;
drop policy services_org on public.services;
drop policy appointments_org on public.appointments;
drop policy tool_invocations_org on public.tool_invocations;
drop policy call_logs_org on public.call_logs;
drop policy messages_org on public.messages;
drop policy usage_daily_org_select on public.usage_daily;
drop policy live_tickets_own on public.live_tickets;

-- Privileges: none, then exactly what the policies below allow --------------------------------

revoke all on public.organizations, public.profiles, public.audit_events, public.agents, public.phone_numbers,
  public.contacts, public.services, public.appointments, public.tool_invocations, public.call_logs,
  public.messages, public.usage_daily, public.live_tickets
  from anon, authenticated;

-- organizations: members read their clinic; owners and admins change its settings. Nobody changes
-- its status (suspension) or creates or deletes one as a member: that is server work.
drop policy organizations_member_select on public.organizations;
create policy organizations_select on public.organizations
  for select to authenticated
  using (id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
create policy organizations_update on public.organizations
  for update to authenticated
  using (id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'))
  with check (id = (select public.auth_org_id()));
grant select on public.organizations to authenticated;
grant update (name, timezone, business_hours, slot_minutes, buffer_before_minutes, buffer_after_minutes,
              min_booking_notice_minutes, min_cancel_notice_minutes, transfer_number, after_hours_mode,
              hot_lead_alert_number)
  on public.organizations to authenticated;

-- profiles: members see their team; each member may change their own name. Roles, the operator
-- flag, invitations and removals go through server code (service role).
create policy profiles_select on public.profiles
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
create policy profiles_update_own on public.profiles
  for update to authenticated
  using (org_id = (select public.auth_org_id()) and user_id = (select auth.uid()))
  with check (org_id = (select public.auth_org_id()) and user_id = (select auth.uid()));
grant select on public.profiles to authenticated;
grant update (full_name) on public.profiles to authenticated;

-- audit_events: append-only, written by the server; owners and admins read their clinic's trail.
create policy audit_events_select on public.audit_events
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'));
grant select on public.audit_events to authenticated;

-- agents: members read; owners and admins edit the assistant. Creating one, its Vapi assistant id
-- (a routing id) and its sync state belong to the server.
create policy agents_select on public.agents
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
create policy agents_update on public.agents
  for update to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'))
  with check (org_id = (select public.auth_org_id()));
grant select on public.agents to authenticated;
grant update (name, system_prompt, first_message, voice, model, language, transfer_number, transfer_enabled)
  on public.agents to authenticated;

-- phone_numbers: members read; owners and admins label a line and pick its agent. The number, its
-- Twilio SID and Vapi id are how webhooks find the clinic: only the server sets them.
create policy phone_numbers_select on public.phone_numbers
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
create policy phone_numbers_update on public.phone_numbers
  for update to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'))
  with check (org_id = (select public.auth_org_id()));
grant select on public.phone_numbers to authenticated;
grant update (label, agent_id) on public.phone_numbers to authenticated;

-- contacts and appointments: the front desk (every member) reads, adds and changes them; deleting
-- one is for owners and admins (staff cancel an appointment instead).
create policy contacts_select on public.contacts
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
create policy contacts_insert on public.contacts
  for insert to authenticated
  with check (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
create policy contacts_update on public.contacts
  for update to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'))
  with check (org_id = (select public.auth_org_id()));
create policy contacts_delete on public.contacts
  for delete to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'));
grant select, insert, update, delete on public.contacts to authenticated;

create policy appointments_select on public.appointments
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
create policy appointments_insert on public.appointments
  for insert to authenticated
  with check (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
create policy appointments_update on public.appointments
  for update to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'))
  with check (org_id = (select public.auth_org_id()));
create policy appointments_delete on public.appointments
  for delete to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'));
grant select, insert, update, delete on public.appointments to authenticated;

-- services: every member reads the price list; owners and admins change it.
create policy services_select on public.services
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
create policy services_insert on public.services
  for insert to authenticated
  with check (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'));
create policy services_update on public.services
  for update to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'))
  with check (org_id = (select public.auth_org_id()));
create policy services_delete on public.services
  for delete to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'));
grant select, insert, update, delete on public.services to authenticated;

-- Server-written call data: members read it, only the server writes it.
create policy tool_invocations_select on public.tool_invocations
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
grant select on public.tool_invocations to authenticated;

create policy call_logs_select on public.call_logs
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
grant select on public.call_logs to authenticated;

create policy messages_select on public.messages
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
grant select on public.messages to authenticated;

create policy usage_daily_select on public.usage_daily
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
grant select on public.usage_daily to authenticated;

-- live_tickets: issued by the server (POST /api/ws/ticket runs as service_role), so a member cannot
-- mint a ticket with an expiry of their choosing; a member may see their own pending tickets.
create policy live_tickets_select_own on public.live_tickets
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and user_id = (select auth.uid()));
grant select on public.live_tickets to authenticated;

-- org_credentials keeps its column grants (migration 20261129000100: never the sealed columns);
-- its select policy gains the membership check every other table has.
drop policy org_credentials_org_select on public.org_credentials;
create policy org_credentials_select on public.org_credentials
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
