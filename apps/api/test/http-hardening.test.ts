import { randomUUID } from "node:crypto";
import { allRoutes, type RouteDef } from "@voxanne/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { listMigrations } from "../src/db/migrate";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../src/http/session-cookies";
import { createTestApp, TEST_ORIGIN, type TestApp } from "./helpers/app";
import { browserHeaders, parseSetCookies, signUpClinic, signUpOverHttp, TEST_PASSWORD, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";

let t: TestApp;
let http: TestHttp;
let user: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  http = await listen(t.app);
  user = await signUpClinic(t);
});

const postPaths = [
  "/api/auth/signup",
  "/api/auth/login",
  "/api/auth/refresh",
  "/api/auth/logout",
  "/api/vapi/webhook",
  "/api/vapi/tools",
  "/api/no-such-route",
];

describe("malformed and oversized bodies", () => {
  it("answers malformed JSON with 400 on every kind of route, never 5xx", async () => {
    for (const path of postPaths) {
      // Vapi webhooks parse their body only after the credential check (integrations/vapi/router.ts).
      const credential: Record<string, string> = path.startsWith("/api/vapi/") ? { "x-vapi-secret": t.config.vapiWebhookSecret } : {};
      for (const body of ['{"email": "a@b.com", "password": ', "{'single': 'quotes'}", "[1, 2,", "\u0000\u0001"]) {
        const res = await http.request("POST", path, { body, headers: { "content-type": "application/json", origin: TEST_ORIGIN, ...credential } });
        expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
        expect(res.body.error).toMatchObject({ code: "invalid_json", message: "The request body is not valid JSON." });
        if (path.startsWith("/api/vapi/")) {
          // Without the credential the body is never parsed: a bare 401.
          const anonymous = await http.request("POST", path, { body, headers: { "content-type": "application/json" } });
          expect(anonymous.status).toBe(401);
        }
      }
    }
  });

  it("answers bodies over the limit with 413 (200 kB for the dashboard, 2 MB for Vapi webhooks)", async () => {
    const big = (bytes: number) => JSON.stringify({ email: "a@b.com", password: "x".repeat(bytes) });
    for (const path of ["/api/auth/login", "/api/auth/signup", "/api/auth/refresh"]) {
      const res = await http.request("POST", path, { body: big(300_000), headers: { origin: TEST_ORIGIN } });
      expect(res.status, path).toBe(413);
      expect(res.body.error.code).toBe("payload_too_large");
    }
    const webhook = await http.request("POST", "/api/vapi/webhook", { body: big(3_000_000) });
    expect(webhook.status).toBe(413);
    // A long transcript under 2 MB is not refused for its size.
    const transcript = await http.request("POST", "/api/vapi/webhook", { body: big(1_000_000) });
    expect(transcript.status).not.toBe(413);
    expect(transcript.status).toBeLessThan(500);
  });

  it("answers other content types and encodings with 4xx, never 5xx", async () => {
    const cases: Array<[string, string]> = [
      ["text/plain", "email=a@b.com"],
      ["application/x-www-form-urlencoded", "email=a%40b.com&password=x"],
      ["application/json; charset=utf-16", '{"email":"a@b.com"}'],
      ["application/xml", "<login/>"],
    ];
    for (const [type, body] of cases) {
      const res = await http.request("POST", "/api/auth/login", { body, headers: { "content-type": type, origin: TEST_ORIGIN } });
      expect(res.status, type).toBeGreaterThanOrEqual(400);
      expect(res.status, type).toBeLessThan(500);
    }
  });
});

/** Bodies that are wrong in every way a client (or an attacker) can get them wrong. */
function fuzzBodies(): unknown[] {
  let deep: unknown = { leaf: true };
  for (let i = 0; i < 200; i++) deep = { nested: deep };
  const wrongTypes = Object.fromEntries(
    ["email", "password", "clinicName", "name", "phone", "id", "orgId", "startsAt", "date", "price", "limit", "message", "refreshToken"].map((k, i) => [
      k,
      [42, true, null, [], {}, -1, 1e308, "🙂".repeat(5000)][i % 8],
    ]),
  );
  return [
    [],
    null,
    "just a string",
    12345,
    true,
    {},
    deep,
    wrongTypes,
    JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"polluted": 1}}}'),
    { email: "x".repeat(10_000), password: "y".repeat(10_000) },
    Array.from({ length: 5000 }, (_, i) => i),
  ];
}

