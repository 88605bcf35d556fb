-- Members update an appointment's booking, not the server's bookkeeping. Until now every column
-- of appointments was updatable by any member (migration 20261129000200), including the Google
-- Calendar sync state (`google_*`, written by integrations/google/events.ts), the call and
-- idempotency key that tie it to a phone booking, the buffers captured when it was booked, and
-- the reminder bookkeeping. The API changes appointments as service_role (modules/appointments);
-- this is what a member's own token may still do through Supabase's REST API.
revoke update on public.appointments from authenticated;
grant update (contact_id, service_id, provider, starts_at, ends_at, status, notes, cancelled_at, cancellation_reason)
  on public.appointments to authenticated;
