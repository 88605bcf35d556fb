import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import type pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestApp, TEST_ORIGIN } from "./helpers/app";
import { browserHeaders, parseSetCookies, uniqueEmail } from "./helpers/auth";
import { listen } from "./helpers/http";

/**
 * Supabase mode against a local fake of Supabase Auth (GoTrue) that speaks its wire format:
 * /auth/v1/signup, /token?grant_type=password|refresh_token, /logout, /.well-known/jwks.json.
 * Like the real one it inserts into auth.users (so our signup trigger creates the org) and mints the
 * first token BEFORE the trigger's app_metadata.org_id exists — the provider must refresh once.
 */
type Signer = { alg: "HS256"; secret: Uint8Array } | { alg: "ES256"; privateKey: CryptoKey; jwk: Record<string, unknown> };

async function fakeGoTrue(signer: Signer, options: { confirmEmail?: boolean } = {}) {
  let admin: pg.Pool | null = null;
  const users = new Map<string, { id: string; password: string; userMetadata: Record<string, unknown> }>();
  // Like GoTrue: every refresh token belongs to a session; /logout deletes the session.
  const refreshTokens = new Map<string, { userId: string; sessionId: string; used: boolean }>();
  const sessions = new Set<string>();
  const calls: string[] = [];
  let base = "";

  async function session(userId: string, appMetadataOverride?: Record<string, unknown>, sessionId: string = randomUUID()) {
    sessions.add(sessionId);
    const row = (await admin!.query("select email, raw_app_meta_data, raw_user_meta_data from auth.users where id = $1", [userId])).rows[0];
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({
      email: row.email,
      role: "authenticated",
      app_metadata: appMetadataOverride ?? row.raw_app_meta_data,
      user_metadata: row.raw_user_meta_data,
      session_id: sessionId,
    })
      .setIssuer(`${base}/auth/v1`)
      .setSubject(userId)
      .setAudience("authenticated")
      .setIssuedAt(now)
      .setExpirationTime(now + 3600);
    const accessToken =
      signer.alg === "HS256"
        ? await jwt.setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(signer.secret)
        : await jwt.setProtectedHeader({ alg: "ES256", kid: "fake-key", typ: "JWT" }).sign(signer.privateKey);
    const refreshToken = randomBytes(12).toString("hex");
    refreshTokens.set(refreshToken, { userId, sessionId, used: false });
    return {
      access_token: accessToken,
      token_type: "bearer",
      expires_in: 3600,
      expires_at: now + 3600,
      refresh_token: refreshToken,
      user: {
        id: userId,
        aud: "authenticated",
        role: "authenticated",
        email: row.email,
        app_metadata: row.raw_app_meta_data,
        user_metadata: row.raw_user_meta_data,
        identities: [{ id: userId }],
      },
    };
  }
  const readBody = async (req: IncomingMessage) => {
    let s = "";
    for await (const chunk of req) s += chunk;
    return s ? JSON.parse(s) : {};
  };
  const error = (status: number, code: string, msg: string) => ({ status, body: { code: status, error_code: code, msg } });

  async function handle(req: IncomingMessage): Promise<{ status: number; body?: unknown }> {
    const url = new URL(req.url ?? "/", base);
    calls.push(`${req.method} ${url.pathname}${url.search}`);
    // The signing keys are public (Supabase's own example fetches them without an API key).
    if (req.method === "GET" && url.pathname === "/auth/v1/.well-known/jwks.json") {
      return { status: 200, body: { keys: signer.alg === "ES256" ? [{ ...signer.jwk, kid: "fake-key", alg: "ES256", use: "sig" }] : [] } };
    }
    if (req.headers.apikey !== "anon-key") return error(401, "no_authorization", "Invalid API key");
    const body = await readBody(req);
    if (url.pathname === "/auth/v1/signup") {
      if (users.has(body.email)) {
        // With email confirmation on, GoTrue hides that the email is taken: a fake user, no identities.
        if (options.confirmEmail) return { status: 200, body: { id: randomUUID(), aud: "authenticated", role: "", email: body.email, identities: [] } };
        return error(422, "user_already_exists", "User already registered");
      }
      const id = randomUUID();
      users.set(body.email, { id, password: body.password, userMetadata: body.data ?? {} });
      await admin!.query("insert into auth.users (id, email, raw_app_meta_data, raw_user_meta_data) values ($1, $2, $3, $4)", [
        id,
        body.email,
        { provider: "email", providers: ["email"] },
        body.data ?? {},
      ]);
      if (options.confirmEmail) {
        return { status: 200, body: { id, aud: "authenticated", role: "authenticated", email: body.email, identities: [{ id, identity_id: randomUUID() }] } };
      }
      // GoTrue mints the token from the user as it was before our trigger ran.
      return { status: 200, body: await session(id, { provider: "email", providers: ["email"] }) };
    }
    if (url.pathname === "/auth/v1/token" && url.searchParams.get("grant_type") === "password") {
      const user = users.get(body.email);
      if (!user || user.password !== body.password) return error(400, "invalid_credentials", "Invalid login credentials");
      return { status: 200, body: await session(user.id) };
    }
    if (url.pathname === "/auth/v1/token" && url.searchParams.get("grant_type") === "refresh_token") {
      const token = refreshTokens.get(body.refresh_token);
      if (!token || !sessions.has(token.sessionId)) return error(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
      if (token.used) {
        // Reuse: GoTrue revokes the token family (the session's refresh tokens).
        for (const t of refreshTokens.values()) if (t.sessionId === token.sessionId) t.used = true;
        return error(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
      }
      token.used = true;
      return { status: 200, body: await session(token.userId, undefined, token.sessionId) };
    }
    const bearer = () => decodeJwt(String(req.headers.authorization).replace(/^Bearer /, ""));
    if (url.pathname === "/auth/v1/logout") {
      const { sub, session_id } = bearer();
      const scope = url.searchParams.get("scope") ?? "global";
      for (const t of refreshTokens.values()) {
        if (t.userId !== sub) continue;
        if (scope === "global" || (scope === "local" && t.sessionId === session_id) || (scope === "others" && t.sessionId !== session_id))
          sessions.delete(t.sessionId);
      }
      return { status: 204 };
    }
    if (url.pathname === "/auth/v1/user" && req.method === "PUT") {
      const { sub, session_id } = bearer();
      if (!sessions.has(String(session_id))) return error(403, "session_not_found", "Session from session_id claim in JWT does not exist");
      const user = [...users.values()].find((u) => u.id === sub)!;
      if (typeof body.password === "string") user.password = body.password;
      const row = (await admin!.query("select email, raw_app_meta_data, raw_user_meta_data from auth.users where id = $1", [sub])).rows[0];
      return {
        status: 200,
        body: {
          id: sub,
          aud: "authenticated",
          role: "authenticated",
          email: row.email,
          app_metadata: row.raw_app_meta_data,
          user_metadata: row.raw_user_meta_data,
        },
      };
    }
    if (url.pathname === "/auth/v1/user" && req.method === "GET") {
      const { sub } = bearer();
      const row = (await admin!.query("select email, raw_app_meta_data, raw_user_meta_data from auth.users where id = $1", [sub])).rows[0];
      return {
        status: 200,
        body: {
          id: sub,
          aud: "authenticated",
          role: "authenticated",
          email: row.email,
          app_metadata: row.raw_app_meta_data,
          user_metadata: row.raw_user_meta_data,
        },
      };
    }
    return error(404, "not_found", "not found");
  }

  const server: Server = createServer((req, res) => {
    handle(req).then(
      ({ status, body }) => {
        res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      },
      (err) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: 500, msg: String(err) }));
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  return {
    url: base,
    calls,
    useDatabase: (pool: pg.Pool) => {
      admin = pool;
    },
  };
}

async function supabaseApp(signer: Signer, jwtSecret?: string, options: { confirmEmail?: boolean } = {}) {
  const fake = await fakeGoTrue(signer, options);
  const t = await createTestApp({ config: { SUPABASE_URL: fake.url, SUPABASE_ANON_KEY: "anon-key", SUPABASE_JWT_SECRET: jwtSecret } });
  fake.useDatabase(t.admin);
  return { t, http: await listen(t.app), fake };
}

const headers = { origin: TEST_ORIGIN };

describe("Supabase mode (fake Supabase Auth)", () => {
  it("signs up through Supabase Auth; the trigger makes the org and the refreshed token carries it (HS256 secret)", async () => {
    const secret = "supabase-legacy-jwt-secret-0123456789abcdef";
    const { t, http, fake } = await supabaseApp({ alg: "HS256", secret: new TextEncoder().encode(secret) }, secret);
    const email = uniqueEmail("sb");
    const signup = await http.request("POST", "/api/auth/signup", {
      body: { email, password: "supabase-pass-1", clinicName: "Harbor Physio", timezone: "Europe/London" },
      headers,
    });
    expect(signup.status, t.logs.text().slice(-3000)).toBe(201);
    expect(signup.body).toMatchObject({ role: "owner", organization: { name: "Harbor Physio", timezone: "Europe/London" }, user: { email } });
    expect(signup.body).not.toHaveProperty("accessToken");
    expect(decodeJwt(parseSetCookies(signup.headers).vox_access!.value).app_metadata).toMatchObject({ org_id: signup.body.organization.id, role: "owner" });
    expect(fake.calls).toEqual(["POST /auth/v1/signup", "POST /auth/v1/token?grant_type=refresh_token"]);
    const org = await t.admin.query("select count(*)::int as n from public.organizations where id = $1", [signup.body.organization.id]);
    expect(org.rows[0].n).toBe(1);

    const dup = await http.request("POST", "/api/auth/signup", { body: { email, password: "supabase-pass-1", clinicName: "Again" }, headers });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("signup_failed");
    expect(dup.text).not.toMatch(/exist|registered/i);
    const wrong = await http.request("POST", "/api/auth/login", { body: { email, password: "nope-nope-nope" }, headers });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe("Incorrect email or password.");

    const login = await http.request("POST", "/api/auth/login", { body: { email, password: "supabase-pass-1" }, headers });
    expect(login.status).toBe(200);
    const cookies = { access: parseSetCookies(login.headers).vox_access!.value, refresh: parseSetCookies(login.headers).vox_refresh!.value };
    expect(login.body).not.toHaveProperty("accessToken");
    expect((await http.request("GET", "/api/auth/me", { headers: browserHeaders(cookies) })).body.organization.name).toBe("Harbor Physio");

    const refreshed = await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders(cookies) });
    expect(refreshed.status).toBe(200);
    const replay = await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders(cookies) });
    expect(replay.status).toBe(401);

    // The replay revoked the session on our side too: its access tokens stop working at once.
    const replayedAccess = await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${cookies.access}` } });
    expect(replayedAccess.status).toBe(401);
    expect(replayedAccess.body.error.code).toBe("session_revoked");

    const again = await http.request("POST", "/api/auth/login", { body: { email, password: "supabase-pass-1" }, headers });
    const next = { access: parseSetCookies(again.headers).vox_access!.value, refresh: parseSetCookies(again.headers).vox_refresh!.value };
    expect((await http.request("POST", "/api/auth/logout", { headers: browserHeaders(next) })).status).toBe(200);
    expect(fake.calls.at(-1)).toBe("POST /auth/v1/logout?scope=local");
    expect((await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders(next) })).status).toBe(401);
    // Signed out: the access token is refused now, not when it expires an hour later.
    expect((await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${next.access}` } })).status).toBe(401);
  });

  it("verifies asymmetric tokens with the project's JWKS, and rejects tokens signed by another key", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const { http, fake } = await supabaseApp({ alg: "ES256", privateKey, jwk: await exportJWK(publicKey) });
    const signup = await http.request("POST", "/api/auth/signup", {
      body: { email: uniqueEmail("jwks"), password: "supabase-pass-2", clinicName: "Keyed Clinic" },
      headers,
    });
    expect(signup.status).toBe(201);
    expect(fake.calls).toContain("GET /auth/v1/.well-known/jwks.json");
    const access = parseSetCookies(signup.headers).vox_access!.value;
    const me = await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${access}` } });
    expect(me.status).toBe(200);

    const other = await generateKeyPair("ES256");
    const claims = decodeJwt(access);
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "fake-key" }).sign(other.privateKey);
    const res = await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("invalid_token");
  });

  it("changes the password with updateUser and ends every other session, at Supabase and here", async () => {
    const secret = "supabase-legacy-jwt-secret-0123456789abcdef";
    const { http, fake } = await supabaseApp({ alg: "HS256", secret: new TextEncoder().encode(secret) }, secret);
    const email = uniqueEmail("sbpw");
    const signup = await http.request("POST", "/api/auth/signup", { body: { email, password: "supabase-pass-3", clinicName: "Pw Clinic" }, headers });
    expect(signup.status).toBe(201);
    const here = { access: parseSetCookies(signup.headers).vox_access!.value, refresh: parseSetCookies(signup.headers).vox_refresh!.value };
    const elsewhere = await http.request("POST", "/api/auth/login?mode=bearer", { body: { email, password: "supabase-pass-3" } });
    expect(elsewhere.status).toBe(200);

    const wrong = await http.request("POST", "/api/auth/password", {
      body: { currentPassword: "nope-nope-nope", newPassword: "supabase-pass-4" },
      headers: browserHeaders(here),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("current_password_incorrect");

    const ok = await http.request("POST", "/api/auth/password", {
      body: { currentPassword: "supabase-pass-3", newPassword: "supabase-pass-4" },
      headers: browserHeaders(here),
    });
    expect(ok.status, ok.text).toBe(200);
    expect(fake.calls).toContain("PUT /auth/v1/user");
    expect(fake.calls).toContain("POST /auth/v1/logout?scope=others");

    expect((await http.request("GET", "/api/auth/me", { headers: browserHeaders(here) })).status).toBe(200);
    const gone = await http.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${elsewhere.body.accessToken}` } });
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe("session_revoked");
    expect((await http.request("POST", "/api/auth/refresh?mode=bearer", { body: { refreshToken: elsewhere.body.refreshToken } })).status).toBe(401);
    expect((await http.request("POST", "/api/auth/login", { body: { email, password: "supabase-pass-4" }, headers })).status).toBe(200);
  });

  it("with email confirmation on, a taken email gets exactly the answer a new one gets", async () => {
    const secret = "supabase-legacy-jwt-secret-0123456789abcdef";
    const { http } = await supabaseApp({ alg: "HS256", secret: new TextEncoder().encode(secret) }, secret, { confirmEmail: true });
    const email = uniqueEmail("sbconfirm");
    const answers = [];
    for (const clinicName of ["First Clinic", "Second Clinic"]) {
      const res = await http.request("POST", "/api/auth/signup", { body: { email, password: "supabase-pass-5", clinicName }, headers });
      answers.push({ status: res.status, code: res.body.error.code, message: res.body.error.message, cookies: res.headers.get("set-cookie") });
    }
    expect(answers[0]).toEqual({
      status: 403,
      code: "email_not_confirmed",
      message: expect.stringMatching(/^Account created\. Confirm your email/),
      cookies: null,
    });
    expect(answers[1]).toEqual(answers[0]);
  });
});
