import { randomUUID } from "node:crypto";
import { decodeJwt, SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../src/http/session-cookies";
import { LOCAL_ISSUER } from "../src/modules/auth/local-provider";
import { SESSION_CHECK_CACHE_MS } from "../src/modules/auth/sessions";
import { createTestApp, TEST_ORIGIN, type TestApp } from "./helpers/app";
import { addTeamMember, browserHeaders, parseSetCookies, signUpOverHttp, TEST_PASSWORD, uniqueEmail } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";
import { eventually } from "./helpers/postcall";

let t: TestApp;
let http: TestHttp;

beforeAll(async () => {
  t = await createTestApp();
  http = await listen(t.app);
});

const json = (origin = TEST_ORIGIN) => ({ origin });

async function sign(payload: Record<string, unknown>, opts: { secret?: string; exp?: number; iss?: string; aud?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(opts.iss ?? LOCAL_ISSUER)
    .setAudience(opts.aud ?? "authenticated")
    .setIssuedAt(now - 7200)
    .setExpirationTime(opts.exp ?? now + 3600)
    .sign(new TextEncoder().encode(opts.secret ?? t.config.jwtSecret));
}

describe("sign-up", () => {
  it("creates the organization and owner profile, issues a JWT carrying app_metadata.org_id, and /me returns them", async () => {
    const email = uniqueEmail("founder");
    const res = await http.request("POST", "/api/auth/signup", {
      body: {
        email: `  ${email.toUpperCase()} `,
        password: TEST_PASSWORD,
        clinicName: "Bright Smile Dental",
        fullName: "Ana Lee",
        timezone: "America/Chicago",
      },
      headers: { ...json(), "user-agent": "vitest-browser/1.0" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      user: { email, fullName: "Ana Lee" },
      organization: { name: "Bright Smile Dental", timezone: "America/Chicago", status: "active" },
      role: "owner",
    });
    const orgId = res.body.organization.id as string;
    const userId = res.body.user.id as string;

    // The database: one org, one owner profile, the password stored only as a bcrypt hash.
    const org = await t.admin.query("select name, timezone from public.organizations where id = $1", [orgId]);
    expect(org.rows).toEqual([{ name: "Bright Smile Dental", timezone: "America/Chicago" }]);
    const profile = await t.admin.query("select org_id, role, email from public.profiles where user_id = $1", [userId]);
    expect(profile.rows).toEqual([{ org_id: orgId, role: "owner", email }]);
    const stored = await t.admin.query("select encrypted_password from auth.users where id = $1", [userId]);
    expect(stored.rows[0].encrypted_password).toMatch(/^\$2[aby]\$04\$/);
    expect(stored.rows[0].encrypted_password).not.toContain(TEST_PASSWORD);

    // No token in the body: the browser gets them only as httpOnly cookies.
    expect(res.body).not.toHaveProperty("accessToken");
    expect(res.body).not.toHaveProperty("refreshToken");
    const cookies = parseSetCookies(res.headers);
    const accessToken = cookies[ACCESS_COOKIE]!.value;
    expect(res.text).not.toContain(accessToken);
    expect(res.text).not.toContain(cookies[REFRESH_COOKIE]!.value);
    expect(res.headers.get("cache-control")).toBe("no-store");

    // The access token has Supabase's claim shape with the org stamped by the signup trigger.
    const claims = decodeJwt(accessToken);
    expect(claims).toMatchObject({
      sub: userId,
      role: "authenticated",
      aud: "authenticated",
      email,
      app_metadata: { org_id: orgId, role: "owner", provider: "email" },
      user_metadata: { clinic_name: "Bright Smile Dental", full_name: "Ana Lee" },
    });
    expect(typeof claims.session_id).toBe("string");
    expect(res.body.expiresAt).toBe(claims.exp);

    // httpOnly cookies: access (Lax, /) and refresh (Strict, /api/auth only); not Secure on plain http.
    expect(cookies[ACCESS_COOKIE]).toMatchObject({ attributes: { httponly: true, samesite: "Lax", path: "/" } });
    expect(cookies[REFRESH_COOKIE]).toMatchObject({
      value: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
      attributes: { httponly: true, samesite: "Strict", path: "/api/auth" },
    });
    expect(cookies[ACCESS_COOKIE]!.attributes.secure).toBeUndefined();

    // /me answers the same, by bearer token and by cookie.
    const expected = { user: { id: userId, email, fullName: "Ana Lee" }, organization: { id: orgId, name: "Bright Smile Dental" }, role: "owner" };
    const byBearer = await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${accessToken}` } });
    expect(byBearer.status).toBe(200);
    expect(byBearer.body).toMatchObject(expected);
    const byCookie = await http.request("GET", "/api/auth/me", { headers: browserHeaders({ access: accessToken }) });
    expect(byCookie.status).toBe(200);
    expect(byCookie.body).toMatchObject(expected);

    // Audited with who, from where, with what.
    const audit = await t.admin.query("select action, actor_user_id, host(ip) as ip, user_agent from public.audit_events where org_id = $1", [orgId]);
    expect(audit.rows).toEqual([{ action: "auth.signup", actor_user_id: userId, ip: "127.0.0.1", user_agent: "vitest-browser/1.0" }]);
  });

  it("refuses a duplicate email (whatever its case) with a generic 409 that does not say the email is registered", async () => {
    const first = await signUpOverHttp(http);
    for (const email of [first.email, first.email.toUpperCase()]) {
      const res = await http.request("POST", "/api/auth/signup", { body: { email, password: TEST_PASSWORD, clinicName: "Copy Clinic" }, headers: json() });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        code: "signup_failed",
        message:
          "We couldn't create an account with these details. If you already have a Voxanne account, sign in instead; otherwise use a different email address.",
      });
      expect(res.text).not.toMatch(/exist|taken|registered|in use/i);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    const orgs = await t.admin.query("select count(*)::int as n from public.organizations where name = 'Copy Clinic'");
    expect(orgs.rows[0].n).toBe(0);
  });

  it("answers a malformed email, a short password, a missing clinic name or an unknown time zone with 400 and field messages", async () => {
    const res = await http.request("POST", "/api/auth/signup", { body: { email: "not-an-email", password: "short" }, headers: json() });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    const fields = Object.fromEntries(res.body.error.fields.map((f: { path: string; message: string }) => [f.path, f.message]));
    expect(fields).toMatchObject({
      email: "Enter a valid email address, like name@clinic.com",
      password: "Password must be at least 8 characters",
      clinicName: "Clinic name is required",
    });
    expect(res.body.error.message).toMatch(/email: Enter a valid email address/);

    const tz = await http.request("POST", "/api/auth/signup", {
      body: { email: uniqueEmail(), password: TEST_PASSWORD, clinicName: "Time Clinic", timezone: "Mars/Olympus_Mons" },
      headers: json(),
    });
    expect(tz.status).toBe(400);
    expect(tz.body.error.fields).toEqual([{ path: "timezone", message: expect.stringMatching(/IANA name like America\/New_York/) }]);

    const long = await http.request("POST", "/api/auth/signup", {
      body: { email: uniqueEmail(), password: "é".repeat(40), clinicName: "Long Clinic" },
      headers: json(),
    });
    expect(long.status).toBe(400);
    expect(long.body.error.fields[0]).toMatchObject({ path: "password", message: expect.stringMatching(/72 bytes/) });
  });
});

describe("sign-in", () => {
  it("signs in with the right password (email case-insensitive) and audits it", async () => {
    const owner = await signUpOverHttp(http);
    const res = await http.request("POST", "/api/auth/login", {
      body: { email: owner.email.toUpperCase(), password: owner.password },
      headers: { ...json(), "user-agent": "vitest-login" },
    });
    expect(res.status).toBe(200);
    expect(res.body.organization.id).toBe(owner.body.organization.id);
    const access = parseSetCookies(res.headers)[ACCESS_COOKIE]!.value;
    expect(decodeJwt(access).session_id).not.toBe(decodeJwt(owner.cookies.access).session_id);
    expect(res.body).not.toHaveProperty("accessToken");
    const audit = await t.admin.query("select action, user_agent from public.audit_events where org_id = $1 order by created_at", [owner.body.organization.id]);
    expect(audit.rows).toMatchObject([{ action: "auth.signup" }, { action: "auth.login", user_agent: "vitest-login" }]);
  });

  it("answers a wrong password and an unknown email with the same 401", async () => {
    const owner = await signUpOverHttp(http);
    const wrong = await http.request("POST", "/api/auth/login", { body: { email: owner.email, password: "not-the-password" }, headers: json() });
    const unknown = await http.request("POST", "/api/auth/login", { body: { email: uniqueEmail("ghost"), password: "not-the-password" }, headers: json() });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe("Incorrect email or password.");
    expect({ ...unknown.body.error, requestId: undefined }).toEqual({ ...wrong.body.error, requestId: undefined });
    expect(wrong.headers.get("set-cookie")).toBeNull();
  });

  it("still accepts passwords hashed by bcryptjs before the switch to native bcrypt ($2a$ and $2b$)", async () => {
    // Produced once with bcryptjs 3.0.3, the library local mode used before: stored hashes must keep working.
    const bcryptjsHashes: [hash: string, password: string][] = [
      ["$2a$04$2pIzIHkwTkQQVI6KnVZtCeeWw9e1EU2L7.M.LI9.DQecpO9sPFXSa", "correct horse battery staple"],
      ["$2b$04$JLYU1mqvUnFtCu4ZK3X9xORswUBY3eC/50dRM7vaTN97toM8NiBrm", "correct horse battery staple"],
      ["$2b$04$rcCyp88TAwSv.E0nAxg8mudcxpBzIADY4f8ngcPTq8NvY/Kq7/.AK", "Ünïcødé pässwörd ✓"],
      ["$2b$10$bLRcpZTJW8nRAr4Bdn4bgeCC3/tce.rVke6uWcaqqM.ml7ptRQ.H.", "sunrise-demo-2026"],
    ];
    const owner = await signUpOverHttp(http);
    const stored = await t.admin.query("select encrypted_password from auth.users where lower(email) = lower($1)", [owner.email]);
    expect(stored.rows[0].encrypted_password).toMatch(/^\$2b\$04\$/);

    for (const [hash, password] of bcryptjsHashes) {
      const member = await addTeamMember(t, owner.body.organization.id, { role: "staff" });
      await t.admin.query("update auth.users set encrypted_password = $2 where id = $1", [member.userId, hash]);
      const ok = await http.request("POST", "/api/auth/login", { body: { email: member.email, password }, headers: json() });
      expect(ok.status, hash).toBe(200);
      const wrong = await http.request("POST", "/api/auth/login", { body: { email: member.email, password: `${password}!` }, headers: json() });
      expect(wrong.status, hash).toBe(401);
    }
  });

  it("gives a team member their own role in the same organization", async () => {
    const owner = await signUpOverHttp(http);
    const staff = await addTeamMember(t, owner.body.organization.id, { role: "staff", fullName: "Sam Staff" });
    const res = await http.request("POST", "/api/auth/login", { body: { email: staff.email, password: staff.password }, headers: json() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: "staff", organization: { id: owner.body.organization.id }, user: { fullName: "Sam Staff" } });
    expect(decodeJwt(parseSetCookies(res.headers)[ACCESS_COOKIE]!.value).app_metadata).toMatchObject({ org_id: owner.body.organization.id, role: "staff" });
  });
});

describe("access tokens", () => {
  let owner: Awaited<ReturnType<typeof signUpOverHttp>>;
  beforeAll(async () => {
    owner = await signUpOverHttp(http);
  });
  const me = (token: string) => http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${token}` } });

  it("rejects an expired token with 401 session_expired", async () => {
    const claims = decodeJwt(owner.cookies.access);
    const expired = await sign({ ...claims, exp: undefined, iat: undefined, iss: undefined, aud: undefined }, { exp: Math.floor(Date.now() / 1000) - 60 });
    const res = await me(expired);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: "session_expired", message: expect.stringMatching(/expired/) });
  });

  it("rejects forged tokens: another secret, a tampered payload, alg none, wrong issuer or audience, garbage", async () => {
    const claims = decodeJwt(owner.cookies.access);
    const base = { ...claims, exp: undefined, iat: undefined, iss: undefined, aud: undefined };
    const [header, , signature] = owner.cookies.access.split(".");
    const tampered = Buffer.from(JSON.stringify({ ...claims, app_metadata: { ...(claims.app_metadata as object), org_id: randomUUID() } })).toString(
      "base64url",
    );
    const forged = [
      await sign(base, { secret: "an-attacker-secret-that-is-32-characters-long" }),
      `${header}.${tampered}.${signature}`,
      new UnsecuredJWT(base).setIssuer(LOCAL_ISSUER).setAudience("authenticated").setExpirationTime("1h").encode(),
      await sign(base, { iss: "https://evil.example/auth/v1" }),
      await sign(base, { aud: "anon" }),
      "not.a.jwt",
    ];
    for (const token of forged) {
      const res = await me(token);
      expect(res.status, token).toBe(401);
      expect(res.body.error.code).toBe("invalid_token");
    }
  });

  it("rejects a validly signed token without app_metadata.org_id with a clear 401", async () => {
    const claims = decodeJwt(owner.cookies.access);
    const token = await sign({ ...claims, exp: undefined, iat: undefined, iss: undefined, aud: undefined, app_metadata: { provider: "email" } });
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: "no_organization", message: expect.stringMatching(/app_metadata\.org_id/) });
  });

  it("asks for a sign-in when there is no token at all", async () => {
    const res = await http.request("GET", "/api/auth/me");
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: "unauthorized", message: "Sign in to continue." });
  });

  it("lets a stale access cookie through to the public sign-in route", async () => {
    const res = await http.request("POST", "/api/auth/login", {
      body: { email: owner.email, password: owner.password },
      headers: browserHeaders({ access: "stale.garbage.token" }),
    });
    expect(res.status).toBe(200);
  });
});

