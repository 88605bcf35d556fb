/**
 * Your own account: name, the owner's daily-summary opt-in, and "forgot password". A reset link
 * is single use (a conditional UPDATE), expires after PASSWORD_RESET_TTL_MINUTES, and only its hash
 * is stored; using it signs out every session of the account. Supabase mode uses Supabase's own
 * reset email and recovery token instead (the same page and endpoint).
 */
import { type Account, PASSWORD_RESET_TTL_MINUTES, type UpdateAccountBody } from "@voxanne/contracts";
import type { Config } from "../../config";
import type { Database, JwtClaims } from "../../db/database";
import type { Clock } from "../../lib/clock";
import { invalid, unauthenticated } from "../../lib/domain-error";
import type { Logger } from "../../logger";
import { insertAuditEvent } from "../audit/queries";
import { resetLinkDead, type AuthProvider } from "../auth/provider";
import { endEverySession } from "../auth/sessions";
import { sendEmail } from "../email/service";
import { hashLinkToken, newLinkToken } from "../team/tokens";
import * as q from "./queries";

export type AccountDeps = { db: Database; clock: Clock; auth: AuthProvider; config: Config; logger: Logger };
type Meta = { ip?: string; userAgent?: string };

const toAccount = (r: q.AccountRow): Account => ({
  email: r.email,
  fullName: r.full_name,
  dailySummary: r.daily_summary,
  canReceiveDailySummary: r.role === "owner",
});

const gone = () => unauthenticated("This account no longer belongs to a clinic. Sign in again.");

export async function getAccount(db: Database, who: { claims: JwtClaims; userId: string }): Promise<Account> {
  const row = await db.asUser(who.claims, (tx) => q.loadAccount(tx, who.userId));
  if (!row) throw gone();
  return toAccount(row);
}

/** Changes your own name or daily-summary choice (as you, under RLS), audited. */
export async function updateAccount(
  db: Database,
  who: { claims: JwtClaims; userId: string; orgId: string; role: string },
  body: UpdateAccountBody,
  meta: Meta,
): Promise<Account> {
  if (body.dailySummary === true && who.role !== "owner") {
    throw invalid("The daily summary goes to the clinic's owners. Ask an owner to turn it on for themselves.", "owners_only");
  }
  const row = await db.asUser(who.claims, (tx) => q.updateOwnProfile(tx, who.userId, body));
  if (!row) throw gone();
  await db.asService(who.orgId, (tx) =>
    insertAuditEvent(tx, {
      orgId: who.orgId,
      actorUserId: who.userId,
      action: "account.updated",
      targetType: "user",
      targetId: who.userId,
      ip: meta.ip,
      userAgent: meta.userAgent,
      data: {
        ...(body.fullName !== undefined ? { fullName: body.fullName } : {}),
        ...(body.dailySummary !== undefined ? { dailySummary: body.dailySummary } : {}),
      },
    }),
  );
  return toAccount(row);
}

export const resetLink = (config: Pick<Config, "PUBLIC_WEB_URL">, token: string) =>
  `${config.PUBLIC_WEB_URL.replace(/\/+$/, "")}/reset-password?token=${encodeURIComponent(token)}`;

/**
 * "Forgot password": emails a reset link when the email belongs to a clinic member, and does
 * nothing otherwise. The caller answers the same either way, without waiting for this.
 */
export async function requestPasswordReset(deps: AccountDeps, email: string, meta: Meta): Promise<void> {
  if (deps.auth.sendPasswordResetEmail) {
    await deps.auth.sendPasswordResetEmail(email, `${deps.config.PUBLIC_WEB_URL.replace(/\/+$/, "")}/reset-password`);
    return;
  }
  const now = deps.clock.now();
  const { token, hash } = newLinkToken();
  const target = await deps.db.asAuthAdmin(async (tx) => {
    const found = await q.findResetTarget(tx, email);
    if (!found) return null;
    await q.insertPasswordReset(tx, {
      userId: found.user_id,
      tokenHash: hash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_MINUTES * 60_000),
    });
    await insertAuditEvent(tx, {
      orgId: found.org_id,
      actorUserId: found.user_id,
      action: "auth.password_reset_requested",
      targetType: "user",
      targetId: found.user_id,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    return found;
  });
  if (!target) return;
  const link = resetLink(deps.config, token);
  await sendEmail({ db: deps.db, config: deps.config, now: () => deps.clock.now() }, target.org_id, {
    to: target.email,
    kind: "password_reset",
    subject: "Reset your Voxanne password",
    text: [
      `Someone (hopefully you) asked to reset the password of your Voxanne account for ${target.clinic_name}.`,
      "",
      `Choose a new password: ${link}`,
      "",
      `The link works once and expires in ${PASSWORD_RESET_TTL_MINUTES} minutes. If you didn't ask for this, ignore this email: your password stays as it is.`,
    ].join("\n"),
    secrets: [link],
  });
}

/** Sets the new password with a reset link's token (once), ends every session, audits. */
export async function resetPassword(deps: AccountDeps, body: { token: string; newPassword: string }, meta: Meta): Promise<{ email: string }> {
  if (deps.auth.resetPasswordWithToken) {
    const { userId, email } = await deps.auth.resetPasswordWithToken(body.token, body.newPassword);
    const orgId = await deps.db.asSystem((tx) => q.orgOfUser(tx, userId));
    if (orgId) {
      await deps.db.asService(orgId, (tx) =>
        insertAuditEvent(tx, {
          orgId,
          actorUserId: userId,
          action: "auth.password_reset",
          targetType: "user",
          targetId: userId,
          ip: meta.ip,
          userAgent: meta.userAgent,
        }),
      );
    }
    return { email };
  }
  const now = deps.clock.now();
  const { email, ended } = await deps.db.asAuthAdmin(async (tx) => {
    const used = await q.consumePasswordReset(tx, hashLinkToken(body.token), now);
    if (!used) throw resetLinkDead();
    await deps.auth.setPassword(tx, used.user_id, body.newPassword);
    const sessions = await endEverySession(
      tx,
      { guard: deps.auth.sessions, mode: deps.auth.mode, now, accessTokenTtlSeconds: deps.config.ACCESS_TOKEN_TTL_SECONDS },
      { userId: used.user_id, reason: "password_reset" },
    );
    await insertAuditEvent(tx, {
      orgId: used.org_id,
      actorUserId: used.user_id,
      action: "auth.password_reset",
      targetType: "user",
      targetId: used.user_id,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    return { email: used.email, ended: sessions };
  });
  deps.auth.sessions.forget(ended);
  return { email };
}
