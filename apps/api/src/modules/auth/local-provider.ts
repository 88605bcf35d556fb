import { createHash, randomBytes, randomUUID } from "node:crypto";
import bcrypt from "bcrypt";
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import type { Clock } from "../../lib/clock";
import type { Config } from "../../config";
import type { Database, Db } from "../../db/database";
import { invalid } from "../../lib/domain-error";
import {
  accountSuspended,
  authContextFromPayload,
  currentPasswordWrong,
  emailTaken,
  invalidCredentials,
  invalidToken,
  refreshRejected,
  sessionExpired,
  signupRejected,
  type AuthProvider,
  type IssuedSession,
  type SignUpInput,
} from "./provider";
import * as q from "./queries";
import type { AuthContext } from "./session";
import { SessionGuard } from "./sessions";

/** `iss` of locally issued tokens; verification rejects tokens from anywhere else. */
export const LOCAL_ISSUER = "voxanne-local-auth";
export const AUDIENCE = "authenticated";

export const hashRefreshToken = (token: string) => createHash("sha256").update(token).digest("hex");

function pgError(err: unknown): { code?: string; table?: string; constraint?: string } {
  return (err ?? {}) as { code?: string; table?: string; constraint?: string };
}

/** How long a just-rotated refresh token may be retried (Supabase Auth's reuse interval is 10 s too). */
export const REFRESH_REUSE_WINDOW_MS = 10_000;
/**
 * Local mode: what Supabase Auth (GoTrue) does, against our own database. Passwords are bcrypt
 * hashes in auth.users.encrypted_password; access tokens are HS256 JWTs with Supabase's claims;
 * refresh tokens are random, stored as SHA-256 hashes, rotated on every use, and a rotated token
 * presented again revokes its whole session (family) — someone else has a copy of it. The family id
 * is the access token's `session_id`; a revoked session's access tokens are refused too.
 */
export class LocalAuthProvider implements AuthProvider {
  readonly mode = "local" as const;
  private readonly key: Uint8Array;
  private dummyHash: Promise<string> | null = null;
  readonly sessions: SessionGuard;

