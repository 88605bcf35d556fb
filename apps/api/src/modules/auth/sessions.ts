import type { Config } from "../../config";
import type { Database, Db } from "../../db/database";
import type { Clock } from "../../lib/clock";
import { unauthenticated } from "../../lib/domain-error";
import * as q from "./queries";
import type { AuthContext } from "./session";

/** The NOTIFY channel on which every API process hears of revoked sessions (ws/live-hub.ts LISTENs on it). */
export const SESSION_REVOKED_CHANNEL = "voxanne_session_revoked";

/**
 * How long this process reuses a "the session is live" answer before asking the database again.
 * A session revoked through this process is refused at once; one revoked through another process
 * is refused here within this bound (sooner: the live feed's LISTEN connection hears the
 * revocation and drops the cached answer, see server.ts).
 */
export const SESSION_CHECK_CACHE_MS = 5_000;
const CACHE_LIMIT = 10_000;

/** Supabase Auth's longest access-token lifetime (JWT expiry limit): revocations are kept at least this long. */
const SUPABASE_MAX_ACCESS_TOKEN_SECONDS = 7 * 24 * 60 * 60;

export type SessionsRevokedNotice = { userId: string; sessionIds: string[]; reason: q.RevocationReason };

export const sessionRevoked = () =>
  unauthenticated(
    "This session has ended: it was signed out, the password was changed, or a copy of its sign-in was used elsewhere. Sign in again.",
    "session_revoked",
  );

/**
 * The server-side half of a session: access tokens are signed and short-lived, and on top of that
 * every request checks that the token's session (`session_id`) has not been revoked.
 */
export class SessionGuard {
  /** A token's verified claims, once its session is known not to be revoked (the signature is checked first: it is local and cheap). */
  async verified(claims: Promise<AuthContext>): Promise<AuthContext> {
    const auth = await claims;
    await this.assertLive(auth);
    return auth;
  }

  /** sessionId → until when (performance.now()) "live" may be reused. Not the injected clock: tests freeze that. */
  private readonly live = new Map<string, number>();
  /** Revocation is final, so "revoked" is remembered without a time limit (a stale cookie asks once). */
  private readonly revoked = new Set<string>();

  constructor(private readonly deps: { db: Database; clock: Clock; config: Pick<Config, "ACCESS_TOKEN_TTL_SECONDS"> }) {}

  /** Throws `session_revoked` when the token's session has been revoked. */
  async assertLive(auth: AuthContext): Promise<void> {
    if (this.revoked.has(auth.sessionId)) throw sessionRevoked();
    const until = this.live.get(auth.sessionId);
    if (until !== undefined && until > performance.now()) return;
    const revoked = await this.deps.db.asSystem((tx) => q.findRevokedSessions(tx, [auth.sessionId]));
    if (revoked.length > 0) {
      this.live.delete(auth.sessionId);
      if (this.revoked.size >= CACHE_LIMIT) this.revoked.clear();
      this.revoked.add(auth.sessionId);
      throw sessionRevoked();
    }
    if (this.live.size >= CACHE_LIMIT) this.live.clear();
    this.live.set(auth.sessionId, performance.now() + SESSION_CHECK_CACHE_MS);
  }

  /**
   * Records the revocation inside the caller's transaction and announces it to every API process
   * (the NOTIFY is delivered at commit). Call `forget` after the commit.
   */
  async revoke(tx: Db, input: Omit<SessionsRevokedNotice, "sessionIds"> & { sessionIds: readonly string[] }): Promise<void> {
    const sessionIds = [...new Set(input.sessionIds)];
    if (sessionIds.length === 0) return;
    const revokedAt = this.deps.clock.now();
    const keepSeconds = Math.max(this.deps.config.ACCESS_TOKEN_TTL_SECONDS, SUPABASE_MAX_ACCESS_TOKEN_SECONDS) + 60 * 60;
    await q.insertSessionRevocations(tx, {
      userId: input.userId,
      sessionIds,
      reason: input.reason,
      revokedAt,
      expiresAt: new Date(revokedAt.getTime() + keepSeconds * 1000),
    });
    // NOTIFY payloads must stay under 8000 bytes: a user with very many sessions is announced in parts.
    for (let i = 0; i < sessionIds.length; i += 100) {
      const notice: SessionsRevokedNotice = { userId: input.userId, sessionIds: sessionIds.slice(i, i + 100), reason: input.reason };
      await q.notifySessionsRevoked(tx, SESSION_REVOKED_CHANNEL, JSON.stringify(notice));
    }
  }

  /** Drops cached "live" answers for these sessions (after a revocation here, or one announced by another process). */
  forget(sessionIds: readonly string[]): void {
    for (const id of sessionIds) this.live.delete(id);
  }

  /** Revokes in a transaction of its own, then forgets. */
  async revokeNow(input: Omit<SessionsRevokedNotice, "sessionIds"> & { sessionIds: readonly string[] }): Promise<void> {
    await this.deps.db.asSystem((tx) => this.revoke(tx, input));
    this.forget(input.sessionIds);
  }
}

/** No session has this id: "keep none" for the queries that end every session but one. */
const NO_SESSION = "00000000-0000-0000-0000-000000000000";

/**
 * Ends every session of a user inside the caller's transaction (a password reset, a removal from
 * the clinic): local mode's refresh-token families and, in Supabase mode, the sessions this API
 * handed out. Returns the ended session ids; pass them to `guard.forget` after the commit.
 */
export async function endEverySession(
  tx: Db,
  deps: { guard: SessionGuard; mode: "local" | "supabase"; now: Date; accessTokenTtlSeconds: number },
  input: { userId: string; reason: q.RevocationReason },
): Promise<string[]> {
  const issuedSince = new Date(deps.now.getTime() - deps.accessTokenTtlSeconds * 1000);
  const local = deps.mode === "local" ? await q.revokeOtherFamilies(tx, input.userId, NO_SESSION, issuedSince) : [];
  const known = await q.otherKnownSessions(tx, input.userId, NO_SESSION);
  const ended = [...new Set([...local, ...known])];
  await deps.guard.revoke(tx, { userId: input.userId, sessionIds: ended, reason: input.reason });
  return ended;
}

/** Reads a revocation notice from the NOTIFY payload; anything else is ignored. */
export function parseSessionsRevoked(payload: string): SessionsRevokedNotice | null {
  try {
    const parsed = JSON.parse(payload) as Partial<SessionsRevokedNotice>;
    if (typeof parsed.userId !== "string" || !Array.isArray(parsed.sessionIds)) return null;
    return { userId: parsed.userId, sessionIds: parsed.sessionIds.filter((s): s is string => typeof s === "string"), reason: parsed.reason ?? "signed_out" };
  } catch {
    return null;
  }
}
