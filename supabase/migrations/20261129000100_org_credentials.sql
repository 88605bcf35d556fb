-- Provider credentials per clinic (Twilio, Google), encrypted by the API with AES-256-GCM before
-- they reach the database (apps/api/src/modules/credentials): the database holds ciphertext, the
-- encryption key (ENCRYPTION_KEY) never comes near it. `key_id` names the ENCRYPTION_KEY entry that
-- sealed the row, so keys can be rotated (`voxanne rotate-encryption-key`). The sealed payload is
-- bound to (org_id, provider) as additional authenticated data: copied into another row it fails
-- to decrypt.
--
-- Access: only the server (service role) reads or writes a row. Clinic members may read whether a
-- provider is connected and its non-secret metadata (column grants below); the sealed columns are
-- not readable by `authenticated` or `anon` at all, not even for their own org, because Supabase
-- exposes this schema through its REST API.

create table public.org_credentials (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  provider text not null check (provider in ('twilio', 'google')),
  status text not null default 'active' check (status in ('active', 'needs_reconnect', 'failed', 'revoked')),
  -- Shown to the clinic: account SID, connected_email, vapi_credential_id, … Never a secret.
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  -- The sealed payload: key id, 96-bit random IV, ciphertext, 128-bit GCM tag. Erased on revoke.
  key_id text check (key_id ~ '^[A-Za-z0-9_.-]{1,32}$'),
  iv bytea,
  ciphertext bytea,
  auth_tag bytea,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, provider),
  constraint org_credentials_sealed check (
    (status = 'revoked' and key_id is null and iv is null and ciphertext is null and auth_tag is null)
    or (status <> 'revoked' and key_id is not null and iv is not null and ciphertext is not null and auth_tag is not null
        and octet_length(iv) = 12 and octet_length(auth_tag) = 16)
  )
);
create trigger org_credentials_updated_at before update on public.org_credentials
  for each row execute function public.set_updated_at();

alter table public.org_credentials enable row level security;

revoke all on public.org_credentials from anon, authenticated;
grant select (id, org_id, provider, status, metadata, created_at, updated_at) on public.org_credentials to authenticated;

create policy org_credentials_org_select on public.org_credentials
  for select to authenticated using (org_id = (select public.auth_org_id()));
