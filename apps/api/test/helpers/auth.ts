import { randomBytes } from "node:crypto";
import type { AuthSession, SignupBody } from "@voxanne/contracts";
import type { Clock } from "../../src/app";
import type { Config } from "../../src/config";
import type { Database, JwtClaims } from "../../src/db/database";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../../src/http/session-cookies";
import { LocalAuthProvider } from "../../src/modules/auth/local-provider";
import type { IssuedSession } from "../../src/modules/auth/provider";
import { TEST_ORIGIN } from "./app";
import type { TestHttp } from "./http";

/**
 * Users for tests. `signUpClinic` / `addTeamMember` go through the real local auth provider (the
 * same code as POST /api/auth/signup, with the signup trigger creating org + profile) but skip
 * HTTP and its rate limits; their tokens are accepted by any app built on the same db + config.
 * `signUpOverHttp` drives the real endpoint and returns the session cookies.
 */

export const TEST_PASSWORD = "correct horse battery staple";

export type TestUser = {
  email: string;
  password: string;
  userId: string;
  orgId: string;
  role: "owner" | "admin" | "staff";
  /** Verified claims of the access token: pass to `db.asUser(user.claims, …)` to act as this user under RLS. */
  claims: JwtClaims;
  accessToken: string;
  refreshToken: string;
  /** `{ authorization: "Bearer …" }` for HTTP requests as this user. */
  bearer: { authorization: string };
};

/** Anything with the app's database and config: a TestApp, or { db, config } from createTestDatabase + testConfig(). */
export type AuthTarget = { db: Database; config: Config; deps?: { clock?: Clock } };

export const uniqueEmail = (prefix = "user") => `${prefix}-${randomBytes(5).toString("hex")}@example.com`;

function provider(target: AuthTarget): LocalAuthProvider {
  return new LocalAuthProvider({ db: target.db, config: target.config, clock: target.deps?.clock ?? { now: () => new Date() } });
}

function toUser(session: IssuedSession, email: string, password: string): TestUser {
  return {
    email,
    password,
    userId: session.auth.userId,
    orgId: session.auth.orgId,
    role: session.auth.role,
    claims: session.auth.claims,
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    bearer: { authorization: `Bearer ${session.accessToken}` },
  };
}

/** A new clinic: organization + owner profile, signed in. */
export async function signUpClinic(
  target: AuthTarget,
  options: { email?: string; password?: string; clinicName?: string; fullName?: string; timezone?: string } = {},
): Promise<TestUser> {
  const email = options.email ?? uniqueEmail("owner");
  const password = options.password ?? TEST_PASSWORD;
  const session = await provider(target).signUp({
    email,
    password,
    clinicName: options.clinicName ?? `Clinic ${randomBytes(3).toString("hex")}`,
    fullName: options.fullName,
    timezone: options.timezone,
  });
  return toUser(session, email, password);
}

/** A user who joins an existing org with a role (as an invite would), signed in. */
export async function addTeamMember(
  target: AuthTarget,
  orgId: string,
  options: { role?: "owner" | "admin" | "staff"; email?: string; password?: string; fullName?: string } = {},
): Promise<TestUser> {
  const email = options.email ?? uniqueEmail(options.role ?? "staff");
  const password = options.password ?? TEST_PASSWORD;
  const p = provider(target);
  await p.createMember({ email, password, orgId, role: options.role ?? "staff", fullName: options.fullName });
  return toUser(await p.signIn(email, password), email, password);
}

export async function signInUser(target: AuthTarget, email: string, password = TEST_PASSWORD): Promise<TestUser> {
  return toUser(await provider(target).signIn(email, password), email, password);
}

// HTTP ------------------------------------------------------------------------------------------

export type SetCookie = { value: string; attributes: Record<string, string | true> };

/** Set-Cookie headers by cookie name, with their attributes (lower-cased names). */
export function parseSetCookies(headers: Headers): Record<string, SetCookie> {
  const out: Record<string, SetCookie> = {};
  for (const line of headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(";").map((s) => s.trim());
    const eq = pair!.indexOf("=");
    const attributes: Record<string, string | true> = {};
    for (const a of attrs) {
      const i = a.indexOf("=");
      if (i < 0) attributes[a.toLowerCase()] = true;
      else attributes[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
    }
    out[pair!.slice(0, eq)] = { value: decodeURIComponent(pair!.slice(eq + 1)), attributes };
  }
  return out;
}

/** What a browser on the dashboard sends: the session cookies and the dashboard's Origin. */
export function browserHeaders(cookies: { access?: string; refresh?: string }, origin: string | null = TEST_ORIGIN): Record<string, string> {
  const parts = [];
  if (cookies.access) parts.push(`${ACCESS_COOKIE}=${cookies.access}`);
  if (cookies.refresh) parts.push(`${REFRESH_COOKIE}=${cookies.refresh}`);
  return { ...(parts.length ? { cookie: parts.join("; ") } : {}), ...(origin ? { origin } : {}) };
}

export type HttpSignup = {
  status: number;
  body: AuthSession;
  cookies: { access: string; refresh: string };
  email: string;
  password: string;
};

/** POST /api/auth/signup like the dashboard does; expects 201. */
export async function signUpOverHttp(http: TestHttp, body: Partial<SignupBody> = {}): Promise<HttpSignup> {
  const email = body.email ?? uniqueEmail("owner");
  const password = body.password ?? TEST_PASSWORD;
  const res = await http.request<AuthSession>("POST", "/api/auth/signup", {
    body: { clinicName: "Test Clinic", ...body, email, password },
    headers: { origin: TEST_ORIGIN },
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  const set = parseSetCookies(res.headers);
  return { status: res.status, body: res.body, cookies: { access: set[ACCESS_COOKIE]!.value, refresh: set[REFRESH_COOKIE]!.value }, email, password };
}