describe("CSRF: Origin on cookie-authenticated writes", () => {
  it("refuses a mutating request with a session cookie and no Origin, or a foreign Origin, with 403", async () => {
    const owner = await signUpOverHttp(http);
    const noOrigin = await http.request("POST", "/api/auth/logout", { headers: browserHeaders(owner.cookies, null) });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body.error).toMatchObject({ code: "origin_required", message: expect.stringMatching(/no Origin header/) });
    const foreign = await http.request("POST", "/api/auth/logout", { headers: browserHeaders(owner.cookies, "https://evil.example") });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe("origin_not_allowed");
    // Refused requests changed nothing: the session still refreshes.
    const still = await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders(owner.cookies) });
    expect(still.status).toBe(200);
  });

  it("accepts the dashboard's Origin, and bearer clients without cookies or Origin", async () => {
    const owner = await signUpOverHttp(http);
    const bearer = await http.request("POST", "/api/auth/logout", { headers: { authorization: `Bearer ${owner.cookies.access}` } });
    expect(bearer.status).toBe(200);
    const login = await http.request("POST", "/api/auth/login", { body: { email: owner.email, password: owner.password } });
    expect(login.status).toBe(200);
    const foreignLogin = await http.request("POST", "/api/auth/login", {
      body: { email: owner.email, password: owner.password },
      headers: { origin: "https://evil.example" },
    });
    expect(foreignLogin.status).toBe(403);
  });

  it("cannot be dodged by changing the case of the path (Express routes case-insensitively)", async () => {
    const owner = await signUpOverHttp(http);
    for (const path of ["/API/auth/login", "/Api/Auth/Login", "/api/AUTH/login", "/api/auth/login/"]) {
      const res = await http.request("POST", path, { body: { email: owner.email, password: owner.password }, headers: { origin: "https://evil.example" } });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code, path).toBe("origin_not_allowed");
    }
    for (const path of ["/API/AUTH/LOGOUT", "/Api/auth/logout"]) {
      const res = await http.request("POST", path, { headers: browserHeaders(owner.cookies, "https://evil.example") });
      expect(res.status, path).toBe(403);
    }
    // The session survived every attempt.
    expect((await http.request("GET", "/api/auth/me", { headers: browserHeaders(owner.cookies) })).status).toBe(200);
  });

  it("does not apply to provider webhooks", async () => {
    const owner = await signUpOverHttp(http);
    for (const path of ["/api/vapi/webhook", "/api/webhooks/twilio/x/caller-id", "/API/VAPI/webhook"]) {
      const res = await http.request("POST", path, { body: {}, headers: browserHeaders(owner.cookies, null) });
      expect(res.body?.error?.code ?? "").not.toMatch(/^origin_/);
    }
  });
});

