import { randomUUID } from "node:crypto";
import { allRoutes, defineRoute, needsSession, Ok, type Role, type RouteDef } from "@voxanne/contracts";
import express, { Router } from "express";
import { beforeAll, describe, expect, it } from "vitest";
import { authenticate, isWebhookPath } from "../src/http/auth-middleware";
import { errorHandler } from "../src/http/errors";
import { mount } from "../src/http/route";
import { createTestApp } from "./helpers/app";
import { addTeamMember, signInUser, signUpClinic, TEST_PASSWORD, uniqueEmail, type TestUser } from "./helpers/auth";
import { listen, type HttpResult } from "./helpers/http";

/**
 * Route access, generated from the route registry: every route × owner / admin / staff / signed
 * out. A role the route allows is never refused (401/403); any other role gets 403, and a signed-out
 * caller 401. A new route is covered the moment it is added to packages/contracts/src/routes.ts.
 */

const t = await createTestApp();
const http = await listen(t.app);

let members: Record<Role, TestUser>;

beforeAll(async () => {
  const owner = await signUpClinic(t, { clinicName: "Access Matrix Clinic" });
  members = {
    owner,
    admin: await addTeamMember(t, owner.orgId, { role: "admin" }),
    staff: await addTeamMember(t, owner.orgId, { role: "staff" }),
  };
});

type Actor = Role | "signed out";
const ACTORS: Actor[] = ["owner", "admin", "staff", "signed out"];

/**
 * Requests that get past validation on the routes that need one (a valid body, a live refresh
 * token). Routes not listed get an empty request: a 400 or 404 from the handler still proves the
 * caller was let in.
 */
const samples: Record<string, (session: TestUser) => { body?: unknown }> = {
  "POST /api/auth/signup": () => ({ body: { email: uniqueEmail("matrix"), password: TEST_PASSWORD, clinicName: "Matrix Clinic" } }),
  "POST /api/auth/login": (s) => ({ body: { email: s.email, password: TEST_PASSWORD } }),
  "POST /api/auth/refresh": (s) => ({ body: { refreshToken: s.refreshToken } }),
};

const key = (route: RouteDef) => `${route.method.toUpperCase()} ${route.path}`;

/** Sends `route` as `actor`, on a fresh session each time (so logout and refresh end nothing the other cases use). */
async function send(route: RouteDef, actor: Actor): Promise<HttpResult> {
  const session = await signInUser(t, members[actor === "signed out" ? "staff" : actor].email);
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, () => randomUUID());
  const sample = samples[key(route)]?.(session) ?? {};
  const headers = actor === "signed out" ? {} : session.bearer;
  return http.request(route.method.toUpperCase(), path, { body: sample.body ?? (route.method === "get" ? undefined : {}), headers });
}

/** What `actor` must get from `route`: let in, refused with 403, or asked to sign in (401). */
function expected(route: RouteDef, actor: Actor): "allowed" | 401 | 403 {
  if (!needsSession(route.access)) return "allowed";
  if (actor === "signed out") return 401;
  if (route.access === "operator") return 403; // none of these members is a platform operator
  return route.access.includes(actor) ? "allowed" : 403;
}

const sessionRoutes = allRoutes().filter((r) => r.access !== "webhook");

describe("every route × role (from the route registry)", () => {
  it("covers the registry", () => {
    expect(sessionRoutes.length).toBeGreaterThan(5);
  });

  for (const route of sessionRoutes) {
    it(`${key(route)} (${Array.isArray(route.access) ? route.access.join(", ") : route.access})`, async () => {
      for (const actor of ACTORS) {
        const res = await send(route, actor);
        const what = `${key(route)} as ${actor} → ${res.status} ${res.text.slice(0, 200)}`;
        // Declared and mounted: the app knows the route.
        expect(res.body?.error?.message ?? "", what).not.toMatch(/^No route for/);
        const want = expected(route, actor);
        if (want === "allowed") {
          expect([401, 403], what).not.toContain(res.status);
          expect(res.status, what).toBeLessThan(500);
        } else {
          expect(res.status, what).toBe(want);
          if (want === 403) expect(res.body.error.code, what).toBe(route.access === "operator" ? "operator_only" : "role_not_allowed");
        }
      }
    });
  }
});

describe("webhook routes", () => {
  it("live under the webhook paths, where sessions are never read, and only they do", () => {
    for (const route of allRoutes()) expect(isWebhookPath(route.path), key(route)).toBe(route.access === "webhook");
  });

  it("refuse a member's session as a credential", async () => {
    for (const route of allRoutes().filter((r) => r.access === "webhook")) {
      const res = await http.request(route.method.toUpperCase(), route.path, { body: { message: { type: "status-update" } }, headers: members.owner.bearer });
      expect(res.status, key(route)).toBe(401);
    }
  });
});

