import { createHash } from "node:crypto";
import { createClient, type AuthError, type Session, type SupabaseClient } from "@supabase/supabase-js";
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import WebSocket from "ws";
import type { Clock } from "../../lib/clock";
import type { Config } from "../../config";
import type { Database } from "../../db/database";
import { DomainError, invalid } from "../../lib/domain-error";
import {
  authContextFromPayload,
  currentPasswordWrong,
  emailNotConfirmed,
  emailTaken,
  resetLinkDead,
  invalidCredentials,
  invalidToken,
  refreshRejected,
  sessionExpired,
  signupRejected,
  tooManyAttempts,
  type AuthProvider,
  type IssuedSession,
  type SignUpInput,
} from "./provider";
import { AUDIENCE } from "./local-provider";
import * as q from "./queries";
import type { AuthContext } from "./session";
import { SessionGuard } from "./sessions";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Maps Supabase Auth's error codes onto the same answers local mode gives. */
function mapAuthError(error: AuthError): DomainError {
  switch (error.code) {
    case "invalid_credentials":
      return invalidCredentials();
    case "user_already_exists":
    case "email_exists":
      return signupRejected();
    case "email_not_confirmed":
      return emailNotConfirmed();
    case "weak_password":
      return invalid(`Choose a stronger password: ${error.message}`, "weak_password");
    case "email_address_invalid":
    case "validation_failed":
      return invalid(error.message, "validation_failed");
    case "refresh_token_not_found":
    case "refresh_token_already_used":
    case "session_not_found":
    case "session_expired":
      return refreshRejected();
    case "over_request_rate_limit":
    case "over_email_send_rate_limit":
      return tooManyAttempts("Too many sign-in attempts. Wait a few minutes and try again.", 60);
    default:
      if (error.status === 400 && /invalid login credentials/i.test(error.message)) return invalidCredentials();
      if (error.status && error.status >= 400 && error.status < 500) return invalid(error.message, "auth_rejected");
      return new DomainError("unavailable", "auth_unavailable", "The sign-in service is not answering right now. Try again in a moment.");
  }
}

/**
 * Supabase mode: sign-up, password sign-in, refresh and sign-out go to the project's Auth API
 * through @supabase/supabase-js; the signup trigger in our migrations creates the organization.
 * Tokens are verified locally with jose — the legacy HS256 secret when SUPABASE_JWT_SECRET is set,
 * otherwise the project's published signing keys (JWKS) — and their `session_id` is checked against
 * our revocations. Supabase revokes refresh tokens itself; the revocations make the session's access
 * tokens stop working at once too.
 */
export class SupabaseAuthProvider implements AuthProvider {
  readonly mode = "supabase" as const;
  private readonly url: string;
  private readonly anonKey: string;
  private readonly issuer: string;
  private readonly key: Uint8Array | JWTVerifyGetKey;
  readonly sessions: SessionGuard;

  constructor(private readonly deps: { config: Config; db: Database; clock: Clock; fetch?: typeof fetch }) {
    const { SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_JWT_SECRET } = deps.config;
    if (!SUPABASE_URL || !SUPABASE_ANON_KEY) {
      throw new Error("Supabase auth needs both SUPABASE_URL and SUPABASE_ANON_KEY (Project Settings → API). Unset SUPABASE_URL to use local auth.");
    }
    this.url = SUPABASE_URL.replace(/\/+$/, "");
    this.anonKey = SUPABASE_ANON_KEY;
    this.issuer = `${this.url}/auth/v1`;
    this.key = SUPABASE_JWT_SECRET ? new TextEncoder().encode(SUPABASE_JWT_SECRET) : createRemoteJWKSet(new URL(`${this.url}/auth/v1/.well-known/jwks.json`));
    this.sessions = new SessionGuard(deps);
  }