describe("refresh tokens", () => {
  it("rotates on every use; the old token then fails and its reuse revokes the whole session, access tokens included", async () => {
    const owner = await signUpOverHttp(http);
    const first = await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders(owner.cookies) });
    expect(first.status).toBe(200);
    const set = parseSetCookies(first.headers);
    const rotated = set[REFRESH_COOKIE]!.value;
    const newAccess = set[ACCESS_COOKIE]!.value;
    expect(rotated).not.toBe(owner.cookies.refresh);
    expect(first.body).not.toHaveProperty("refreshToken");
    expect(first.text).not.toContain(rotated);
    expect(first.body.organization.id).toBe(owner.body.organization.id);
    // The new access token works.
    expect((await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${newAccess}` } })).status).toBe(200);

    // Replaying the old token later than a lost answer's retry could be (e.g. stolen) fails, clears the cookies…
    await t.admin.query("update auth.refresh_tokens set rotated_at = rotated_at - interval '11 seconds' where user_id = $1 and rotated_at is not null", [
      owner.body.user.id,
    ]);
    const replay = await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders({ refresh: owner.cookies.refresh }) });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("invalid_refresh_token");
    expect(parseSetCookies(replay.headers)[REFRESH_COOKIE]!.value).toBe("");
    // …and revokes the family: the legitimate holder's newer token is dead too…
    const after = await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders({ refresh: rotated }) });
    expect(after.status).toBe(401);
    const live = await t.admin.query("select count(*)::int as n from auth.refresh_tokens where user_id = $1 and not revoked", [owner.body.user.id]);
    expect(live.rows[0].n).toBe(0);
    // …and so are the session's access tokens, old and new, by bearer or cookie.
    for (const access of [owner.cookies.access, newAccess]) {
      const me = await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${access}` } });
      expect(me.status).toBe(401);
      expect(me.body.error).toMatchObject({ code: "session_revoked", message: expect.stringMatching(/Sign in again/) });
      expect((await http.request("GET", "/api/auth/me", { headers: browserHeaders({ access }) })).status).toBe(401);
    }
    const reason = await t.admin.query("select reason from public.session_revocations where session_id = $1", [decodeJwt(newAccess).session_id]);
    expect(reason.rows).toEqual([{ reason: "refresh_token_reused" }]);
  });

  it("a retry of a rotation whose answer was lost gets a session, and leaves exactly one live token", async () => {
    const owner = await signUpOverHttp(http);
    // Two at once (a page that navigated away mid-refresh, then refreshed again): both are the same browser.
    const results = await Promise.all([1, 2].map(() => http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders(owner.cookies) })));
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const live = await t.admin.query("select count(*)::int as n from auth.refresh_tokens where user_id = $1 and not revoked", [owner.body.user.id]);
    expect(live.rows[0].n).toBe(1);
    // The token that is live works; the session was not revoked.
    const winners = results.map((r) => parseSetCookies(r.headers)[REFRESH_COOKIE]!.value);
    const statuses = [];
    for (const refresh of winners) statuses.push((await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders({ refresh }) })).status);
    expect(statuses).toContain(200);
  });

  it("answers a missing or unknown refresh token with 401", async () => {
    expect((await http.request("POST", "/api/auth/refresh", { body: {} })).status).toBe(401);
    expect((await http.request("POST", "/api/auth/refresh?mode=bearer", { body: { refreshToken: "x".repeat(43) } })).status).toBe(401);
    expect((await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders({ refresh: "x".repeat(43) }) })).status).toBe(401);
  });
});

