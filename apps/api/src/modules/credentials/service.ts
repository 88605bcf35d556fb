import type { z } from "zod";
import type { Database, Db } from "../../db/database";
import { GoogleCredentials } from "../../integrations/google/credentials";
import { TwilioCredentials } from "../../integrations/twilio/credentials";
import { CredentialError, seal, unseal, type Keyring, type Sealed } from "./crypto";
import * as q from "./queries";

/**
 * The credential vault: provider secrets per org, sealed with AES-256-GCM (./crypto.ts) before
 * they are written to public.org_credentials. Only the server reads them back (service role);
 * clinic members see the status and the non-secret metadata, never the payload. Nothing here logs.
 */

/** Provider → the schema of its secret payload. The migration's `provider` check lists the same names. */
export const credentialSchemas = { twilio: TwilioCredentials, google: GoogleCredentials } as const;
export type CredentialProvider = keyof typeof credentialSchemas;
export type CredentialPayload<P extends CredentialProvider> = z.infer<(typeof credentialSchemas)[P]>;

export type CredentialSummary = {
  provider: CredentialProvider;
  status: q.CredentialStatus | "not_connected";
  /** Non-secret facts (account SID, connected_email, vapi_credential_id). */
  metadata: Record<string, unknown>;
  updatedAt: Date | null;
};

/** The sealed value is bound to its org and provider: copied into another row, it does not open. */
const aad = (orgId: string, provider: string) => `org_credentials:${orgId}:${provider}`;
const label = (orgId: string, provider: string) => `${provider} credentials of org ${orgId}`;

