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

export type RefreshTokenRow = { id: number; user_id: string; family_id: string; revoked: boolean; expires_at: Date };

/** Locks the token row so two refreshes with the same token are serialised (the second sees it revoked). */
export async function lockRefreshToken(db: Db, tokenHash: string): Promise<RefreshTokenRow | null> {
  const { rows } = await db.query<RefreshTokenRow>(
    "select id, user_id, family_id, revoked, expires_at from auth.refresh_tokens where token_hash = $1 for update",
    [tokenHash],
  );
  return rows[0] ?? null;
}

export async function revokeRefreshToken(db: Db, id: number): Promise<void> {
  await db.query("update auth.refresh_tokens set revoked = true where id = $1", [id]);
}

/** Revokes every token of a session (one sign-in and all its rotations). */
export async function revokeFamily(db: Db, familyId: string): Promise<number> {
  const { rowCount } = await db.query("update auth.refresh_tokens set revoked = true where family_id = $1 and not revoked", [familyId]);
  return rowCount ?? 0;
}

export async function familyOfToken(db: Db, tokenHash: string): Promise<string | null> {
  const { rows } = await db.query<{ family_id: string }>("select family_id from auth.refresh_tokens where token_hash = $1", [tokenHash]);
  return rows[0]?.family_id ?? null;
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
  status: string;
};

export async function loadMe(db: Db, userId: string): Promise<MeRow | null> {
  const { rows } = await db.query<MeRow>(
    `select p.user_id, p.email, p.full_name, p.role, o.id as org_id, o.name as org_name, o.timezone, o.status
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
