-- Taking over a live call (docs/SECURITY.md § Live call control). Vapi sends each call's
-- `monitor.controlUrl` on its server messages; whoever holds that URL can transfer or end the call,
-- so it is a secret: stored here, read only by the server (service role). Members may see that a
-- call can be controlled (the row exists), never the URL (column grants). The row is removed when
-- the call ends (apps/api/src/modules/call-control).
create table public.call_controls (
  vapi_call_id text primary key check (length(vapi_call_id) between 1 and 200),
  org_id uuid not null references public.organizations (id) on delete cascade,
  control_url text not null check (control_url ~ '^https?://' and length(control_url) <= 2000),
  captured_at timestamptz not null default now()
);
create index call_controls_org on public.call_controls (org_id);

alter table public.call_controls enable row level security;
create policy call_controls_select on public.call_controls
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
revoke all on public.call_controls from anon, authenticated;
grant select (vapi_call_id, org_id, captured_at) on public.call_controls to authenticated;

create trigger call_controls_refuse_while_suspended before insert or update or delete on public.call_controls
  for each row execute function public.refuse_writes_while_suspended();

-- What happened to the emergency transfer of a call whose caller described an emergency:
-- transferred (Vapi accepted our transfer), failed (it refused; the note says why), requested (no
-- control URL: the assistant was told to transfer), not_possible (no transfer number is set).
alter table public.call_logs
  add column emergency_transfer_status text
    check (emergency_transfer_status in ('transferred', 'failed', 'requested', 'not_possible')),
  add column emergency_transfer_note text check (length(emergency_transfer_note) <= 500);