describe("bearer mode for API clients", () => {
  it("hands out tokens in the body only with ?mode=bearer, sets no cookies, and refreshes from the body", async () => {
    const owner = await signUpOverHttp(http);
    const login = await http.request("POST", "/api/auth/login?mode=bearer", { body: { email: owner.email, password: owner.password } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ tokenType: "bearer", accessToken: expect.any(String), refreshToken: expect.any(String), role: "owner" });
    expect(login.body.expiresAt).toBe(decodeJwt(login.body.accessToken).exp);
    expect(login.headers.get("set-cookie")).toBeNull();
    expect(login.headers.get("cache-control")).toBe("no-store");
    const me = await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${login.body.accessToken}` } });
    expect(me.status).toBe(200);

    const refreshed = await http.request("POST", "/api/auth/refresh?mode=bearer", { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    expect(decodeJwt(refreshed.body.accessToken).session_id).toBe(decodeJwt(login.body.accessToken).session_id);
    expect(refreshed.headers.get("set-cookie")).toBeNull();

    // Bearer logout ends the session: its refresh token and access tokens stop working.
    const out = await http.request("POST", "/api/auth/logout", { headers: { authorization: `Bearer ${refreshed.body.accessToken}` } });
    expect(out.status).toBe(200);
    expect((await http.request("POST", "/api/auth/refresh?mode=bearer", { body: { refreshToken: refreshed.body.refreshToken } })).status).toBe(401);
    expect((await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${refreshed.body.accessToken}` } })).status).toBe(401);
  });

  it("never trades the httpOnly refresh cookie for tokens in a body, and takes body tokens only in bearer mode", async () => {
    const owner = await signUpOverHttp(http);
    // A script on a dashboard page could send this request with the cookie: it gets nothing.
    const viaCookie = await http.request("POST", "/api/auth/refresh?mode=bearer", { body: {}, headers: browserHeaders(owner.cookies) });
    expect(viaCookie.status).toBe(401);
    expect(viaCookie.text).not.toMatch(/eyJ/);
    // The cookie was not used up: the browser's session still renews.
    expect((await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders(owner.cookies) })).status).toBe(200);

    const bearer = await http.request("POST", "/api/auth/login?mode=bearer", { body: { email: owner.email, password: owner.password } });
    const mixed = await http.request("POST", "/api/auth/refresh", { body: { refreshToken: bearer.body.refreshToken } });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error).toMatchObject({ code: "bearer_mode_required", message: expect.stringMatching(/\?mode=bearer/) });
    // Sign-up is a browser flow: ?mode=bearer changes nothing there.
    const signup = await http.request("POST", "/api/auth/signup?mode=bearer", {
      body: { email: uniqueEmail(), password: TEST_PASSWORD, clinicName: "Cookie Clinic" },
      headers: json(),
    });
    expect(signup.status).toBe(201);
    expect(signup.body).not.toHaveProperty("accessToken");
  });
});