function fillPath(path: string, value: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, () => encodeURIComponent(value));
}

describe("fuzzed requests on every route in the contract registry", () => {
  it("never produce a 5xx", async () => {
    const routes: RouteDef[] = allRoutes();
    expect(routes.length).toBeGreaterThan(0);
    const failures: string[] = [];
    const send = async (method: string, path: string, body: unknown, headers: Record<string, string>) => {
      const res = await http.request(method.toUpperCase(), path, {
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: { "content-type": "application/json", ...headers },
      });
      if (res.status >= 500) failures.push(`${method.toUpperCase()} ${path} ${JSON.stringify(body)?.slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`);
    };
    // Logout last: it would end the session the other requests use.
    const ordered = [...routes].sort((a, b) => Number(a.path === "/api/auth/logout") - Number(b.path === "/api/auth/logout"));
    for (const route of ordered) {
      const auth = { ...user.bearer, origin: TEST_ORIGIN };
      for (const param of [randomUUID(), "not-a-uuid", "../../etc/passwd", "%00"]) {
        const path = fillPath(route.path, param);
        if (route.method === "get" || route.method === "delete") {
          for (const qs of ["", "?limit=abc&page=-1&from=yesterday&q=%27%3B--", "?limit=999999999&sort[$gt]=1&a[]=1&a[]=2"]) {
            await send(route.method, path + qs, undefined, auth);
          }
          if (route.method === "get") continue;
        }
        for (const body of fuzzBodies()) await send(route.method, path, body, auth);
        if (!route.path.includes(":")) break; // one pass is enough without path params
      }
    }
    expect(failures).toEqual([]);
    // Every route of the registry, many bodies each: slow on a busy machine, never a hang.
  }, 180_000);
});

