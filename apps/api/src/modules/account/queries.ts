import type { Db } from "../../db/database";

export type AccountRow = { email: string; full_name: string | null; role: "owner" | "admin" | "staff"; daily_summary: boolean };

export async function loadAccount(db: Db, userId: string): Promise<AccountRow | null> {
  const { rows } = await db.query<AccountRow>("select email, full_name, role, daily_summary from public.profiles where user_id = $1", [userId]);
  return rows[0] ?? null;
}

/** As the member (RLS: each member updates only their own row, and only these columns). */
export async function updateOwnProfile(db: Db, userId: string, change: { fullName?: string; dailySummary?: boolean }): Promise<AccountRow | null> {
  const { rows } = await db.query<AccountRow>(
    `update public.profiles
        set full_name = coalesce($2, full_name), daily_summary = coalesce($3, daily_summary)
      where user_id = $1
      returning email, full_name, role, daily_summary`,
    [userId, change.fullName ?? null, change.dailySummary ?? null],
  );
  return rows[0] ?? null;
}

export type ResetTarget = { user_id: string; email: string; org_id: string; clinic_name: string };

/** The account behind an email, if it belongs to a clinic (a removed member gets no reset). */
export async function findResetTarget(db: Db, email: string): Promise<ResetTarget | null> {
  const { rows } = await db.query<ResetTarget>(
    `select p.user_id, p.email, p.org_id, o.name as clinic_name
       from public.profiles p join public.organizations o on o.id = p.org_id
       join auth.users u on u.id = p.user_id and u.deleted_at is null
      where lower(p.email) = lower($1)`,
    [email],
  );
  return rows[0] ?? null;
}

export async function insertPasswordReset(db: Db, r: { userId: string; tokenHash: string; createdAt: Date; expiresAt: Date }): Promise<void> {
  await db.query("insert into public.password_resets (user_id, token_hash, created_at, expires_at) values ($1, $2, $3, $4)", [
    r.userId,
    r.tokenHash,
    r.createdAt,
    r.expiresAt,
  ]);
}

/**
 * Uses a reset link: one conditional UPDATE, so it works exactly once even when two requests race.
 * Any other unused link of the same user dies with it.
 */
export async function consumePasswordReset(db: Db, tokenHash: string, now: Date): Promise<{ user_id: string; email: string; org_id: string } | null> {
  const { rows } = await db.query<{ user_id: string; email: string; org_id: string }>(
    `with used as (
       update public.password_resets set used_at = $2
        where token_hash = $1 and used_at is null and expires_at > $2
        returning user_id
     )
     select p.user_id, p.email, p.org_id from used join public.profiles p on p.user_id = used.user_id`,
    [tokenHash, now],
  );
  if (rows[0]) {
    await db.query("update public.password_resets set used_at = $2 where user_id = $1 and used_at is null", [rows[0].user_id, now]);
  }
  return rows[0] ?? null;
}

export async function orgOfUser(db: Db, userId: string): Promise<string | null> {
  const { rows } = await db.query<{ org_id: string }>("select org_id from public.profiles where user_id = $1", [userId]);
  return rows[0]?.org_id ?? null;
}