  /** A fresh, stateless client per call: the backend never keeps a user's session in memory. */
  private client(): SupabaseClient {
    return createClient(this.url, this.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      // Never connected (auth only), but supabase-js builds its realtime client eagerly and Node 20 has no global WebSocket.
      realtime: { transport: WebSocket as never },
      ...(this.deps.fetch ? { global: { fetch: this.deps.fetch } } : {}),
    });
  }

  private async toIssued(session: Session | null): Promise<IssuedSession> {
    if (!session) throw emailNotConfirmed();
    const auth = await this.verifySignature(session.access_token);
    const expiresAt = session.expires_at ?? Number(auth.claims.exp);
    // Remember which session this refresh token belongs to: its reuse then names the session to revoke.
    const now = this.deps.clock.now();
    await this.deps.db.asSystem((tx) =>
      q.rememberRefreshToken(tx, {
        tokenHash: hashToken(session.refresh_token),
        sessionId: auth.sessionId,
        userId: auth.userId,
        expiresAt: new Date(now.getTime() + this.deps.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
        now,
      }),
    );
    return { accessToken: session.access_token, refreshToken: session.refresh_token, expiresAt, auth };
  }

  async signUp(input: SignUpInput): Promise<IssuedSession> {
    const { data, error } = await this.client().auth.signUp({
      email: input.email,
      password: input.password,
      options: {
        data: {
          clinic_name: input.clinicName,
          ...(input.fullName ? { full_name: input.fullName } : {}),
          ...(input.timezone ? { timezone: input.timezone } : {}),
          ...(input.clinicType ? { clinic_type: input.clinicType } : {}),
          ...(input.currency ? { currency: input.currency } : {}),
        },
      },
    });
    if (error) throw mapAuthError(error);
    // With email confirmation on, Supabase answers a repeated sign-up with an identity-less user, so
    // as not to reveal that the email is registered; we answer it exactly like a fresh sign-up.
    if (!data.session || (data.user && data.user.identities?.length === 0)) throw emailConfirmationPending();
    // The token was minted before the signup trigger stamped app_metadata.org_id; one refresh picks it up.
    return this.refresh(data.session.refresh_token);
  }

  async signIn(email: string, password: string): Promise<IssuedSession> {
    const { data, error } = await this.client().auth.signInWithPassword({ email, password });
    if (error) throw mapAuthError(error);
    return this.toIssued(data.session);
  }

  async refresh(refreshToken: string): Promise<IssuedSession> {
    const { data, error } = await this.client().auth.refreshSession({ refresh_token: refreshToken });
    if (error) {
      // Supabase revoked the token family itself; revoke the session's access tokens as well.
      if (error.code === "refresh_token_already_used") {
        const known = await this.deps.db.asSystem((tx) => q.sessionOfRefreshToken(tx, hashToken(refreshToken)));
        if (known) await this.sessions.revokeNow({ userId: known.userId, sessionIds: [known.sessionId], reason: "refresh_token_reused" });
      }
      throw mapAuthError(error);
    }
    return this.toIssued(data.session);
  }

  async signOut(tokens: { accessToken?: string; refreshToken?: string }): Promise<void> {
    let jwt = tokens.accessToken;
    let auth = jwt ? await this.verifySignature(jwt).catch(() => null) : null;
    if (!auth) jwt = undefined;
    if (!jwt && tokens.refreshToken) {
      // An expired access token cannot call /logout; trade the refresh token for a fresh one first.
      const fresh = await this.refresh(tokens.refreshToken).catch(() => null);
      jwt = fresh?.accessToken;
      auth = fresh?.auth ?? null;
    }
    if (!jwt || !auth) return;
    await this.sessions.revokeNow({ userId: auth.userId, sessionIds: [auth.sessionId], reason: "signed_out" });
    // /logout with the user's own JWT (no service key needed); "local" ends this session only.
    const { error } = await this.client().auth.admin.signOut(jwt, "local");
    // 401/403/404: the session is already gone, which is what the caller wants.
    if (error && !(error.status && error.status >= 400 && error.status < 500)) throw mapAuthError(error);
  }

  /**
   * Proves the current password with a sign-in of its own, sets the new one with supabase-js
   * `updateUser` on that session, then ends every session but the caller's: at Supabase
   * (`/logout?scope=others`, which also ends the proving session) and in our revocations.
   */
  async changePassword(input: { auth: AuthContext; accessToken: string; currentPassword: string; newPassword: string }): Promise<void> {
    const { auth } = input;
    const email = auth.claims.email;
    if (typeof email !== "string" || !email) throw currentPasswordWrong();
    const client = this.client();
    const proof = await client.auth.signInWithPassword({ email, password: input.currentPassword });
    if (proof.error) throw proof.error.code === "invalid_credentials" ? currentPasswordWrong() : mapAuthError(proof.error);
    const proving = proof.data.session ? await this.verifySignature(proof.data.session.access_token).catch(() => null) : null;
    const updated = await client.auth.updateUser({ password: input.newPassword });
    if (updated.error) throw mapAuthError(updated.error);
    const { error } = await this.client().auth.admin.signOut(input.accessToken, "others");
    if (error && !(error.status && error.status >= 400 && error.status < 500)) throw mapAuthError(error);
    const others = await this.deps.db.asSystem((tx) => q.otherKnownSessions(tx, auth.userId, auth.sessionId));
    const ended = [...others, ...(proving && proving.sessionId !== auth.sessionId ? [proving.sessionId] : [])];
    await this.sessions.revokeNow({ userId: auth.userId, sessionIds: ended, reason: "password_changed" });
  }

  /** The service-role client for the admin API (creating invited members); only with SUPABASE_SERVICE_ROLE_KEY. */
  private admin(): SupabaseClient {
    const key = this.deps.config.SUPABASE_SERVICE_ROLE_KEY;
    if (!key) {
      throw new DomainError(
        "unavailable",
        "supabase_service_key_missing",
        "Accepting invites with Supabase Auth needs SUPABASE_SERVICE_ROLE_KEY on the server (Supabase → Project Settings → API). Ask whoever runs your Voxanne server to set it.",
      );
    }
    return createClient(this.url, key, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
      ...(this.deps.fetch ? { global: { fetch: this.deps.fetch } } : {}),
    });
  }

  /** An accepted invite: Supabase's admin API creates the confirmed user with the org in app_metadata, so the signup trigger joins it. */
  async createMember(input: { email: string; password: string; fullName?: string; orgId: string; role: "owner" | "admin" | "staff" }) {
    const { data, error } = await this.admin().auth.admin.createUser({
      email: input.email,
      password: input.password,
      email_confirm: true,
      app_metadata: { org_id: input.orgId, role: input.role },
      user_metadata: input.fullName ? { full_name: input.fullName } : {},
    });
    if (error) throw error.code === "email_exists" || error.code === "user_already_exists" ? emailTaken() : mapAuthError(error);
    return { userId: data.user.id };
  }

  async setPassword(): Promise<void> {
    throw invalid("With Supabase Auth, passwords are reset through the link in Supabase's reset email.", "reset_through_supabase");
  }

  async sendPasswordResetEmail(email: string, redirectTo: string): Promise<void> {
    const { error } = await this.client().auth.resetPasswordForEmail(email, { redirectTo });
    // Whether the email exists is never revealed; only an outage is worth an error.
    if (error && !(error.status && error.status >= 400 && error.status < 500)) throw mapAuthError(error);
  }

  async resetPasswordWithToken(tokenHash: string, newPassword: string): Promise<{ userId: string; email: string }> {
    const client = this.client();
    const verified = await client.auth.verifyOtp({ type: "recovery", token_hash: tokenHash });
    if (verified.error || !verified.data.session || !verified.data.user) throw resetLinkDead();
    const updated = await client.auth.updateUser({ password: newPassword });
    if (updated.error) throw mapAuthError(updated.error);
    const userId = verified.data.user.id;
    // Every session ends: at Supabase (scope global) and in our revocations.
    await this.client().auth.admin.signOut(verified.data.session.access_token, "global");
    const known = await this.deps.db.asSystem((tx) => q.otherKnownSessions(tx, userId, "00000000-0000-0000-0000-000000000000"));
    await this.sessions.revokeNow({ userId, sessionIds: known, reason: "password_reset" });
    return { userId, email: verified.data.user.email ?? "" };
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
      const options = { audience: AUDIENCE, issuer: this.issuer, currentDate: this.deps.clock.now() };
      ({ payload } =
        this.key instanceof Uint8Array
          ? await jwtVerify(token, this.key, { ...options, algorithms: ["HS256"] })
          : await jwtVerify(token, this.key, { ...options, algorithms: ["ES256", "RS256", "EdDSA"] }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw sessionExpired();
      throw invalidToken();
    }
    return authContextFromPayload(payload);
  }
}

function emailConfirmationPending(): DomainError {
  return emailNotConfirmed("Account created. Confirm your email address with the link we sent you, then sign in to finish setting up your clinic.");
}