describe("security headers and CORS", () => {
  it("sends helmet's headers and no x-powered-by", async () => {
    const res = await http.request("GET", "/healthz");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("allows credentialed CORS only for the dashboard origins", async () => {
    const allowed = await http.request("OPTIONS", "/api/auth/login", {
      headers: { origin: TEST_ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(TEST_ORIGIN);
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    const foreign = await http.request("OPTIONS", "/api/auth/login", {
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("logs", () => {
  it("never contain a password, an access or refresh token, a JWT, a password hash or the signing secret", async () => {
    const app = await createTestApp();
    const s = await listen(app.app);
    const password = "Very-Secret-Passphrase-91";
    const wrongPassword = "Wrong-Guess-Passphrase-17";
    const owner = await signUpOverHttp(s, { password, fullName: "Log Tester" });
    const tokens = [owner.cookies.access, owner.cookies.refresh];

    await s.request("POST", "/api/auth/signup", { body: { email: owner.email, password, clinicName: "Dupe" }, headers: { origin: TEST_ORIGIN } });
    await s.request("POST", "/api/auth/signup", { body: { email: "bad", password: "short" }, headers: { origin: TEST_ORIGIN } });
    await s.request("POST", "/api/auth/login", { body: { email: owner.email, password: wrongPassword }, headers: { origin: TEST_ORIGIN } });
    await s.request("POST", "/api/auth/login", { body: `{"email":"${owner.email}","password":"${password}"`, headers: { origin: TEST_ORIGIN } });
    const login = await s.request("POST", "/api/auth/login?mode=bearer", { body: { email: owner.email, password } });
    tokens.push(login.body.accessToken, login.body.refreshToken);
    const refreshed = await s.request("POST", "/api/auth/refresh?mode=bearer", { body: { refreshToken: login.body.refreshToken } });
    tokens.push(refreshed.body.accessToken, refreshed.body.refreshToken);
    await s.request("POST", "/api/auth/refresh?mode=bearer", { body: { refreshToken: login.body.refreshToken } }); // replay → 401
    await s.request("POST", "/api/auth/refresh", { body: { refreshToken: refreshed.body.refreshToken } }); // not bearer mode → 400
    const cookieRefresh = await s.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders({ refresh: owner.cookies.refresh }) });
    tokens.push(parseSetCookies(cookieRefresh.headers)[ACCESS_COOKIE]!.value, parseSetCookies(cookieRefresh.headers)[REFRESH_COOKIE]!.value);
    await s.request("POST", "/api/auth/password", {
      body: { currentPassword: wrongPassword, newPassword: wrongPassword },
      headers: browserHeaders(owner.cookies),
    });
    await s.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${refreshed.body.accessToken}` } });
    await s.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${owner.cookies.access}x` } });
    await s.request("GET", "/api/auth/me", { headers: { cookie: `vox_access=${owner.cookies.access}` } });
    await s.request("POST", "/api/auth/logout", { headers: browserHeaders({ access: refreshed.body.accessToken }, null) }); // 403
    await s.request("POST", "/api/auth/logout", { headers: browserHeaders({ access: refreshed.body.accessToken }) });
    await s.request("GET", "/api/auth/me", { headers: { authorization: `Bearer ${refreshed.body.accessToken}` } }); // revoked → 401

    const logs = app.logs.text();
    expect(logs).toContain("/api/auth/login"); // the requests were logged…
    expect(logs).toContain('"statusCode":401');
    for (const secret of [password, wrongPassword, ...tokens, app.config.jwtSecret]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(logs.includes(secret), `log leaked ${secret.slice(0, 12)}…`).toBe(false);
    }
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(logs).not.toMatch(/\$2[aby]\$\d\d\$/);
    expect(logs).not.toContain(TEST_PASSWORD);
  });
});

describe("caching", () => {
  it("every /api answer says Cache-Control: no-store (patient data, sessions), except the public OpenAPI document", async () => {
    const owner = await signUpOverHttp(http);
    // Its own user: the fuzz test above signs `user` out at the end.
    const member = await signUpClinic(t);
    const answers = [
      await http.request("GET", "/api/auth/me", { headers: browserHeaders(owner.cookies) }),
      await http.request("GET", "/api/auth/me"),
      await http.request("POST", "/api/auth/login", { body: { email: owner.email, password: owner.password }, headers: { origin: TEST_ORIGIN } }),
      await http.request("POST", "/api/auth/refresh", { body: {}, headers: browserHeaders(owner.cookies) }),
      await http.request("GET", "/api/calls-dashboard", { headers: member.bearer }),
      await http.request("GET", "/api/dashboard/stats", { headers: member.bearer }),
      await http.request("GET", "/API/CALLS-DASHBOARD", { headers: member.bearer }),
      await http.request("POST", "/api/ws/ticket", { headers: member.bearer }),
      await http.request("GET", "/api/no-such-route"),
    ];
    for (const res of answers) expect(res.headers.get("cache-control"), `${res.status} ${res.text.slice(0, 80)}`).toBe("no-store");
    expect(answers[0]!.status).toBe(200);
    expect(answers[4]!.status).toBe(200);
    expect((await http.request("GET", "/api/openapi.json")).headers.get("cache-control")).toBeNull();
  });
});

describe("system endpoints", () => {
  it("/healthz is 200 and /readyz is 200 with every migration applied", async () => {
    expect((await http.request("GET", "/healthz")).body).toEqual({ status: "ok" });
    const ready = await http.request("GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "ready", database: "up", migrations: { applied: listMigrations().length, pending: [] } });
  });

  it("/api/openapi.json lists the auth routes with their schemas", async () => {
    const res = await http.request("GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    const paths = res.body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(["/api/auth/signup", "/api/auth/login", "/api/auth/logout", "/api/auth/refresh", "/api/auth/me", "/api/auth/password"]),
    );
    expect(Object.keys(paths["/api/auth/signup"].post.responses)).toContain("201");
    expect(paths["/api/auth/signup"].post.requestBody.content["application/json"].schema.required).toEqual(
      expect.arrayContaining(["email", "password", "clinicName"]),
    );
    expect(paths["/api/auth/me"].get.security).toBeDefined();
  });
});
