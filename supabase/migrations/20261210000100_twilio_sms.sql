-- SMS through each clinic's own Twilio account (apps/api/src/modules/messages/sms-policy.ts,
-- apps/api/src/integrations/twilio/sms.ts): per-clinic sending rules, patients' opt-outs, and the
-- appointment reminders scheduled as jobs.

-- Per-clinic SMS settings (owners and admins change them) ------------------------------------
alter table public.organizations
  -- Patient texts (confirmations, reminders, follow-ups) wait until the end of these hours, in the
  -- clinic's time zone. Equal start and end = no quiet hours.
  add column sms_quiet_start time not null default '21:00',
  add column sms_quiet_end time not null default '08:00',
  -- At most this many SMS per rolling hour for the clinic (a runaway loop cannot burn its account).
  add column sms_hourly_limit integer not null default 60 check (sms_hourly_limit between 1 and 1000),
  add column sms_booking_confirmation boolean not null default true,
  -- Minutes before the appointment at which a reminder is texted (default 24 h and 2 h).
  add column sms_reminder_offsets_minutes integer[] not null default '{1440,120}'
    check (cardinality(sms_reminder_offsets_minutes) <= 5
           and array_position(sms_reminder_offsets_minutes, null) is null
           and 15 <= all (sms_reminder_offsets_minutes) and 20160 >= all (sms_reminder_offsets_minutes));

grant update (sms_quiet_start, sms_quiet_end, sms_hourly_limit, sms_booking_confirmation, sms_reminder_offsets_minutes)
  on public.organizations to authenticated;

-- Why a message was not sent, for machines (status_reason is the sentence for people):
-- opted_out, quiet_hours, rate_limited, not_connected, no_recipient, provider_error, …
alter table public.messages
  add column status_code text check (status_code ~ '^[a-z_]{1,40}$'),
  add column appointment_id uuid,
  add foreign key (appointment_id, org_id) references public.appointments (id, org_id) on delete set null (appointment_id);
create index messages_external_idx on public.messages (external_message_id) where external_message_id is not null;

-- Opt-outs: a patient who texted STOP gets nothing further from this clinic until START ----------
create table public.sms_opt_outs (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  phone text not null check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  -- The keyword the patient sent (STOP, UNSUBSCRIBE, …) or 'carrier' when Twilio refused (21610).
  keyword text not null check (length(keyword) between 1 and 40),
  created_at timestamptz not null default now(),
  unique (org_id, phone)
);

alter table public.sms_opt_outs enable row level security;
create policy sms_opt_outs_select on public.sms_opt_outs
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
revoke all on public.sms_opt_outs from authenticated, anon;
grant select on public.sms_opt_outs to authenticated;

-- Reminders: one row per (appointment, offset), each a pg-boss job that starts at send_at ----------
create table public.appointment_reminders (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  appointment_id uuid not null,
  offset_minutes integer not null check (offset_minutes between 15 and 20160),
  send_at timestamptz not null,
  status text not null default 'scheduled' check (status in ('scheduled', 'sent', 'cancelled', 'skipped')),
  -- Why it was cancelled or skipped (rescheduled, cancelled, too late, …).
  status_reason text,
  job_id text,
  message_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (appointment_id, offset_minutes),
  foreign key (appointment_id, org_id) references public.appointments (id, org_id) on delete cascade
);
create index appointment_reminders_org_idx on public.appointment_reminders (org_id, send_at);
create trigger appointment_reminders_updated_at before update on public.appointment_reminders
  for each row execute function public.set_updated_at();

alter table public.appointment_reminders enable row level security;
create policy appointment_reminders_select on public.appointment_reminders
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
revoke all on public.appointment_reminders from authenticated, anon;
grant select on public.appointment_reminders to authenticated;
