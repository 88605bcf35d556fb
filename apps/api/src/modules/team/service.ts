/**
 * The clinic's team: members, invites, roles. Who may do what (docs/SECURITY.md § Roles): owners
 * and admins invite, re-role and remove admins and staff; only an owner makes, unmakes or removes
 * an owner; the database keeps at least one owner (trigger profiles_keep_an_owner). Every change
 * is audited in the same transaction.
 */
import { INVITE_TTL_HOURS, type InviteBody, type Role, type Team, type TeamInvite, type TeamMember } from "@voxanne/contracts";
import type { Config } from "../../config";
import type { Database, Db } from "../../db/database";
import type { Clock } from "../../lib/clock";
import { conflict, DomainError, forbidden, notFound } from "../../lib/domain-error";
import { insertAuditEvent } from "../audit/queries";
import type { AuthProvider } from "../auth/provider";
import type { AuthContext } from "../auth/session";
import { endEverySession } from "../auth/sessions";
import { type EmailOutcome, sendEmail } from "../email/service";
import * as q from "./queries";
import { hashLinkToken, newLinkToken } from "./tokens";

export type TeamDeps = { db: Database; clock: Clock; auth: AuthProvider; config: Config };
export type Actor = Pick<AuthContext, "userId" | "orgId" | "role"> & { ip?: string; userAgent?: string };

const toMember = (m: q.MemberRow): TeamMember => ({
  userId: m.user_id,
  email: m.email,
  fullName: m.full_name,
  role: m.role,
  joinedAt: m.created_at.toISOString(),
});

const toInvite = (i: q.InviteRow, now: Date): TeamInvite => ({
  id: i.id,
  email: i.email,
  role: i.role,
  invitedBy: i.invited_by_name,
  createdAt: i.created_at.toISOString(),
  expiresAt: i.expires_at.toISOString(),
  expired: i.expires_at <= now,
});

export const lastOwner = () => conflict("A clinic needs an owner: make another member an owner first, then change or remove this one.", "last_owner");

export const inviteLinkDead = () =>
  new DomainError(
    "invalid",
    "invite_invalid",
    "This invite link is no longer valid: it was revoked, has expired or was already used. Ask your clinic's owner or an admin to invite you again.",
  );

/** The profiles_keep_an_owner trigger's refusal, as the domain error. */
function ownerKept(err: unknown): never {
  const e = err as { code?: string; hint?: string };
  if (e.code === "P0001" && e.hint === "last_owner") throw lastOwner();
  throw err;
}

const ownerOnly = (what: string) =>
  forbidden(`Only the clinic's owner can ${what}. You are signed in as an admin: ask your clinic's owner to do it.`, "owner_only");

export async function getTeam(db: Db, orgId: string, now: Date): Promise<Team> {
  const [members, invites] = [await q.listMembers(db, orgId), await q.listOpenInvites(db, orgId)];
  return { members: members.map(toMember), invites: invites.map((i) => toInvite(i, now)) };
}

export const inviteLink = (config: Pick<Config, "PUBLIC_WEB_URL">, token: string) =>
  `${config.PUBLIC_WEB_URL.replace(/\/+$/, "")}/accept-invite?token=${encodeURIComponent(token)}`;

/**
 * Invites an email with a role: a new single-use link (only its hash is stored), valid for
 * INVITE_TTL_HOURS; an open invite to the same email is revoked. The invite and its audit event
 * commit together; the email is sent after the commit (and recorded in messages either way).
 */
export async function inviteMember(deps: TeamDeps, actor: Actor, body: InviteBody): Promise<TeamInvite & { delivery: EmailOutcome["status"] }> {
  const now = deps.clock.now();
  const { token, hash } = newLinkToken();
  const { invite, clinicName, inviterName } = await deps.db.asService(actor.orgId, async (tx) => {
    if (await q.memberByEmail(tx, actor.orgId, body.email)) {
      throw conflict(`${body.email} is already a member of this clinic. Change their role in the members list instead.`, "already_member");
    }
    const replaced = await q.revokeOpenInvitesFor(tx, actor.orgId, body.email, actor.userId, now);
    const row = await q.insertInvite(tx, {
      orgId: actor.orgId,
      email: body.email,
      role: body.role,
      tokenHash: hash,
      invitedBy: actor.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITE_TTL_HOURS * 3600_000),
    });
    await insertAuditEvent(tx, {
      orgId: actor.orgId,
      actorUserId: actor.userId,
      action: "team.invited",
      targetType: "invite",
      targetId: row.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      data: { email: body.email, role: body.role, replacedOpenInvite: replaced > 0 },
    });
    const clinic = (await q.clinicName(tx, actor.orgId)) ?? "your clinic";
    return { invite: row, clinicName: clinic, inviterName: row.invited_by_name ?? "A colleague" };
  });

  const link = inviteLink(deps.config, token);
  const sent = await sendEmail({ db: deps.db, config: deps.config, now: () => deps.clock.now() }, actor.orgId, {
    to: body.email,
    kind: "team_invite",
    subject: `${inviterName} invited you to ${clinicName} on Voxanne`,
    text: [
      `${inviterName} invited you to join ${clinicName} on Voxanne as ${body.role === "admin" ? "an admin" : "staff"}.`,
      "",
      `Accept the invite and choose your password: ${link}`,
      "",
      `The link works once and expires in ${INVITE_TTL_HOURS} hours. If you weren't expecting this, ignore this email.`,
    ].join("\n"),
    secrets: [link],
  });
  return { ...toInvite(invite, now), delivery: sent.status };
}

