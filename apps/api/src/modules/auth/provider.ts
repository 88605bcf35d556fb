import { ROLES } from "@voxanne/contracts";
import type { JWTPayload } from "jose";
import { z } from "zod";
import type { Db, JwtClaims } from "../../db/database";
import { DomainError, unauthenticated, conflict, forbidden, invalid } from "../../lib/domain-error";
import type { AuthContext } from "./session";
import type { SessionGuard } from "./sessions";

/** What sign-up asks the identity provider to create; the signup trigger turns the metadata into an org. */
export type SignUpInput = {
  email: string;
  password: string;
  clinicName: string;
  fullName?: string;
  timezone?: string;
  /** Picks the services template the clinic starts with (the signup trigger, migration 20261212000100). */
  clinicType?: string;
  /** ISO 4217 code of the clinic's prices. */
  currency?: string;
};

/** A session as issued by either provider, with the verified claims of its access token. */
export type IssuedSession = {
  accessToken: string;
  refreshToken: string;
  /** Access token expiry, seconds since epoch. */
  expiresAt: number;
  auth: AuthContext;
};

/**
 * The one interface the routes use. Local mode stands in for Supabase Auth (bcrypt + HS256 JWTs in
 * our own database); Supabase mode calls the project's Auth API. Both issue tokens with Supabase's
 * claim shape, so RLS and the rest of the backend cannot tell them apart.
 */
export interface AuthProvider {
  readonly mode: "local" | "supabase";
  /** The server-side session check and revocation (both modes). */
  readonly sessions: SessionGuard;
  signUp(input: SignUpInput): Promise<IssuedSession>;
  signIn(email: string, password: string): Promise<IssuedSession>;
  /** Rotates the refresh token: the old one stops working. */
  refresh(refreshToken: string): Promise<IssuedSession>;
  /** Ends the session the tokens belong to, on the server too. Unknown or already revoked tokens are not an error. */
  signOut(tokens: { accessToken?: string; refreshToken?: string }): Promise<void>;
  /**
   * Checks the current password, sets the new one and revokes every other session of the user
   * (the calling session goes on).
   */
  changePassword(input: { auth: AuthContext; accessToken: string; currentPassword: string; newPassword: string }): Promise<void>;
  /** Verifies the signature, expiry and claims, and that the token's session has not been revoked. */
  verifyAccessToken(token: string): Promise<AuthContext>;
  /** Drops this process's cached "live" answers for sessions another process revoked (ws/live-hub.ts hears of them). */
  sessionsRevoked(sessionIds: readonly string[]): void;
  /**
   * Adds a user to an existing organization with a role (demo seed, accepted team invites). Local
   * mode inserts into auth.users (inside `tx` when given); Supabase mode uses the admin API and needs
   * SUPABASE_SERVICE_ROLE_KEY. The signup trigger creates the profile from app_metadata.org_id.
   */
  createMember(
    input: { email: string; password: string; fullName?: string; orgId: string; role: "owner" | "admin" | "staff" },
    tx?: Db,
  ): Promise<{ userId: string }>;
  /** Sets a user's password without the current one (a verified reset link); local mode, inside `tx`. */
  setPassword(tx: Db, userId: string, newPassword: string): Promise<void>;
  /** Supabase mode: Supabase's own reset email (its template links to `redirectTo?token={{ .TokenHash }}`). */
  sendPasswordResetEmail?(email: string, redirectTo: string): Promise<void>;
  /** Supabase mode: verifies the recovery token (single use, at Supabase), sets the password, ends every session. */
  resetPasswordWithToken?(tokenHash: string, newPassword: string): Promise<{ userId: string; email: string }>;
}

// Errors -------------------------------------------------------------------------------------------
// Unknown email and wrong password share one message so sign-in does not reveal who has an account.
export const invalidCredentials = () => unauthenticated("Incorrect email or password.", "invalid_credentials");
/** Adding a member (an owner's invite, the demo seed) may say so plainly; public sign-up may not. */
export const emailTaken = () => conflict("An account with this email already exists.", "email_taken");
// Sign-up never says whether an email is registered (docs/SECURITY.md § Sign-up): a taken email
// gets the same answer as any other account that cannot be created with these details.
export const signupRejected = () =>
  conflict(
    "We couldn't create an account with these details. If you already have a Voxanne account, sign in instead; otherwise use a different email address.",
    "signup_failed",
  );
/** A reset link that is unknown, expired or already used: one answer for all three. */
export const resetLinkDead = () =>
  invalid("This password reset link is no longer valid: it has expired or was already used. Ask for a new one from the sign-in page.", "reset_link_invalid");
export const currentPasswordWrong = () =>
  invalid("The current password is not correct. Type it again, or sign out and reset it.", "current_password_incorrect");
export const refreshRejected = () =>
  unauthenticated("Your session has ended (the refresh token is invalid, expired or already used). Sign in again.", "invalid_refresh_token");
export const sessionExpired = () => unauthenticated("Your session has expired. Refresh it with POST /api/auth/refresh or sign in again.", "session_expired");
export const invalidToken = () => unauthenticated("The access token is not valid. Sign in again.", "invalid_token");
export const noOrganization = () =>
  unauthenticated(
    "This access token carries no organization (app_metadata.org_id), so it cannot be used for clinic data. Sign in again to get a fresh token; if it persists, ask your clinic owner to re-invite you.",
    "no_organization",
  );
export const emailNotConfirmed = (message = "Confirm your email address with the link we sent you, then sign in.") => forbidden(message, "email_not_confirmed");
export const accountSuspended = () => forbidden("This account is suspended. Ask your clinic owner or Voxanne support to restore it.", "account_suspended");
export const tooManyAttempts = (message: string, retryAfterSeconds: number) => new DomainError("rate_limited", "rate_limited", message, retryAfterSeconds);

const Uuid = z.uuid();

/**
 * Turns a verified JWT payload into the request's auth context. The signature and expiry are
 * already checked; this checks the Supabase claim shape, and that the token names an org.
 */
export function authContextFromPayload(payload: JWTPayload): AuthContext {
  if (payload.role !== "authenticated" || !Uuid.safeParse(payload.sub).success) throw invalidToken();
  const appMetadata = (payload.app_metadata ?? {}) as Record<string, unknown>;
  const orgId = appMetadata.org_id;
  if (typeof orgId !== "string" || !Uuid.safeParse(orgId).success) throw noOrganization();
  const claimedRole = appMetadata.role;
  // A missing or unknown role gets the least privilege.
  const role = (ROLES as readonly unknown[]).includes(claimedRole) ? (claimedRole as AuthContext["role"]) : "staff";
  // Only a literal true makes an operator: app_metadata is written by the server, never by users.
  const operator = appMetadata.operator === true;
  // Every session is revocable, so a token must name its session (Supabase's tokens always do).
  const sessionId = payload.session_id;
  if (typeof sessionId !== "string" || !Uuid.safeParse(sessionId).success) throw invalidToken();
  return { claims: payload as unknown as JwtClaims, userId: payload.sub!, orgId, role, operator, sessionId };
}
