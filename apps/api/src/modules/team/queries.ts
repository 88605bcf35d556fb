import type { Db } from "../../db/database";

export type MemberRow = { user_id: string; email: string; full_name: string | null; role: "owner" | "admin" | "staff"; created_at: Date };

export async function listMembers(db: Db, orgId: string): Promise<MemberRow[]> {
  const { rows } = await db.query<MemberRow>(
    `select user_id, email, full_name, role, created_at from public.profiles
      where org_id = $1
      order by case role when 'owner' then 0 when 'admin' then 1 else 2 end, lower(coalesce(full_name, email)), user_id`,
    [orgId],
  );
  return rows;
}

export async function findMember(db: Db, orgId: string, userId: string): Promise<MemberRow | null> {
  const { rows } = await db.query<MemberRow>("select user_id, email, full_name, role, created_at from public.profiles where org_id = $1 and user_id = $2", [
    orgId,
    userId,
  ]);
  return rows[0] ?? null;
}

export async function memberByEmail(db: Db, orgId: string, email: string): Promise<MemberRow | null> {
  const { rows } = await db.query<MemberRow>(
    "select user_id, email, full_name, role, created_at from public.profiles where org_id = $1 and lower(email) = lower($2)",
    [orgId, email],
  );
  return rows[0] ?? null;
}

/** The role change; the profiles_keep_an_owner trigger refuses to leave the clinic without an owner. */
export async function updateMemberRole(db: Db, orgId: string, userId: string, role: string): Promise<MemberRow | null> {
  const { rows } = await db.query<MemberRow>(
    "update public.profiles set role = $3 where org_id = $1 and user_id = $2 returning user_id, email, full_name, role, created_at",
    [orgId, userId, role],
  );
  return rows[0] ?? null;
}

/** Removes the profile; triggers keep an owner and strip the org from the user's app metadata. */
export async function deleteMember(db: Db, orgId: string, userId: string): Promise<boolean> {
  const { rowCount } = await db.query("delete from public.profiles where org_id = $1 and user_id = $2", [orgId, userId]);
  return (rowCount ?? 0) > 0;
}

export type InviteRow = {
  id: string;
  org_id: string;
  email: string;
  role: "admin" | "staff";
  invited_by_name: string | null;
  created_at: Date;
  expires_at: Date;
};

const INVITE_COLUMNS = `i.id, i.org_id, i.email, i.role, coalesce(p.full_name, p.email) as invited_by_name, i.created_at, i.expires_at`;

/** Invites neither accepted nor revoked (expired ones included: the page offers to send them again). */
export async function listOpenInvites(db: Db, orgId: string): Promise<InviteRow[]> {
  const { rows } = await db.query<InviteRow>(
    `select ${INVITE_COLUMNS}
       from public.team_invites i
       left join public.profiles p on p.user_id = i.invited_by and p.org_id = i.org_id
      where i.org_id = $1 and i.accepted_at is null and i.revoked_at is null
      order by i.created_at desc, i.id`,
    [orgId],
  );
  return rows;
}

/** Inviting an email again replaces its open invite: the old link stops working. */
export async function revokeOpenInvitesFor(db: Db, orgId: string, email: string, by: string, at: Date): Promise<number> {
  const { rowCount } = await db.query(
    "update public.team_invites set revoked_at = $4, revoked_by = $3 where org_id = $1 and email = $2 and accepted_at is null and revoked_at is null",
    [orgId, email, by, at],
  );
  return rowCount ?? 0;
}

export async function insertInvite(
  db: Db,
  i: { orgId: string; email: string; role: string; tokenHash: string; invitedBy: string; createdAt: Date; expiresAt: Date },
): Promise<InviteRow> {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.team_invites (org_id, email, role, token_hash, invited_by, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [i.orgId, i.email, i.role, i.tokenHash, i.invitedBy, i.createdAt, i.expiresAt],
  );
  const { rows: full } = await db.query<InviteRow>(
    `select ${INVITE_COLUMNS} from public.team_invites i
       left join public.profiles p on p.user_id = i.invited_by and p.org_id = i.org_id
      where i.id = $1`,
    [rows[0]!.id],
  );
  return full[0]!;
}

export async function revokeInvite(db: Db, orgId: string, inviteId: string, by: string, at: Date): Promise<{ email: string; role: string } | null> {
  const { rows } = await db.query<{ email: string; role: string }>(
    `update public.team_invites set revoked_at = $4, revoked_by = $3
      where org_id = $1 and id = $2 and accepted_at is null and revoked_at is null
      returning email, role`,
    [orgId, inviteId, by, at],
  );
  return rows[0] ?? null;
}

export type ValidInvite = { id: string; org_id: string; email: string; role: "admin" | "staff"; clinic_name: string };

/** An invite whose link still works: not accepted, not revoked, not expired. */
export async function findValidInvite(db: Db, tokenHash: string, now: Date): Promise<ValidInvite | null> {
  const { rows } = await db.query<ValidInvite>(
    `select i.id, i.org_id, i.email, i.role, o.name as clinic_name
       from public.team_invites i join public.organizations o on o.id = i.org_id
      where i.token_hash = $1 and i.accepted_at is null and i.revoked_at is null and i.expires_at > $2`,
    [tokenHash, now],
  );
  return rows[0] ?? null;
}

/**
 * Uses the invite: one conditional UPDATE, so of two concurrent acceptances exactly one gets the
 * row back (the other waits on the row lock, then no longer matches `accepted_at is null`).
 */
export async function consumeInvite(db: Db, tokenHash: string, now: Date): Promise<ValidInvite | null> {
  const { rows } = await db.query<ValidInvite>(
    `update public.team_invites i set accepted_at = $2
       from public.organizations o
      where o.id = i.org_id and i.token_hash = $1 and i.accepted_at is null and i.revoked_at is null and i.expires_at > $2
      returning i.id, i.org_id, i.email, i.role, o.name as clinic_name`,
    [tokenHash, now],
  );
  return rows[0] ?? null;
}

export async function recordInviteAcceptedBy(db: Db, inviteId: string, userId: string): Promise<void> {
  await db.query("update public.team_invites set accepted_user_id = $2 where id = $1", [inviteId, userId]);
}

export async function clinicName(db: Db, orgId: string): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>("select name from public.organizations where id = $1", [orgId]);
  return rows[0]?.name ?? null;
}

/** Whether an account (auth.users, either mode) already uses this email. */
export async function authUserExists(db: Db, email: string): Promise<boolean> {
  const { rows } = await db.query("select 1 from auth.users where lower(email) = lower($1) and deleted_at is null", [email]);
  return rows.length > 0;
}
