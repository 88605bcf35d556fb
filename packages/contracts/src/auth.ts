import { z } from "zod";
import { Role } from "./roles";
import { defineRoute, Ok } from "./route";
import { ClinicType, isIso4217 } from "./settings";

const Email = z
  .string({ message: "Email is required" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address, like name@clinic.com" }));

// bcrypt (local mode) and Supabase Auth both stop at 72 bytes; longer passwords would be silently truncated.
const Password = z
  .string({ message: "Password is required" })
  .min(8, { message: "Password must be at least 8 characters" })
  .max(72, { message: "Password must be at most 72 characters" })
  .refine((p) => new TextEncoder().encode(p).length <= 72, { message: "Password must be at most 72 bytes (about 72 letters)" });

function isIanaTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const SignupBody = z.object({
  email: Email,
  password: Password,
  clinicName: z
    .string({ message: "Clinic name is required" })
    .trim()
    .min(2, { message: "Clinic name must be at least 2 characters" })
    .max(120, { message: "Clinic name must be at most 120 characters" }),
  fullName: z.string().trim().max(120).optional(),
  timezone: z
    .string()
    .trim()
    .max(64)
    .refine(isIanaTimeZone, { message: "Unknown time zone — use an IANA name like America/New_York" })
    .optional()
    .describe("IANA time zone of the clinic, e.g. America/New_York"),
  clinicType: ClinicType.optional().describe("Picks the receptionist's template and the services the clinic starts with (default med_spa)"),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isIso4217, { message: "Use a three-letter ISO 4217 currency code, like USD, GBP or EUR" })
    .optional()
    .describe("ISO 4217 currency of the clinic's prices (default USD)"),
});
export type SignupBody = z.infer<typeof SignupBody>;

export const LoginBody = z.object({
  email: Email,
  password: z.string({ message: "Password is required" }).min(1, { message: "Password is required" }).max(200),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const RefreshBody = z.object({
  refreshToken: z.string().min(10).optional().describe("Bearer mode (?mode=bearer) only; browsers use the httpOnly refresh cookie"),
});

/**
 * How a session is handed over. `cookie` (default, the dashboard): httpOnly cookies only, no token
 * in any response body. `bearer` (API clients): the tokens in the body and no cookies; refresh then
 * takes the refresh token from the body, never from a cookie. See docs/SECURITY.md § Sessions.
 */
export const TokenMode = z.enum(["cookie", "bearer"]);
export const TokenModeQuery = z.object({
  mode: TokenMode.optional().describe("`bearer` for API clients: tokens in the body, no cookies (default `cookie`)"),
});

export const ChangePasswordBody = z.object({
  currentPassword: z.string({ message: "Current password is required" }).min(1, { message: "Current password is required" }).max(200),
  newPassword: Password,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

export const Me = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), fullName: z.string().nullable() }),
  organization: z.object({
    id: z.uuid(),
    name: z.string(),
    timezone: z.string(),
    status: z.string(),
    currency: z.string().optional(),
    suspendedReason: z.string().nullable().describe("Why Voxanne suspended the clinic (status suspended), else null"),
  }),
  role: Role,
  /** A Voxanne platform operator: sees the Admin page (its routes are `access: "operator"`). */
  operator: z.boolean(),
});
export type Me = z.infer<typeof Me>;

/** Returned by signup/login/refresh. The tokens themselves travel only as httpOnly cookies. */
export const AuthSession = Me.extend({
  expiresAt: z.number().int().describe("Access token expiry, seconds since epoch"),
});
export type AuthSession = z.infer<typeof AuthSession>;

/** Returned by login/refresh with `?mode=bearer`: send `Authorization: Bearer <accessToken>`. */
export const BearerSession = AuthSession.extend({
  tokenType: z.literal("bearer"),
  accessToken: z.string(),
  refreshToken: z.string().describe("Single use: POST /api/auth/refresh?mode=bearer with it in the body; a reused one ends the session"),
});
export type BearerSession = z.infer<typeof BearerSession>;

// Bearer first: a union member that matched first would strip the other's extra fields.
const SessionAnswer = z.union([BearerSession, AuthSession]);

export const authRoutes = {
  signup: defineRoute({
    method: "post",
    path: "/api/auth/signup",
    tag: "auth",
    summary: "Create a clinic organization and its owner account",
    body: SignupBody,
    response: AuthSession,
    status: 201,
    access: "public",
  }),
  login: defineRoute({
    method: "post",
    path: "/api/auth/login",
    tag: "auth",
    summary: "Sign in with email and password (session as httpOnly cookies; tokens in the body with ?mode=bearer)",
    body: LoginBody,
    query: TokenModeQuery,
    response: SessionAnswer,
    access: "public",
  }),
  logout: defineRoute({
    method: "post",
    path: "/api/auth/logout",
    tag: "auth",
    summary: "Sign out: revoke the session on the server (its access and refresh tokens stop working)",
    response: Ok,
    // Signed out already (or with an expired token) must still clear the cookies.
    access: "public",
  }),
  refresh: defineRoute({
    method: "post",
    path: "/api/auth/refresh",
    tag: "auth",
    summary: "Rotate the refresh token and issue a new access token (cookie; or body token with ?mode=bearer)",
    body: RefreshBody,
    query: TokenModeQuery,
    response: SessionAnswer,
    access: "public",
  }),
  changePassword: defineRoute({
    method: "post",
    path: "/api/auth/password",
    tag: "auth",
    summary: "Change the password; every other session of the user is signed out",
    body: ChangePasswordBody,
    response: Ok,
    access: ["owner", "admin", "staff"],
    action: "change your password",
  }),
  me: defineRoute({
    method: "get",
    path: "/api/auth/me",
    tag: "auth",
    summary: "The signed-in user, their organization and role",
    response: Me,
    access: ["owner", "admin", "staff"],
  }),
} as const;

/** The session cookies (httpOnly; set by the API, read by the dashboard's proxy to route signed-out visitors). */
export const SESSION_COOKIES = {
  access: "vox_access",
  refresh: "vox_refresh",
  /** The refresh cookie is only ever sent to the auth routes (refresh, logout). */
  refreshPath: "/api/auth",
} as const;