describe("logout", () => {
  it("revokes the session on the server and clears both cookies", async () => {
    const owner = await signUpOverHttp(http);
    // The access token works (and this process now caches that its session is live)…
    expect((await http.request("GET", "/api/auth/me", { headers: browserHeaders(owner.cookies) })).status).toBe(200);
    const res = await http.request("POST", "/api/auth/logout", { headers: browserHeaders(owner.cookies) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    const cleared = parseSetCookies(res.headers);
    expect(cleared[ACCESS_COOKIE]!.value).toBe("");
    expect(cleared[REFRESH_COOKIE]).toMatchObject({ value: "", attributes: { path: "/api/auth" } });
    expect(new Date(String(cleared[ACCESS_COOKIE]!.attributes.expires)).getTime()).toBeLessThan(Date.now());

    const refresh = await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders(owner.cookies) });
    expect(refresh.status).toBe(401);
    // …and a copy of the access token kept by anyone is refused at once, not when it expires.
    const stolen = await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${owner.cookies.access}` } });
    expect(stolen.status).toBe(401);
    expect(stolen.body.error.code).toBe("session_revoked");
    const ticket = await http.request("POST", "/api/ws/ticket", { headers: { authorization: `Bearer ${owner.cookies.access}` } });
    expect(ticket.status).toBe(401);
    const audit = await t.admin.query("select count(*)::int as n from public.audit_events where org_id = $1 and action = 'auth.logout'", [
      owner.body.organization.id,
    ]);
    expect(audit.rows[0].n).toBe(1);
    const reason = await t.admin.query("select reason from public.session_revocations where session_id = $1", [decodeJwt(owner.cookies.access).session_id]);
    expect(reason.rows).toEqual([{ reason: "signed_out" }]);
  });

  it("with only a bearer token, ends that token's session", async () => {
    const owner = await signUpOverHttp(http);
    const res = await http.request("POST", "/api/auth/logout", { headers: { authorization: `Bearer ${owner.cookies.access}` } });
    expect(res.status).toBe(200);
    expect((await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders({ refresh: owner.cookies.refresh }) })).status).toBe(401);
    expect((await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${owner.cookies.access}` } })).status).toBe(401);
  });

  it("ends only that session: the same user's other sessions go on", async () => {
    const owner = await signUpOverHttp(http);
    const other = await http.request("POST", "/api/auth/login?mode=bearer", { body: { email: owner.email, password: owner.password } });
    await http.request("POST", "/api/auth/logout", { headers: browserHeaders(owner.cookies) });
    expect((await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${other.body.accessToken}` } })).status).toBe(200);
  });

  it("is seen by other API processes within the cache bound (a revocation they did not make)", async () => {
    const owner = await signUpOverHttp(http);
    const bearer = { authorization: `Bearer ${owner.cookies.access}` };
    expect((await http.request("GET", "/api/auth/me", { headers: bearer })).status).toBe(200);
    // As if another process had revoked it: straight into the table, without this process knowing.
    await t.admin.query(
      "insert into public.session_revocations (session_id, user_id, reason, expires_at) values ($1, $2, 'signed_out', now() + interval '1 day')",
      [decodeJwt(owner.cookies.access).session_id, owner.body.user.id],
    );
    const started = Date.now();
    await eventually(async () => (await http.request("GET", "/api/auth/me", { headers: bearer })).status === 401, 8_000);
    expect(Date.now() - started).toBeLessThan(SESSION_CHECK_CACHE_MS + 2_000);
  });
});

describe("password change", () => {
  it("checks the current password, sets the new one, and signs out every other session while this one goes on", async () => {
    const owner = await signUpOverHttp(http);
    const laptop = await http.request("POST", "/api/auth/login", { body: { email: owner.email, password: owner.password }, headers: json() });
    const laptopCookies = { access: parseSetCookies(laptop.headers)[ACCESS_COOKIE]!.value, refresh: parseSetCookies(laptop.headers)[REFRESH_COOKIE]!.value };
    const script = await http.request("POST", "/api/auth/login?mode=bearer", { body: { email: owner.email, password: owner.password } });
    const newPassword = "a brand new passphrase";

    const wrong = await http.request("POST", "/api/auth/password", {
      body: { currentPassword: "not the password", newPassword },
      headers: browserHeaders(owner.cookies),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: "current_password_incorrect", message: expect.stringMatching(/current password is not correct/) });
    expect((await http.request("GET", "/api/auth/me", { headers: browserHeaders(laptopCookies) })).status).toBe(200);

    const short = await http.request("POST", "/api/auth/password", {
      body: { currentPassword: owner.password, newPassword: "short" },
      headers: browserHeaders(owner.cookies),
    });
    expect(short.status).toBe(400);
    expect(short.body.error.fields).toEqual([{ path: "newPassword", message: "Password must be at least 8 characters" }]);
    // Cookie writes are CSRF-checked like any other.
    const forged = await http.request("POST", "/api/auth/password", {
      body: { currentPassword: owner.password, newPassword },
      headers: browserHeaders(owner.cookies, "https://evil.example"),
    });
    expect(forged.status).toBe(403);

    const ok = await http.request("POST", "/api/auth/password", {
      body: { currentPassword: owner.password, newPassword },
      headers: browserHeaders(owner.cookies),
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true });
    expect(ok.headers.get("set-cookie")).toBeNull();

    // This session goes on; the other two are over, access and refresh tokens alike.
    expect((await http.request("GET", "/api/auth/me", { headers: browserHeaders(owner.cookies) })).status).toBe(200);
    expect((await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders(owner.cookies) })).status).toBe(200);
    for (const gone of [browserHeaders(laptopCookies), { authorization: `Bearer ${script.body.accessToken}` }]) {
      const me = await http.request("GET", "/api/auth/me", { headers: gone });
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe("session_revoked");
    }
    expect((await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders(laptopCookies) })).status).toBe(401);
    expect((await http.request("POST", "/api/auth/refresh?mode=bearer", { body: { refreshToken: script.body.refreshToken } })).status).toBe(401);

    // Only the new password signs in now.
    expect((await http.request("POST", "/api/auth/login", { body: { email: owner.email, password: owner.password }, headers: json() })).status).toBe(401);
    const fresh = await http.request("POST", "/api/auth/login", { body: { email: owner.email, password: newPassword }, headers: json() });
    expect(fresh.status).toBe(200);
    expect(
      (await http.request("GET", "/api/auth/me", { headers: browserHeaders({ access: parseSetCookies(fresh.headers)[ACCESS_COOKIE]!.value }) })).status,
    ).toBe(200);

    const audit = await t.admin.query("select action from public.audit_events where org_id = $1 and action = 'auth.password_changed'", [
      owner.body.organization.id,
    ]);
    expect(audit.rows).toHaveLength(1);
  });

  it("needs a session", async () => {
    const res = await http.request("POST", "/api/auth/password", { body: { currentPassword: "x", newPassword: "long enough password" } });
    expect(res.status).toBe(401);
  });
});

describe("session ids", () => {
  it("refuses a validly signed token that names no session", async () => {
    const owner = await signUpOverHttp(http);
    const claims = decodeJwt(owner.cookies.access);
    const token = await sign({ ...claims, exp: undefined, iat: undefined, iss: undefined, aud: undefined, session_id: undefined });
    const res = await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("invalid_token");
  });
});

describe("secure cookies", () => {
  it("marks both cookies Secure when COOKIE_SECURE is on", async () => {
    const secure = await createTestApp({ config: { COOKIE_SECURE: true } });
    const s = await listen(secure.app);
    const owner = await signUpOverHttp(s);
    const res = await s.request("POST", "/api/auth/login", { body: { email: owner.email, password: owner.password }, headers: json() });
    const cookies = parseSetCookies(res.headers);
    expect(cookies[ACCESS_COOKIE]!.attributes.secure).toBe(true);
    expect(cookies[REFRESH_COOKIE]!.attributes.secure).toBe(true);
  });
});
