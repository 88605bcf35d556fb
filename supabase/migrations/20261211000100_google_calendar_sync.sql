-- Google Calendar sync (apps/api/src/integrations/google, jobs/google-calendar.ts).
--
-- Each appointment carries the state of its calendar event, so a write that failed is visible on
-- the appointment and retried by its job, never lost: `google_sync_status` is null while the
-- clinic has no calendar connected, 'pending' until the event is written, 'synced' once Google
-- accepted it, 'failed' with Google's message in `google_sync_error` after a failed attempt.
alter table public.appointments
  add column google_sync_status text check (google_sync_status in ('pending', 'synced', 'failed')),
  add column google_sync_error text check (char_length(google_sync_error) <= 500),
  add column google_synced_at timestamptz,
  add constraint appointments_google_event_id_format check (google_event_id is null or (google_event_id ~ '^[a-v0-9]+$' and char_length(google_event_id) between 5 and 1024));

-- OAuth `state` values already redeemed at the callback, so a state works once. The state itself is
-- a signed, expiring token naming the clinic and the user (modules/integrations/oauth-state.ts);
-- only its id is kept here, until it would have expired anyway. Server only (service role).
create table public.oauth_state_uses (
  state_id uuid primary key,
  used_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index oauth_state_uses_expires_idx on public.oauth_state_uses (expires_at);

alter table public.oauth_state_uses enable row level security;
revoke all on public.oauth_state_uses from anon, authenticated;
