import type { Db } from "../../db/database";
import type { Sealed } from "./crypto";

export type CredentialStatus = "active" | "needs_reconnect" | "failed" | "revoked";

/** The columns anyone may see (members read them under RLS too): no key material, no ciphertext. */
export type CredentialSummaryRow = { id: string; provider: string; status: CredentialStatus; metadata: Record<string, unknown>; updated_at: Date };

/** A row with its sealed payload (null once revoked). Service role only. */
export type SealedCredentialRow = CredentialSummaryRow & {
  org_id: string;
  key_id: string | null;
  iv: Buffer | null;
  ciphertext: Buffer | null;
  auth_tag: Buffer | null;
};

const SUMMARY = "id, provider, status, metadata, updated_at";
const SEALED = `${SUMMARY}, org_id, key_id, iv, ciphertext, auth_tag`;

/** Insert or replace the org's credentials for a provider; the row becomes active again. */
export async function upsertCredential(
  db: Db,
  orgId: string,
  provider: string,
  sealed: Sealed,
  metadata: Record<string, unknown>,
): Promise<CredentialSummaryRow> {
  const { rows } = await db.query<CredentialSummaryRow>(
    `insert into public.org_credentials (org_id, provider, status, metadata, key_id, iv, ciphertext, auth_tag)
     values ($1, $2, 'active', $3, $4, $5, $6, $7)
     on conflict (org_id, provider) do update
        set status = 'active', metadata = excluded.metadata, key_id = excluded.key_id, iv = excluded.iv,
            ciphertext = excluded.ciphertext, auth_tag = excluded.auth_tag
     returning ${SUMMARY}`,
    [orgId, provider, metadata, sealed.keyId, sealed.iv, sealed.ciphertext, sealed.authTag],
  );
  return rows[0]!;
}

export async function findCredentialSummary(db: Db, orgId: string, provider: string): Promise<CredentialSummaryRow | null> {
  const { rows } = await db.query<CredentialSummaryRow>(`select ${SUMMARY} from public.org_credentials where org_id = $1 and provider = $2`, [orgId, provider]);
  return rows[0] ?? null;
}

export async function findSealedCredential(db: Db, orgId: string, provider: string): Promise<SealedCredentialRow | null> {
  const { rows } = await db.query<SealedCredentialRow>(`select ${SEALED} from public.org_credentials where org_id = $1 and provider = $2`, [orgId, provider]);
  return rows[0] ?? null;
}

/** Replaces the sealed payload and keeps status and metadata (a refreshed token merged in). False when the row is not connected. */
export async function replaceSealedFor(db: Db, orgId: string, provider: string, sealed: Sealed): Promise<boolean> {
  const { rowCount } = await db.query(
    `update public.org_credentials set key_id = $3, iv = $4, ciphertext = $5, auth_tag = $6
      where org_id = $1 and provider = $2 and status <> 'revoked'`,
    [orgId, provider, sealed.keyId, sealed.iv, sealed.ciphertext, sealed.authTag],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Moves a connection from one status to another and merges `metadata` into its metadata. Returns
 * false when the row was not in `from` (someone else changed it first, or it was disconnected).
 */
export async function transitionCredential(
  db: Db,
  orgId: string,
  provider: string,
  change: { from: CredentialStatus[]; to: CredentialStatus; metadata: Record<string, unknown> },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update public.org_credentials set status = $4, metadata = metadata || $5::jsonb
      where org_id = $1 and provider = $2 and status = any($3::text[])`,
    [orgId, provider, change.from, change.to, change.metadata],
  );
  return (rowCount ?? 0) > 0;
}

/** Merges non-secret facts into a connection's metadata (last check, last error), whatever its status. */
export async function mergeCredentialMetadata(db: Db, orgId: string, provider: string, metadata: Record<string, unknown>): Promise<void> {
  await db.query("update public.org_credentials set metadata = metadata || $3::jsonb where org_id = $1 and provider = $2", [orgId, provider, metadata]);
}

/** Orgs whose connection to `provider` has the given status (across orgs: service role via db.asSystem). */
export async function orgsWithCredential(db: Db, provider: string, status: CredentialStatus): Promise<string[]> {
  const { rows } = await db.query<{ org_id: string }>("select org_id from public.org_credentials where provider = $1 and status = $2 order by org_id", [
    provider,
    status,
  ]);
  return rows.map((r) => r.org_id);
}

/** Marks the credentials revoked and erases the sealed payload. False when there was nothing to revoke. */
export async function revokeCredentialRow(db: Db, orgId: string, provider: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `update public.org_credentials
        set status = 'revoked', key_id = null, iv = null, ciphertext = null, auth_tag = null
      where org_id = $1 and provider = $2 and status <> 'revoked'`,
    [orgId, provider],
  );
  return (rowCount ?? 0) > 0;
}

/** Every org's sealed rows whose key is not `keyId`, locked until the transaction ends (rotation). */
export async function lockSealedNotUnderKey(db: Db, keyId: string): Promise<SealedCredentialRow[]> {
  const { rows } = await db.query<SealedCredentialRow>(
    `select ${SEALED} from public.org_credentials
      where ciphertext is not null and key_id <> $1
      order by org_id, provider
      for update`,
    [keyId],
  );
  return rows;
}

/** Ids of the sealed rows not under `keyId`, across orgs, in a stable order (resumable rotation). */
export async function listSealedIdsNotUnderKey(db: Db, keyId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    "select id from public.org_credentials where ciphertext is not null and key_id <> $1 order by org_id, provider",
    [keyId],
  );
  return rows.map((r) => r.id);
}

/** One sealed row, locked, if it is still not under `keyId` (another run may have moved it meanwhile). */
export async function lockSealedIfNotUnderKey(db: Db, id: string, keyId: string): Promise<SealedCredentialRow | null> {
  const { rows } = await db.query<SealedCredentialRow>(
    `select ${SEALED} from public.org_credentials where id = $1 and ciphertext is not null and key_id <> $2 for update`,
    [id, keyId],
  );
  return rows[0] ?? null;
}

/** Rows sealed per key id, across orgs (rotation progress). */
export async function countSealedByKey(db: Db): Promise<Record<string, number>> {
  const { rows } = await db.query<{ key_id: string; n: number }>(
    "select key_id, count(*)::int as n from public.org_credentials where ciphertext is not null group by key_id order by key_id",
  );
  return Object.fromEntries(rows.map((r) => [r.key_id, r.n]));
}

export async function replaceSealed(db: Db, id: string, sealed: Sealed): Promise<void> {
  await db.query("update public.org_credentials set key_id = $2, iv = $3, ciphertext = $4, auth_tag = $5 where id = $1", [
    id,
    sealed.keyId,
    sealed.iv,
    sealed.ciphertext,
    sealed.authTag,
  ]);
}

/** The audit trail of a rotation: one operator event per re-encrypted row. */
export async function auditReencrypted(db: Db, row: { orgId: string; id: string; provider: string; fromKeyId: string; toKeyId: string }): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_type, action, target_type, target_id, data)
     values ($1, 'operator', 'credentials.reencrypted', 'org_credentials', $2, $3)`,
    [row.orgId, row.id, { provider: row.provider, fromKeyId: row.fromKeyId, toKeyId: row.toKeyId }],
  );
}
