-- Revocable sessions (docs/SECURITY.md § Sessions). Access tokens carry a `session_id` claim (as
-- Supabase's do); the API refuses a token whose session is listed here, on every request, and the
-- live feed closes that session's sockets. A session is revoked by sign-out, a password change
-- (every other session of the user) and the reuse of a rotated refresh token.
--
-- Only the server reads or writes these tables (service role); they are not exposed to `anon` or
-- `authenticated`, which Supabase's REST API would otherwise serve.

create table public.session_revocations (
  session_id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  reason text not null check (reason in ('signed_out', 'password_changed', 'refresh_token_reused', 'account_suspended')),
  revoked_at timestamptz not null default now(),
  -- After this no access token of the session can still be valid; the row may then be swept.
  expires_at timestamptz not null
);
create index session_revocations_user_idx on public.session_revocations (user_id);
create index session_revocations_expires_idx on public.session_revocations (expires_at);

-- Supabase mode: which session each refresh token we handed out belongs to (SHA-256 of the token),
-- so a reused token names the session to revoke and a password change finds the user's other
-- sessions. Local mode keeps this in auth.refresh_tokens (family_id is the session id).
create table public.session_refresh_tokens (
  token_hash text primary key check (length(token_hash) = 64),
  session_id uuid not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  expires_at timestamptz not null
);
create index session_refresh_tokens_user_idx on public.session_refresh_tokens (user_id);
create index session_refresh_tokens_expires_idx on public.session_refresh_tokens (expires_at);

alter table public.session_revocations enable row level security;
alter table public.session_refresh_tokens enable row level security;
revoke all on public.session_revocations from anon, authenticated;
revoke all on public.session_refresh_tokens from anon, authenticated;

-- Live-feed tickets name the session they were issued to, so the feed can close that session's
-- sockets when it is revoked. Tickets live 30 seconds: the outstanding ones are simply dropped.
delete from public.live_tickets;
alter table public.live_tickets add column session_id uuid not null;
create index live_tickets_user_idx on public.live_tickets (user_id, expires_at);
