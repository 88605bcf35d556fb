import type { Db } from "../../db/database";

// Local mode: the auth schema (run through db.asAuthAdmin, standing in for Supabase Auth) ----------

export type AuthUserRow = {
  id: string;
  email: string;
  encrypted_password: string | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  banned_until: Date | null;
};

const USER_COLUMNS = "id, email, encrypted_password, raw_app_meta_data, raw_user_meta_data, banned_until";

/**
 * Inserts the auth user; the `on_auth_user_created` trigger then creates the organization (or joins
 * the org named in `appMetadata.org_id`) and the profile, and stamps org_id into raw_app_meta_data.
 */
export async function insertAuthUser(
  db: Db,
  input: { email: string; passwordHash: string; userMetadata: Record<string, unknown>; appMetadata: Record<string, unknown> },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into auth.users (aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
     values ('authenticated', 'authenticated', $1, $2, now(), $3, $4)
     returning id`,
    [input.email, input.passwordHash, input.appMetadata, input.userMetadata],
  );
  return rows[0]!.id;
}

export async function findAuthUserById(db: Db, id: string): Promise<AuthUserRow | null> {
  const { rows } = await db.query<AuthUserRow>(`select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null`, [id]);
  return rows[0] ?? null;
}

export async function findAuthUserByEmail(db: Db, email: string): Promise<AuthUserRow | null> {
  const { rows } = await db.query<AuthUserRow>(`select ${USER_COLUMNS} from auth.users where lower(email) = lower($1) and deleted_at is null`, [email]);
  return rows[0] ?? null;
}

export async function recordSignIn(db: Db, userId: string, at: Date): Promise<void> {
  await db.query("update auth.users set last_sign_in_at = $2 where id = $1", [userId, at]);
}

export async function insertRefreshToken(db: Db, row: { tokenHash: string; userId: string; familyId: string; expiresAt: Date }): Promise<void> {
  await db.query("insert into auth.refresh_tokens (token_hash, user_id, family_id, expires_at) values ($1, $2, $3, $4)", [
    row.tokenHash,
    row.userId,
    row.familyId,
    row.expiresAt,
  ]);
}

export type RefreshTokenRow = { id: number; user_id: string; family_id: string; revoked: boolean; rotated_at: Date | null; expires_at: Date };

/** Locks the token row so two refreshes with the same token are serialised (the second sees it revoked). */
export async function lockRefreshToken(db: Db, tokenHash: string): Promise<RefreshTokenRow | null> {
  const { rows } = await db.query<RefreshTokenRow>(
    "select id, user_id, family_id, revoked, rotated_at, expires_at from auth.refresh_tokens where token_hash = $1 for update",
    [tokenHash],
  );
  return rows[0] ?? null;
}

/** Retires a token at rotation (its successor is issued in the same transaction). */
export async function revokeRefreshToken(db: Db, id: number, rotatedAt: Date): Promise<void> {
  await db.query("update auth.refresh_tokens set revoked = true, rotated_at = $2 where id = $1", [id, rotatedAt]);
}

/** Retires the session's current token (the one that replaced a token being retried); true if there was one. */
export async function rotateActiveTokens(db: Db, familyId: string, rotatedAt: Date): Promise<boolean> {
  const { rowCount } = await db.query("update auth.refresh_tokens set revoked = true, rotated_at = $2 where family_id = $1 and not revoked", [
    familyId,
    rotatedAt,
  ]);
  return (rowCount ?? 0) > 0;
}

/** Revokes every token of a session (one sign-in and all its rotations). */
export async function revokeFamily(db: Db, familyId: string): Promise<number> {
  const { rowCount } = await db.query("update auth.refresh_tokens set revoked = true where family_id = $1 and not revoked", [familyId]);
  return rowCount ?? 0;
}

export async function familyOfToken(db: Db, tokenHash: string): Promise<{ familyId: string; userId: string } | null> {
  const { rows } = await db.query<{ family_id: string; user_id: string }>("select family_id, user_id from auth.refresh_tokens where token_hash = $1", [
    tokenHash,
  ]);
  return rows[0] ? { familyId: rows[0].family_id, userId: rows[0].user_id } : null;
}

/**
 * Ends every session of the user except `keepFamilyId`: revokes their refresh tokens and returns
 * the session ids whose access tokens may still be valid (a live refresh token, or one issued
 * since `issuedSince`, the oldest moment an unexpired access token can have been minted).
 */
export async function revokeOtherFamilies(db: Db, userId: string, keepFamilyId: string, issuedSince: Date): Promise<string[]> {
  const { rows } = await db.query<{ family_id: string }>(
    `with ended as (
       select distinct family_id from auth.refresh_tokens
        where user_id = $1 and family_id <> $2 and (not revoked or created_at > $3)
     ), revoked as (
       update auth.refresh_tokens set revoked = true where user_id = $1 and family_id <> $2 and not revoked
     )
     select family_id from ended`,
    [userId, keepFamilyId, issuedSince],
  );
  return rows.map((r) => r.family_id);
}

export async function updatePasswordHash(db: Db, userId: string, passwordHash: string, at: Date): Promise<void> {
  await db.query("update auth.users set encrypted_password = $2, updated_at = $3 where id = $1", [userId, passwordHash, at]);
}

// Session revocation (both modes; service role) ----------------------------------------------------

export type RevocationReason = "signed_out" | "password_changed" | "refresh_token_reused" | "account_suspended" | "password_reset" | "member_removed";

/** Records revoked sessions (an already revoked one keeps its first reason) and sweeps rows nobody can need any more. */
export async function insertSessionRevocations(
  db: Db,
  input: { userId: string; sessionIds: readonly string[]; reason: RevocationReason; revokedAt: Date; expiresAt: Date },
): Promise<void> {
  await db.query("delete from public.session_revocations where expires_at < $1", [input.revokedAt]);
  await db.query(
    `insert into public.session_revocations (session_id, user_id, reason, revoked_at, expires_at)
     select s, $2, $3, $4, $5 from unnest($1::uuid[]) s
     on conflict (session_id) do nothing`,
    [input.sessionIds, input.userId, input.reason, input.revokedAt, input.expiresAt],
  );
}

/** Tells every API process (their live feeds LISTEN on `channel`); delivered when the transaction commits. */
export async function notifySessionsRevoked(db: Db, channel: string, payload: string): Promise<void> {
  await db.query("select pg_notify($1, $2)", [channel, payload]);
}

/** Which of these sessions are revoked. */
export async function findRevokedSessions(db: Db, sessionIds: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ session_id: string }>("select session_id from public.session_revocations where session_id = any($1::uuid[])", [sessionIds]);
  return rows.map((r) => r.session_id);
}

// Supabase mode: the session of each refresh token handed out through this API ---------------------

export async function rememberRefreshToken(db: Db, row: { tokenHash: string; sessionId: string; userId: string; expiresAt: Date; now: Date }): Promise<void> {
  await db.query("delete from public.session_refresh_tokens where expires_at < $1", [row.now]);
  await db.query(
    `insert into public.session_refresh_tokens (token_hash, session_id, user_id, expires_at) values ($1, $2, $3, $4)
     on conflict (token_hash) do nothing`,
    [row.tokenHash, row.sessionId, row.userId, row.expiresAt],
  );
}

export async function sessionOfRefreshToken(db: Db, tokenHash: string): Promise<{ sessionId: string; userId: string } | null> {
  const { rows } = await db.query<{ session_id: string; user_id: string }>(
    "select session_id, user_id from public.session_refresh_tokens where token_hash = $1",
    [tokenHash],
  );
  return rows[0] ? { sessionId: rows[0].session_id, userId: rows[0].user_id } : null;
}

export async function otherKnownSessions(db: Db, userId: string, keepSessionId: string): Promise<string[]> {
  const { rows } = await db.query<{ session_id: string }>(
    "select distinct session_id from public.session_refresh_tokens where user_id = $1 and session_id <> $2",
    [userId, keepSessionId],
  );
  return rows.map((r) => r.session_id);
}

// Public schema, as the signed-in user (RLS applies) --------------------------------------------

export type MeRow = {
  user_id: string;
  email: string;
  full_name: string | null;
  role: "owner" | "admin" | "staff";
  org_id: string;
  org_name: string;
  timezone: string;
  currency: string;
  status: string;
  suspended_reason: string | null;
  is_operator: boolean;
};

export async function loadMe(db: Db, userId: string): Promise<MeRow | null> {
  const { rows } = await db.query<MeRow>(
    `select p.user_id, p.email, p.full_name, p.role, o.id as org_id, o.name as org_name, o.timezone, o.currency, o.status,
            o.suspended_reason, p.is_operator
       from public.profiles p
       join public.organizations o on o.id = p.org_id
      where p.user_id = $1`,
    [userId],
  );
  return rows[0] ?? null;
}

export async function insertAuditEvent(
  db: Db,
  event: { orgId: string; actorUserId: string; action: string; ip?: string; userAgent?: string; data?: Record<string, unknown> },
): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_user_id, actor_type, action, target_type, target_id, ip, user_agent, data)
     values ($1, $2::uuid, 'user', $3, 'user', $2::text, $4::inet, $5, $6)`,
    [event.orgId, event.actorUserId, event.action, event.ip ?? null, event.userAgent?.slice(0, 512) ?? null, event.data ?? {}],
  );
}
