/**
 * A fake Google on 127.0.0.1 for tests and the end-to-end run: the OAuth endpoints
 * (authorize → redirect with code and state, token with authorization_code and refresh_token
 * grants, revoke) and the Calendar v3 endpoints the product uses (freeBusy, events insert / patch /
 * delete / get), with Google's documented shapes and errors: `invalid_grant` from the token
 * endpoint, 409 `duplicate` for a client-supplied event id that exists (cancelled events keep
 * their id), 404 `notFound`, 410 `deleted`, 401 for a bad bearer token. The real google-auth-library
 * and @googleapis/calendar clients talk to it through GOOGLE_API_BASE_URL.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeGoogleAccount = { email: string; sub: string; busy: { start: string; end: string }[] };
export type FakeEvent = Record<string, any> & { id: string; status: "confirmed" | "cancelled" };
export type Recorded = { method: string; path: string; query: Record<string, string>; body: any; authorization: string | undefined };
type Failure = { method: string; path: RegExp; status: number; body: unknown; times: number; delayMs: number };

export type FakeGoogle = {
  url: string;
  clientId: string;
  clientSecret: string;
  requests: Recorded[];
  /** The account that consents at the next authorize request. */
  account: FakeGoogleAccount;
  /** Events of the account's primary calendar, by id (cancelled ones stay, as in Google). */
  events: Map<string, FakeEvent>;
  /** Refresh tokens issued, and whether each still works. */
  refreshTokens: Map<string, { email: string; revoked: boolean }>;
  /** The scopes the next consent grants (default: everything asked for). */
  grantScopes: string | null;
  /** A refresh response carries a new refresh token (rotation) instead of none. */
  rotateRefreshTokens: boolean;
  /** Every request matching method and path waits this long first. */
  delay(method: string, path: RegExp, ms: number, times?: number): void;
  /** The next `times` requests matching method and path answer `status` with `body`. */
  failNext(method: string, path: RegExp, status: number, body?: unknown, times?: number): void;
  /** Revokes every refresh token of the account: the next refresh answers invalid_grant. */
  revokeAll(): void;
  sent(method: string, pathPrefix: string): Recorded[];
  liveEvents(): FakeEvent[];
  reset(): void;
  close(): Promise<void>;
};

const googleError = (code: number, message: string, reason: string, status?: string) => ({
  error: { code, message, errors: [{ domain: "global", reason, message }], ...(status ? { status } : {}) },
});

async function readBody(req: IncomingMessage): Promise<{ raw: string; json: any; form: URLSearchParams }> {
  let raw = "";
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 1_000_000) throw new Error("body too large");
  }
  const type = String(req.headers["content-type"] ?? "");
  let json: any;
  if (type.includes("json") && raw) json = JSON.parse(raw);
  return { raw, json, form: new URLSearchParams(type.includes("x-www-form-urlencoded") ? raw : "") };
}