  constructor(private readonly deps: { db: Database; config: Config; clock: Clock }) {
    this.key = new TextEncoder().encode(deps.config.jwtSecret);
    this.sessions = new SessionGuard(deps);
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  /** A hash of nothing in particular, so an unknown email costs the same bcrypt work as a wrong password. */
  private dummy(): Promise<string> {
    this.dummyHash ??= bcrypt.hash(randomBytes(16).toString("hex"), this.deps.config.BCRYPT_ROUNDS);
    return this.dummyHash;
  }

  async signUp(input: SignUpInput): Promise<IssuedSession> {
    const passwordHash = await bcrypt.hash(input.password, this.deps.config.BCRYPT_ROUNDS);
    try {
      return await this.deps.db.asAuthAdmin(async (db) => {
        const userId = await q.insertAuthUser(db, {
          email: input.email,
          passwordHash,
          appMetadata: { provider: "email", providers: ["email"] },
          userMetadata: {
            clinic_name: input.clinicName,
            ...(input.fullName ? { full_name: input.fullName } : {}),
            ...(input.timezone ? { timezone: input.timezone } : {}),
            ...(input.clinicType ? { clinic_type: input.clinicType } : {}),
            ...(input.currency ? { currency: input.currency } : {}),
          },
        });
        // Re-read: the signup trigger stamped org_id and role into raw_app_meta_data after the insert.
        const user = (await q.findAuthUserById(db, userId))!;
        await q.recordSignIn(db, userId, this.now());
        return this.issueSession(db, user, randomUUID());
      });
    } catch (err) {
      const e = pgError(err);
      if (e.code === "23505" && e.table === "users") throw signupRejected();
      if (e.code === "23514" && e.table === "organizations") {
        throw invalid("The clinic details were rejected: check the clinic name (2–120 characters) and the time zone (an IANA name like America/New_York).");
      }
      throw err;
    }
  }

  async createMember(input: { email: string; password: string; fullName?: string; orgId: string; role: "owner" | "admin" | "staff" }, tx?: Db) {
    const passwordHash = await bcrypt.hash(input.password, this.deps.config.BCRYPT_ROUNDS);
    const insert = async (db: Db) => ({
      userId: await q.insertAuthUser(db, {
        email: input.email,
        passwordHash,
        appMetadata: { provider: "email", providers: ["email"], org_id: input.orgId, role: input.role },
        userMetadata: input.fullName ? { full_name: input.fullName } : {},
      }),
    });
    try {
      return await (tx ? insert(tx) : this.deps.db.asAuthAdmin(insert));
    } catch (err) {
      if (pgError(err).code === "23505" && pgError(err).table === "users") throw emailTaken();
      throw err;
    }
  }

  async setPassword(tx: Db, userId: string, newPassword: string): Promise<void> {
    const passwordHash = await bcrypt.hash(newPassword, this.deps.config.BCRYPT_ROUNDS);
    await q.updatePasswordHash(tx, userId, passwordHash, this.now());
  }

  async signIn(email: string, password: string): Promise<IssuedSession> {
    const user = await this.deps.db.asAuthAdmin((db) => q.findAuthUserByEmail(db, email));
    const hash = user?.encrypted_password ?? (await this.dummy());
    const matches = await bcrypt.compare(password, hash);
    if (!user?.encrypted_password || !matches) throw invalidCredentials();
    // Only said after the password matched, so it reveals nothing to a guesser.
    if (user.banned_until && user.banned_until > this.now()) {
      throw accountSuspended();
    }
    return this.deps.db.asAuthAdmin(async (db) => {
      await q.recordSignIn(db, user.id, this.now());
      return this.issueSession(db, user, randomUUID());
    });
  }

  async refresh(refreshToken: string): Promise<IssuedSession> {
    const now = this.now();
    // The revocation of a reused family must commit even though the caller gets an error, so the
    // transaction returns an outcome and the error is thrown after it.
    const outcome = await this.deps.db.asAuthAdmin(async (db): Promise<IssuedSession | { rejected: string | null }> => {
      const token = await q.lockRefreshToken(db, hashRefreshToken(refreshToken));
      if (!token) return { rejected: null };
      // A browser that lost the answer to a rotation (the page navigated away mid-request) retries
      // with the token just rotated. Within a few seconds, and while its session is still live, that
      // is the same client: rotate again. Later, or for a revoked session, it is reuse (theft).
      if (token.revoked && token.rotated_at && now.getTime() - token.rotated_at.getTime() <= REFRESH_REUSE_WINDOW_MS) {
        const user = await q.findAuthUserById(db, token.user_id);
        if (user && !(user.banned_until && user.banned_until > now) && (await q.rotateActiveTokens(db, token.family_id, now))) {
          return this.issueSession(db, user, token.family_id);
        }
      }
      if (token.revoked) {
        await q.revokeFamily(db, token.family_id);
        await this.sessions.revoke(db, { userId: token.user_id, sessionIds: [token.family_id], reason: "refresh_token_reused" });
        return { rejected: token.family_id };
      }
      if (token.expires_at <= now) return { rejected: null };
      const user = await q.findAuthUserById(db, token.user_id);
      if (!user || (user.banned_until && user.banned_until > now)) {
        await q.revokeFamily(db, token.family_id);
        if (user) await this.sessions.revoke(db, { userId: user.id, sessionIds: [token.family_id], reason: "account_suspended" });
        return { rejected: token.family_id };
      }
      await q.revokeRefreshToken(db, token.id, now);
      return this.issueSession(db, user, token.family_id);
    });
    if ("rejected" in outcome) {
      if (outcome.rejected) this.sessions.forget([outcome.rejected]);
      throw refreshRejected();
    }
    return outcome;
  }

  async signOut(tokens: { accessToken?: string; refreshToken?: string }): Promise<void> {
    let session = tokens.refreshToken ? await this.deps.db.asAuthAdmin((db) => q.familyOfToken(db, hashRefreshToken(tokens.refreshToken!))) : null;
    if (!session && tokens.accessToken) {
      // Signature and expiry only: signing out an already revoked session is not an error.
      const auth = await this.verifySignature(tokens.accessToken).catch(() => null);
      if (auth) session = { familyId: auth.sessionId, userId: auth.userId };
    }
    if (!session) return;
    const { familyId, userId } = session;
    await this.deps.db.asAuthAdmin(async (db) => {
      await q.revokeFamily(db, familyId);
      await this.sessions.revoke(db, { userId, sessionIds: [familyId], reason: "signed_out" });
    });
    this.sessions.forget([familyId]);
  }

  async changePassword(input: { auth: AuthContext; currentPassword: string; newPassword: string }): Promise<void> {
    const { auth } = input;
    const user = await this.deps.db.asAuthAdmin((db) => q.findAuthUserById(db, auth.userId));
    const matches = user?.encrypted_password ? await bcrypt.compare(input.currentPassword, user.encrypted_password) : false;
    if (!user || !matches) throw currentPasswordWrong();
    const passwordHash = await bcrypt.hash(input.newPassword, this.deps.config.BCRYPT_ROUNDS);
    const now = this.now();
    // The oldest moment an access token that is still valid can have been minted.
    const issuedSince = new Date(now.getTime() - this.deps.config.ACCESS_TOKEN_TTL_SECONDS * 1000);
    const ended = await this.deps.db.asAuthAdmin(async (db) => {
      await q.updatePasswordHash(db, user.id, passwordHash, now);
      const others = await q.revokeOtherFamilies(db, user.id, auth.sessionId, issuedSince);
      await this.sessions.revoke(db, { userId: user.id, sessionIds: others, reason: "password_changed" });
      return others;
    });
    this.sessions.forget(ended);
  }

  sessionsRevoked(sessionIds: readonly string[]): void {
    this.sessions.forget(sessionIds);
  }

  verifyAccessToken(token: string): Promise<AuthContext> {
    return this.sessions.verified(this.verifySignature(token));
  }

  /** Signature, issuer, audience, expiry and claim shape; not whether the session was revoked. */
  private async verifySignature(token: string): Promise<AuthContext> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ["HS256"],
        audience: AUDIENCE,
        issuer: LOCAL_ISSUER,
        currentDate: this.now(),
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw sessionExpired();
      throw invalidToken();
    }
    return authContextFromPayload(payload);
  }

  /** Mints an access token with Supabase's claim shape and a new refresh token in the session's family. */
  private async issueSession(db: Db, user: q.AuthUserRow, familyId: string): Promise<IssuedSession> {
    const now = this.now();
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.deps.config.ACCESS_TOKEN_TTL_SECONDS;
    const appMetadata = user.raw_app_meta_data ?? {};
    const accessToken = await new SignJWT({
      email: user.email,
      phone: "",
      app_metadata: appMetadata,
      user_metadata: user.raw_user_meta_data ?? {},
      role: "authenticated",
      aal: "aal1",
      amr: [{ method: "password", timestamp: iat }],
      session_id: familyId,
      is_anonymous: false,
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(LOCAL_ISSUER)
      .setSubject(user.id)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);

    const refreshToken = randomBytes(32).toString("base64url");
    await q.insertRefreshToken(db, {
      tokenHash: hashRefreshToken(refreshToken),
      userId: user.id,
      familyId,
      expiresAt: new Date(now.getTime() + this.deps.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
    });
    // A session being issued is live by definition: no revocation lookup.
    return { accessToken, refreshToken, expiresAt: exp, auth: await this.verifySignature(accessToken) };
  }
}