export async function revokeInvite(deps: TeamDeps, actor: Actor, inviteId: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.asService(actor.orgId, async (tx) => {
    const revoked = await q.revokeInvite(tx, actor.orgId, inviteId, actor.userId, now);
    if (!revoked)
      throw notFound("There is no open invite with that id: it may have been accepted or revoked already. Reload the team page.", "invite_not_found");
    await insertAuditEvent(tx, {
      orgId: actor.orgId,
      actorUserId: actor.userId,
      action: "team.invite_revoked",
      targetType: "invite",
      targetId: inviteId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      data: { email: revoked.email, role: revoked.role },
    });
  });
}

export async function changeRole(deps: TeamDeps, actor: Actor, userId: string, role: Role): Promise<TeamMember> {
  return deps.db.asService(actor.orgId, async (tx) => {
    const member = await q.findMember(tx, actor.orgId, userId);
    if (!member) throw notFound("That person is not a member of this clinic. Reload the team page.", "member_not_found");
    if ((member.role === "owner" || role === "owner") && actor.role !== "owner") throw ownerOnly("make or unmake an owner");
    if (member.role === role) return toMember(member);
    const updated = await q.updateMemberRole(tx, actor.orgId, userId, role).catch(ownerKept);
    await insertAuditEvent(tx, {
      orgId: actor.orgId,
      actorUserId: actor.userId,
      action: "team.role_changed",
      targetType: "user",
      targetId: userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      data: { email: member.email, from: member.role, to: role },
    });
    return toMember(updated!);
  });
}

/**
 * Removes a member: their profile goes (the database keeps an owner and strips the clinic from
 * their account), and every session of theirs ends at once, in the same transaction.
 */
export async function removeMember(deps: TeamDeps, actor: Actor, userId: string): Promise<void> {
  const now = deps.clock.now();
  const ended = await deps.db.asAuthAdmin(async (tx) => {
    const member = await q.findMember(tx, actor.orgId, userId);
    if (!member) throw notFound("That person is not a member of this clinic. Reload the team page.", "member_not_found");
    if (member.role === "owner" && actor.role !== "owner") throw ownerOnly("remove an owner");
    await q.deleteMember(tx, actor.orgId, userId).catch(ownerKept);
    const sessions = await endEverySession(
      tx,
      { guard: deps.auth.sessions, mode: deps.auth.mode, now, accessTokenTtlSeconds: deps.config.ACCESS_TOKEN_TTL_SECONDS },
      { userId, reason: "member_removed" },
    );
    await insertAuditEvent(tx, {
      orgId: actor.orgId,
      actorUserId: actor.userId,
      action: "team.member_removed",
      targetType: "user",
      targetId: userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      data: { email: member.email, role: member.role, fullName: member.full_name },
    });
    return sessions;
  });
  deps.auth.sessions.forget(ended);
}

export async function previewInvite(deps: Pick<TeamDeps, "db" | "clock">, token: string) {
  const invite = await deps.db.asSystem((tx) => q.findValidInvite(tx, hashLinkToken(token), deps.clock.now()));
  if (!invite) throw inviteLinkDead();
  return { email: invite.email, role: invite.role, clinicName: invite.clinic_name };
}

/**
 * Accepts an invite: the link is used (a conditional UPDATE, so it works exactly once), the
 * account is created in the clinic with the invite's role, and the acceptance is audited — one
 * transaction (local mode), so a failure leaves the link usable. Supabase mode creates the
 * account through Supabase's admin API while the invite row is held.
 */
export async function acceptInvite(
  deps: TeamDeps,
  body: { token: string; fullName: string; password: string },
  meta: { ip?: string; userAgent?: string },
): Promise<{ email: string; role: "admin" | "staff"; clinicName: string }> {
  const now = deps.clock.now();
  return deps.db.asAuthAdmin(async (tx) => {
    const invite = await q.consumeInvite(tx, hashLinkToken(body.token), now);
    if (!invite) throw inviteLinkDead();
    if (await q.authUserExists(tx, invite.email)) {
      throw conflict(
        `${invite.email} already has a Voxanne account, and an account belongs to one clinic. Ask the clinic to invite another email address.`,
        "email_taken",
      );
    }
    const { userId } = await deps.auth.createMember(
      { email: invite.email, password: body.password, fullName: body.fullName, orgId: invite.org_id, role: invite.role },
      deps.auth.mode === "local" ? tx : undefined,
    );
    await q.recordInviteAcceptedBy(tx, invite.id, userId);
    await insertAuditEvent(tx, {
      orgId: invite.org_id,
      actorUserId: userId,
      action: "team.invite_accepted",
      targetType: "invite",
      targetId: invite.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      data: { email: invite.email, role: invite.role, userId },
    });
    return { email: invite.email, role: invite.role, clinicName: invite.clinic_name };
  });
}