// mount() itself, with routes that only some roles may use (today's registry allows every member on
// every session route; the admin and owner routes are coming). Same middleware, real tokens.
const settings = defineRoute({
  method: "post",
  path: "/test/settings",
  tag: "test",
  summary: "Change the clinic's settings",
  response: Ok,
  access: ["owner", "admin"],
  action: "change the clinic's settings",
});
const transfer = defineRoute({ method: "post", path: "/test/transfer", tag: "test", summary: "Transfer ownership", response: Ok, access: ["owner"] });
const operatorRoute = defineRoute({
  method: "get",
  path: "/test/operator/:orgId",
  tag: "test",
  summary: "Inspect any clinic",
  response: Ok,
  access: "operator",
});

const seen: { role?: Role; operator?: boolean }[] = [];
const probe = express();
probe.use(express.json());
probe.use(authenticate(t.deps.auth));
const router = Router();
for (const route of [settings, transfer, operatorRoute]) {
  mount(router, route, async ({ auth }) => {
    seen.push({ role: auth.role, operator: auth.operator });
    return { ok: true as const };
  });
}
probe.use(router);
probe.use(errorHandler);
const probeHttp = await listen(probe);

describe("mount() enforces a route's roles", () => {
  it("lets the listed roles in and refuses the others with a sentence they can act on", async () => {
    const call = (route: RouteDef, user?: TestUser) =>
      probeHttp.request(route.method.toUpperCase(), route.path.replace(":orgId", randomUUID()), { headers: user?.bearer ?? {} });

    expect((await call(settings, members.owner)).status).toBe(200);
    expect((await call(settings, members.admin)).status).toBe(200);
    const staff = await call(settings, members.staff);
    expect(staff.status).toBe(403);
    expect(staff.body.error).toMatchObject({
      code: "role_not_allowed",
      message:
        "Only the clinic's owner or an admin can change the clinic's settings. You are signed in as staff: ask your clinic's owner or an admin to do it for you, or to give you the admin role.",
    });

    expect((await call(transfer, members.owner)).status).toBe(200);
    const admin = await call(transfer, members.admin);
    expect(admin.status).toBe(403);
    expect(admin.body.error.message).toBe(
      "Only the clinic's owner can use \"Transfer ownership\". You are signed in as an admin: ask your clinic's owner to do it for you.",
    );
    expect((await call(transfer, members.staff)).status).toBe(403);

    for (const route of [settings, transfer, operatorRoute]) {
      const signedOut = await call(route);
      expect(signedOut.status).toBe(401);
      expect(signedOut.body.error.code).toBe("unauthorized");
      const forged = await probeHttp.request(route.method.toUpperCase(), route.path.replace(":orgId", randomUUID()), {
        headers: { authorization: "Bearer not.a.token" },
      });
      expect(forged.status).toBe(401);
    }
  });

  it("refuses before it validates: a refused caller learns nothing about the input", async () => {
    const res = await probeHttp.request("GET", "/test/operator/not-a-uuid", { headers: members.owner.bearer });
    expect(res.status).toBe(403);
  });

  it("a role changed by the server (profiles.role) is carried by the next token", async () => {
    const demoted = await addTeamMember(t, members.owner.orgId, { role: "admin" });
    expect((await probeHttp.request("POST", settings.path, { headers: demoted.bearer })).status).toBe(200);
    await t.admin.query("update public.profiles set role = 'staff' where user_id = $1", [demoted.userId]);
    const again = await signInUser(t, demoted.email);
    expect(again.role).toBe("staff");
    expect((await probeHttp.request("POST", settings.path, { headers: again.bearer })).status).toBe(403);
  });
});

describe("the platform operator flag", () => {
  it("is off for clinic members, whatever their role, and on once the server sets profiles.is_operator", async () => {
    const path = `/test/operator/${randomUUID()}`;
    for (const role of ["owner", "admin", "staff"] as const) {
      const res = await probeHttp.request("GET", path, { headers: members[role].bearer });
      expect(res.status, role).toBe(403);
      expect(res.body.error).toMatchObject({ code: "operator_only", message: expect.stringMatching(/^Only Voxanne platform operators can use this\./) });
    }

    const user = await addTeamMember(t, members.owner.orgId, { role: "staff" });
    await t.admin.query("update public.profiles set is_operator = true where user_id = $1", [user.userId]);
    const operator = await signInUser(t, user.email);
    expect(operator.claims.app_metadata).toMatchObject({ operator: true, role: "staff" });
    seen.length = 0;
    expect((await probeHttp.request("GET", path, { headers: operator.bearer })).status).toBe(200);
    expect(seen).toEqual([{ role: "staff", operator: true }]);
    // Being an operator grants no clinic role: the owner-only route still refuses them.
    expect((await probeHttp.request("POST", transfer.path, { headers: operator.bearer })).status).toBe(403);
  });
});
