import { isIP } from "node:net";
import type { AuthSession, BearerSession, ChangePasswordBody, LoginBody, Me, SignupBody } from "@voxanne/contracts";
import type { Database } from "../../db/database";
import { unauthenticated } from "../../lib/domain-error";
import type { AuthContext } from "./session";
import type { Logger } from "../../logger";
import type { AuthProvider, IssuedSession } from "./provider";
import * as q from "./queries";

/** Who made the request, for the audit trail. */
export type RequestMeta = { ip?: string; userAgent?: string };

type AuditAction = "auth.signup" | "auth.login" | "auth.logout" | "auth.password_changed";

/** What a sign-in answers: the session for the cookies, and the body (tokens only in bearer mode). */
export type SessionResult = { session: IssuedSession; body: AuthSession };

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(deps: { db: Database; provider: AuthProvider; logger: Logger }) {
  const { db, provider, logger } = deps;

  /**
   * Loads the user, org and role as the user (RLS decides), then optionally records an audit event.
   * The audit trail is server-written (members cannot insert into audit_events), so the event is
   * written as the service role for the org the user's own row named.
   */
  async function describe(auth: AuthContext, audit?: { action: AuditAction; meta: RequestMeta }): Promise<Me> {
    const row = await db.asUser(auth.claims, (tx) => q.loadMe(tx, auth.userId));
    if (!row) throw unauthenticated("This account no longer belongs to the organization in its session. Sign in again.");
    if (audit) {
      await db.asService(row.org_id, (tx) =>
        q.insertAuditEvent(tx, {
          orgId: row.org_id,
          actorUserId: row.user_id,
          action: audit.action,
          ip: audit.meta.ip && isIP(audit.meta.ip) ? audit.meta.ip : undefined,
          userAgent: audit.meta.userAgent,
        }),
      );
    }
    return {
      user: { id: row.user_id, email: row.email, fullName: row.full_name },
      organization: {
        id: row.org_id,
        name: row.org_name,
        timezone: row.timezone,
        currency: row.currency,
        status: row.status,
        suspendedReason: row.suspended_reason,
      },
      role: row.role,
      operator: row.is_operator,
    };
  }

  const toSession = (me: Me, s: IssuedSession): AuthSession => ({ ...me, expiresAt: s.expiresAt });

  return {
    provider,

    async signUp(body: SignupBody, meta: RequestMeta): Promise<SessionResult> {
      const session = await provider.signUp(body);
      const me = await describe(session.auth, { action: "auth.signup", meta });
      logger.info({ userId: me.user.id, orgId: me.organization.id }, "clinic signed up");
      return { session, body: toSession(me, session) };
    },

    async signIn(body: LoginBody, meta: RequestMeta): Promise<SessionResult> {
      const session = await provider.signIn(body.email, body.password);
      const me = await describe(session.auth, { action: "auth.login", meta });
      return { session, body: toSession(me, session) };
    },

    async refresh(refreshToken: string): Promise<SessionResult> {
      const session = await provider.refresh(refreshToken);
      return { session, body: toSession(await describe(session.auth), session) };
    },

    async signOut(tokens: { accessToken?: string; refreshToken?: string }, auth: AuthContext | undefined, meta: RequestMeta) {
      await provider.signOut(tokens);
      if (auth) await describe(auth, { action: "auth.logout", meta }).catch(() => undefined);
    },

    /** Sets a new password and signs out every other session of the user; audited. */
    async changePassword(auth: AuthContext, accessToken: string, body: ChangePasswordBody, meta: RequestMeta): Promise<void> {
      await provider.changePassword({ auth, accessToken, currentPassword: body.currentPassword, newPassword: body.newPassword });
      await describe(auth, { action: "auth.password_changed", meta });
      logger.info({ userId: auth.userId }, "password changed; other sessions revoked");
    },

    me: (auth: AuthContext) => describe(auth),
  };
}

/** Bearer mode (API clients): the same answer with the tokens in the body. */
export function withBearerTokens(result: SessionResult): BearerSession {
  return { ...result.body, tokenType: "bearer", accessToken: result.session.accessToken, refreshToken: result.session.refreshToken };
}