function validPayload<P extends CredentialProvider>(provider: P, payload: unknown, what: string): CredentialPayload<P> {
  const parsed = credentialSchemas[provider].safeParse(payload);
  if (parsed.success) return parsed.data as CredentialPayload<P>;
  // Issue messages and paths only: zod does not echo the values.
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`).join("; ");
  throw new CredentialError("invalid_payload", `The ${what} are not valid ${provider} credentials — ${issues}`);
}

const summary = (provider: CredentialProvider, row: q.CredentialSummaryRow | null): CredentialSummary =>
  row
    ? { provider, status: row.status, metadata: row.metadata, updatedAt: row.updated_at }
    : { provider, status: "not_connected", metadata: {}, updatedAt: null };

/** Encrypts and stores (or replaces) an org's credentials for a provider; the connection becomes active. */
export async function saveCredential<P extends CredentialProvider>(
  db: Db,
  keys: Keyring,
  orgId: string,
  provider: P,
  payload: CredentialPayload<P>,
  metadata: Record<string, unknown> = {},
): Promise<CredentialSummary> {
  const valid = validPayload(provider, payload, `new ${label(orgId, provider)}`);
  const sealed = seal(keys, JSON.stringify(valid), aad(orgId, provider));
  return summary(provider, await q.upsertCredential(db, orgId, provider, sealed, metadata));
}

/**
 * Replaces the secret of a connected provider and keeps its status and metadata: a refreshed
 * token is merged in without touching what the clinic sees. False when it is no longer connected.
 */
export async function replaceCredentialSecret<P extends CredentialProvider>(
  db: Db,
  keys: Keyring,
  orgId: string,
  provider: P,
  payload: CredentialPayload<P>,
): Promise<boolean> {
  const valid = validPayload(provider, payload, `new ${label(orgId, provider)}`);
  return q.replaceSealedFor(db, orgId, provider, seal(keys, JSON.stringify(valid), aad(orgId, provider)));
}

/** The decrypted payload, checked against the provider's schema. Throws CredentialError when unusable. */
export async function readCredential<P extends CredentialProvider>(db: Db, keys: Keyring, orgId: string, provider: P): Promise<CredentialPayload<P>> {
  const row = await q.findSealedCredential(db, orgId, provider);
  const sealed = row && sealedOf(row);
  if (!sealed) throw new CredentialError("not_connected", `${provider} is not connected for org ${orgId}.`);
  const what = label(orgId, provider);
  const text = unseal(keys, sealed, aad(orgId, provider), what);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CredentialError("invalid_payload", `The stored ${what} are not JSON.`);
  }
  return validPayload(provider, json, `stored ${what}`);
}

/** Status and metadata only; works as a member (RLS) as well as for the server. */
export async function credentialStatus(db: Db, orgId: string, provider: CredentialProvider): Promise<CredentialSummary> {
  return summary(provider, await q.findCredentialSummary(db, orgId, provider));
}

export async function isConnected(db: Db, orgId: string, provider: CredentialProvider): Promise<boolean> {
  return (await credentialStatus(db, orgId, provider)).status === "active";
}

/** Disconnect: the row stays (status revoked, metadata kept for the record) and the secret is erased. */
export async function revokeCredential(db: Db, orgId: string, provider: CredentialProvider): Promise<boolean> {
  return q.revokeCredentialRow(db, orgId, provider);
}

function sealedOf(row: q.SealedCredentialRow): Sealed | null {
  if (!row.key_id || !row.iv || !row.ciphertext || !row.auth_tag) return null;
  return { keyId: row.key_id, iv: row.iv, ciphertext: row.ciphertext, authTag: row.auth_tag };
}

export type ReencryptedRow = { orgId: string; provider: string; fromKeyId: string };
export type ReencryptFailure = ReencryptedRow & { error: string };
export type ReencryptResult = {
  currentKeyId: string;
  /** Sealed rows per key id before the run. */
  before: Record<string, number>;
  /** Rows moved to the current key (with dryRun: rows that would be; each one decrypted). */
  reencrypted: ReencryptedRow[];
  failures: ReencryptFailure[];
};

/**
 * Key rotation: every org's credentials sealed under an older key are decrypted and sealed again
 * under the current one (ENCRYPTION_KEY's first entry), with an audit event per row. Run as the
 * service role across orgs (db.asSystem). Rows that cannot be decrypted are reported and left as
 * they are; with `dryRun` nothing is written, but every row is still decrypted, which proves the old
 * keys are present.
 */
export async function reencryptAll(db: Db, keys: Keyring, options: { dryRun?: boolean } = {}): Promise<ReencryptResult> {
  const result: ReencryptResult = { currentKeyId: keys.currentId, before: await q.countSealedByKey(db), reencrypted: [], failures: [] };
  for (const row of await q.lockSealedNotUnderKey(db, keys.currentId)) {
    const ref: ReencryptedRow = { orgId: row.org_id, provider: row.provider, fromKeyId: row.key_id! };
    try {
      const plaintext = unseal(keys, sealedOf(row)!, aad(row.org_id, row.provider), label(row.org_id, row.provider));
      if (!options.dryRun) {
        await q.replaceSealed(db, row.id, seal(keys, plaintext, aad(row.org_id, row.provider)));
        await q.auditReencrypted(db, { ...ref, id: row.id, toKeyId: keys.currentId });
      }
      result.reencrypted.push(ref);
    } catch (err) {
      if (!(err instanceof CredentialError)) throw err;
      result.failures.push({ ...ref, error: err.message });
    }
  }
  return result;
}

export type RotationResult = ReencryptResult & {
  /** Rows still under an older key when the run stopped (a --limit, an interrupt); run again to finish. */
  remaining: number;
  stopped: boolean;
};

/**
 * Resumable key rotation: one transaction per credential, so an interrupted run (Ctrl-C, a crash,
 * `limit`) leaves every row sealed under either its old key or the current one, both listed in
 * ENCRYPTION_KEY, and a second run carries on with the rows still under an older key. Rows that
 * cannot be decrypted are reported and left as they are.
 */
export async function rotateCredentialKeys(
  database: Pick<Database, "asSystem">,
  keys: Keyring,
  options: { dryRun?: boolean; limit?: number; shouldStop?: () => boolean; onRow?: (done: number, total: number) => void } = {},
): Promise<RotationResult> {
  const { before, ids } = await database.asSystem(async (db) => ({
    before: await q.countSealedByKey(db),
    ids: await q.listSealedIdsNotUnderKey(db, keys.currentId),
  }));
  const result: RotationResult = { currentKeyId: keys.currentId, before, reencrypted: [], failures: [], remaining: ids.length, stopped: false };
  const limit = options.limit ?? Infinity;
  let done = 0;
  for (const id of ids) {
    if (done >= limit || options.shouldStop?.()) {
      result.stopped = true;
      break;
    }
    await database.asSystem(async (db) => {
      const row = await q.lockSealedIfNotUnderKey(db, id, keys.currentId);
      if (!row) return;
      const ref: ReencryptedRow = { orgId: row.org_id, provider: row.provider, fromKeyId: row.key_id! };
      try {
        const plaintext = unseal(keys, sealedOf(row)!, aad(row.org_id, row.provider), label(row.org_id, row.provider));
        if (!options.dryRun) {
          await q.replaceSealed(db, row.id, seal(keys, plaintext, aad(row.org_id, row.provider)));
          await q.auditReencrypted(db, { ...ref, id: row.id, toKeyId: keys.currentId });
        }
        result.reencrypted.push(ref);
      } catch (err) {
        if (!(err instanceof CredentialError)) throw err;
        result.failures.push({ ...ref, error: err.message });
      }
    });
    done++;
    options.onRow?.(done, ids.length);
  }
  result.remaining = options.dryRun ? ids.length : ids.length - result.reencrypted.length;
  return result;
}