/** An unsigned-looking but well-formed id_token (the product reads it from the token response, over TLS in production). */
function idToken(account: FakeGoogleAccount, clientId: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: "RS256", kid: "fake", typ: "JWT" })}.${b64({
    iss: "https://accounts.google.com",
    aud: clientId,
    sub: account.sub,
    email: account.email,
    email_verified: true,
    iat: now,
    exp: now + 3600,
  })}.${randomBytes(32).toString("base64url")}`;
}

export async function startFakeGoogle(options: { account?: Partial<FakeGoogleAccount>; port?: number } = {}): Promise<FakeGoogle> {
  const clientId = "fake-client-id.apps.googleusercontent.com";
  const clientSecret = "fake-client-secret";
  const requests: Recorded[] = [];
  const failures: Failure[] = [];
  const events = new Map<string, FakeEvent>();
  const refreshTokens = new Map<string, { email: string; revoked: boolean }>();
  const accessTokens = new Map<string, string>(); // access token → email
  const codes = new Map<string, { email: string; scope: string; redirectUri: string }>();

  const fake: FakeGoogle = {
    url: "",
    clientId,
    clientSecret,
    requests,
    account: { email: "frontdesk@clinic.example", sub: "110248495921238986420", busy: [], ...options.account },
    events,
    refreshTokens,
    grantScopes: null,
    rotateRefreshTokens: false,
    delay(method, path, ms, times = Number.POSITIVE_INFINITY) {
      failures.push({ method, path, status: 0, body: null, times, delayMs: ms });
    },
    failNext(method, path, status, body, times = 1) {
      failures.push({ method, path, status, body: body ?? googleError(status, "Backend Error", "backendError"), times, delayMs: 0 });
    },
    revokeAll() {
      for (const t of refreshTokens.values()) t.revoked = true;
      accessTokens.clear();
    },
    sent: (method, pathPrefix) => requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)),
    liveEvents: () => [...events.values()].filter((e) => e.status !== "cancelled"),
    reset() {
      requests.length = 0;
      failures.length = 0;
      events.clear();
      fake.account.busy = [];
      fake.grantScopes = null;
      fake.rotateRefreshTokens = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const issueAccessToken = (email: string) => {
    const token = `ya29.${randomBytes(24).toString("base64url")}`;
    accessTokens.set(token, email);
    return token;
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const path = url.pathname;
    const send = (status: number, payload?: unknown) => {
      if (res.destroyed) return;
      if (payload === undefined) res.writeHead(status).end();
      else res.writeHead(status, { "content-type": "application/json; charset=UTF-8" }).end(JSON.stringify(payload));
    };
    let body: Awaited<ReturnType<typeof readBody>>;
    try {
      body = await readBody(req);
    } catch {
      return send(400, googleError(400, "Parse Error", "parseError"));
    }
    requests.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: body.json ?? Object.fromEntries(body.form),
      authorization: req.headers.authorization,
    });

    for (const f of failures) {
      if (f.times <= 0 || f.method !== method || !f.path.test(path)) continue;
      f.times--;
      if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
      if (f.status) return send(f.status, f.body);
    }

    // Readiness and control (the end-to-end run drives the fake from another process) ------------
    if (method === "GET" && path === "/") return send(200, { ok: true });
    if (method === "POST" && path === "/__control/revoke-all") {
      fake.revokeAll();
      return send(200, { ok: true });
    }

    // OAuth -----------------------------------------------------------------------------------
    if (method === "GET" && path === "/o/oauth2/v2/auth") {
      // The account consents at once: back to the redirect URI with a code and the state.
      const redirectUri = url.searchParams.get("redirect_uri") ?? "";
      const state = url.searchParams.get("state") ?? "";
      if (url.searchParams.get("client_id") !== clientId || !redirectUri) return send(400, { error: "invalid_request" });
      const code = `4/${randomBytes(16).toString("base64url")}`;
      codes.set(code, { email: fake.account.email, scope: fake.grantScopes ?? url.searchParams.get("scope") ?? "", redirectUri });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", state);
      back.searchParams.set("scope", fake.grantScopes ?? url.searchParams.get("scope") ?? "");
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (method === "POST" && path === "/token") {
      const f = body.form;
      if (f.get("client_id") !== clientId || f.get("client_secret") !== clientSecret)
        return send(401, { error: "invalid_client", error_description: "The OAuth client was not found." });
      if (f.get("grant_type") === "authorization_code") {
        const grant = codes.get(f.get("code") ?? "");
        codes.delete(f.get("code") ?? "");
        if (!grant || grant.redirectUri !== f.get("redirect_uri")) return send(400, { error: "invalid_grant", error_description: "Bad Request" });
        const refresh = `1//${randomBytes(24).toString("base64url")}`;
        refreshTokens.set(refresh, { email: grant.email, revoked: false });
        return send(200, {
          access_token: issueAccessToken(grant.email),
          expires_in: 3599,
          refresh_token: refresh,
          scope: grant.scope,
          token_type: "Bearer",
          id_token: idToken(fake.account, clientId),
        });
      }
      if (f.get("grant_type") === "refresh_token") {
        const stored = refreshTokens.get(f.get("refresh_token") ?? "");
        if (!stored || stored.revoked) return send(400, { error: "invalid_grant", error_description: "Token has been expired or revoked." });
        const rotated = fake.rotateRefreshTokens ? `1//${randomBytes(24).toString("base64url")}` : null;
        if (rotated) refreshTokens.set(rotated, { email: stored.email, revoked: false });
        return send(200, {
          access_token: issueAccessToken(stored.email),
          expires_in: 3599,
          scope:
            "https://www.googleapis.com/auth/calendar.freebusy https://www.googleapis.com/auth/calendar.events.owned openid https://www.googleapis.com/auth/userinfo.email",
          token_type: "Bearer",
          ...(rotated ? { refresh_token: rotated } : {}),
        });
      }
      return send(400, { error: "unsupported_grant_type", error_description: "Invalid grant_type" });
    }
    if (method === "POST" && path === "/revoke") {
      const token = url.searchParams.get("token") ?? body.form.get("token") ?? "";
      const stored = refreshTokens.get(token);
      if (stored) stored.revoked = true;
      else if (!accessTokens.delete(token)) return send(400, { error: "invalid_token", error_description: "Token expired or revoked" });
      return send(200, {});
    }

    // Calendar v3 -----------------------------------------------------------------------------
    if (path.startsWith("/calendar/v3/")) {
      const bearer = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
      if (!accessTokens.has(bearer))
        return send(401, googleError(401, "Request had invalid authentication credentials. Expected OAuth 2 access token.", "authError", "UNAUTHENTICATED"));
      if (method === "POST" && path === "/calendar/v3/freeBusy") {
        const { timeMin, timeMax, items } = body.json ?? {};
        if (!timeMin || !timeMax) return send(400, googleError(400, "Missing timeMin parameter.", "required"));
        const from = Date.parse(timeMin);
        const to = Date.parse(timeMax);
        const calendars: Record<string, unknown> = {};
        for (const item of items ?? []) {
          calendars[item.id] = { busy: fake.account.busy.filter((b) => Date.parse(b.start) < to && from < Date.parse(b.end)) };
        }
        return send(200, { kind: "calendar#freeBusy", timeMin, timeMax, calendars });
      }
      const match = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(path);
      if (!match) return send(404, googleError(404, "Not Found", "notFound"));
      const eventId = match[2] ? decodeURIComponent(match[2]) : null;
      if (method === "POST" && !eventId) {
        const event = body.json ?? {};
        const id = String(event.id ?? randomBytes(13).toString("hex"));
        if (!/^[a-v0-9]{5,1024}$/.test(id)) return send(400, googleError(400, "Invalid resource id value.", "invalid"));
        if (events.has(id)) return send(409, googleError(409, "The requested identifier already exists.", "duplicate"));
        const created: FakeEvent = { kind: "calendar#event", etag: `"${Date.now()}"`, ...event, id, status: "confirmed" };
        events.set(id, created);
        return send(200, created);
      }
      const existing = eventId ? events.get(eventId) : undefined;
      if (!existing) return send(404, googleError(404, "Not Found", "notFound"));
      if (method === "GET") return send(200, existing);
      if (method === "PATCH") {
        const updated = { ...existing, ...(body.json ?? {}), id: existing.id, etag: `"${Date.now()}"` } as FakeEvent;
        events.set(existing.id, updated);
        return send(200, updated);
      }
      if (method === "DELETE") {
        if (existing.status === "cancelled") return send(410, googleError(410, "Resource has been deleted", "deleted"));
        events.set(existing.id, { ...existing, status: "cancelled" });
        return send(204);
      }
    }
    return send(404, googleError(404, "Not Found", "notFound"));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
