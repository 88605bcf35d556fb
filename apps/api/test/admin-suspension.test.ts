import { AgentSettings, Ok, allRoutes, defineRoute } from "@voxanne/contracts";
import express, { Router } from "express";
import { z } from "zod";
import { beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "../src/http/auth-middleware";
import { errorHandler } from "../src/http/errors";
import { mount } from "../src/http/route";
import { createTestApp, type TestApp } from "./helpers/app";
import { addTeamMember, signInUser, signUpClinic, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";
import { TestClock, addVapiIdentity, callTools, toolCallsMessage, type VapiIdentity } from "./helpers/vapi";

// Wednesday 10 December 2026, 10:00 in New York.
const clock = new TestClock(new Date("2026-12-10T15:00:00Z"));
let t: TestApp;
let http: TestHttp;
let owner: TestUser;
let staff: TestUser;
let operator: TestUser;
let identity: VapiIdentity;
const REASON = "Unpaid invoice INV-2291 (30 days overdue)";

beforeAll(async () => {
  t = await createTestApp({ clock });
  http = await listen(t.app);
  owner = await signUpClinic(t, { clinicName: "Harbour Dental", timezone: "America/New_York" });
  staff = await addTeamMember(t, owner.orgId, { role: "staff" });
  identity = await addVapiIdentity(t.admin, owner.orgId);
  // An operator is a Voxanne employee with their own (internal) org; the flag reaches the token at sign-in.
  const internal = await signUpClinic(t, { clinicName: "Voxanne Operations" });
  await t.admin.query("update profiles set is_operator = true where user_id = $1", [internal.userId]);
  operator = await signInUser(t, internal.email);
});

const book = (name: string, start: string) =>
  callTools(http, t.config.vapiWebhookSecret, toolCallsMessage(identity, [{ name: "bookClinicAppointment", args: { name, start } }]).body);
const appointments = async () => (await t.admin.query("select count(*)::int as n from appointments where org_id = $1", [owner.orgId])).rows[0].n as number;
const saveAgent = (user: TestUser) =>
  http.request("PUT", "/api/agents/inbound", { headers: user.bearer, body: { ...(agentSettings as object), name: "Robin" } });
let agentSettings: unknown;

describe("platform admin: operators only", () => {
  it("refuses every admin route to each clinic role with 403 operator_only", async () => {
    const adminRoutes = allRoutes().filter((r) => r.path.startsWith("/api/admin"));
    expect(adminRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        "get /api/admin/clinics",
        "get /api/admin/clinics/:orgId",
        "get /api/admin/usage.csv",
        "post /api/admin/clinics/:orgId/resume",
        "post /api/admin/clinics/:orgId/suspend",
      ].sort(),
    );
    for (const user of [owner, staff]) {
      for (const route of adminRoutes) {
        const res = await http.request(route.method.toUpperCase(), route.path.replace(":orgId", owner.orgId), {
          headers: user.bearer,
          body: route.method === "post" ? { reason: "trying" } : undefined,
        });
        expect(res.status, `${user.role} ${route.method} ${route.path}`).toBe(403);
        expect(res.body.error.code).toBe("operator_only");
      }
    }
    const clinic = await t.admin.query("select status from organizations where id = $1", [owner.orgId]);
    expect(clinic.rows[0].status).toBe("active");
  });

  it("a suspension needs a reason a person wrote", async () => {
    const res = await http.request("POST", `/api/admin/clinics/${owner.orgId}/suspend`, { headers: operator.bearer, body: { reason: " " } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/reason/);
  });
});

describe("suspension", () => {
  it("a suspended clinic's calls hear the unavailable line and book nothing; its dashboard is read-only with the reason; resume restores both", async () => {
    agentSettings = AgentSettings.parse((await http.request("GET", "/api/agents/inbound", { headers: owner.bearer })).body.agent);
    const saved = await saveAgent(owner);
    expect(saved.status, saved.text).toBe(200);

    const suspended = await http.request("POST", `/api/admin/clinics/${owner.orgId}/suspend`, { headers: operator.bearer, body: { reason: REASON } });
    expect(suspended.status, suspended.text).toBe(200);
    expect(suspended.body).toMatchObject({ id: owner.orgId, status: "suspended", suspendedReason: REASON });
    expect(suspended.body.auditEvents[0]).toMatchObject({ action: "organization.suspended", actorType: "operator", data: { reason: REASON } });

    // The phone: one polite line, nothing booked.
    const call = await book("Ada Lovelace", "2026-12-14T10:00:00-05:00");
    expect(call.status).toBe(200);
    expect(JSON.parse(call.body.results[0].error).say).toBe("Sorry, this clinic's phone assistant is unavailable right now. Please call back later.");
    expect(await appointments()).toBe(0);

    // The dashboard: reads work, writes are refused with the reason.
    expect((await http.request("GET", "/api/agents/inbound", { headers: owner.bearer })).status).toBe(200);
    const me = await http.request("GET", "/api/auth/me", { headers: staff.bearer });
    expect(me.body.organization.status).toBe("suspended");
    const refused = await saveAgent(owner);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "clinic_suspended" });
    expect(refused.body.error.message).toContain(REASON);

    // Webhooks are still accepted: the end-of-call report of a call is stored and metered.
    const report = await http.request("POST", "/api/vapi/webhook", {
      headers: { "x-vapi-secret": t.config.vapiWebhookSecret },
      body: endOfCall("while-suspended", "2026-12-10T14:00:00.000Z", 60, 0.05),
    });
    expect(report.status).toBe(200);
    expect((await t.admin.query("select count(*)::int as n from call_logs where vapi_call_id = 'while-suspended'")).rows[0].n).toBe(1);

    const resumed = await http.request("POST", `/api/admin/clinics/${owner.orgId}/resume`, { headers: operator.bearer });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: "active", suspendedReason: null, suspendedAt: null });
    expect(resumed.body.auditEvents[0]).toMatchObject({ action: "organization.resumed", actorType: "operator" });
    expect((await saveAgent(owner)).status).toBe(200);
    const booked = await book("Ada Lovelace", "2026-12-14T10:00:00-05:00");
    expect(booked.body.results[0].result).toBeDefined();
    expect(await appointments()).toBe(1);
  });

  it("the database refuses a member's write to a suspended clinic, and the API answers it as a 403 with the reason", async () => {
    // A staff PATCH as every dashboard route runs it (asUser: RLS + triggers), without the HTTP guard in front.
    const patch = defineRoute({
      method: "patch",
      path: "/test/contacts/rename",
      tag: "test",
      summary: "Rename contacts",
      body: z.object({ name: z.string() }),
      response: Ok,
      access: ["owner", "admin", "staff"],
    });
    const probe = express();
    probe.use(express.json());
    probe.use(authenticate(t.deps.auth));
    const router = Router();
    mount(router, patch, async ({ auth, body }) => {
      await t.db.asUser(auth.claims, (db) => db.query("update contacts set name = $1 where org_id = $2 and phone = '+12125550111'", [body.name, auth.orgId]));
      return { ok: true as const };
    });
    probe.use(router);
    probe.use(errorHandler);
    const probeHttp = await listen(probe);
    await t.admin.query("insert into contacts (org_id, phone, name) values ($1, '+12125550111', 'Grace Hopper')", [owner.orgId]);

    await http.request("POST", `/api/admin/clinics/${owner.orgId}/suspend`, { headers: operator.bearer, body: { reason: REASON } });
    const refused = await probeHttp.request("PATCH", "/test/contacts/rename", { headers: staff.bearer, body: { name: "Renamed" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("clinic_suspended");
    expect(refused.body.error.message).toContain(REASON);
    expect((await t.admin.query("select name from contacts where org_id = $1 and phone = '+12125550111'", [owner.orgId])).rows).toEqual([
      { name: "Grace Hopper" },
    ]);

    await http.request("POST", `/api/admin/clinics/${owner.orgId}/resume`, { headers: operator.bearer });
    const allowed = await probeHttp.request("PATCH", "/test/contacts/rename", { headers: staff.bearer, body: { name: "Renamed" } });
    expect(allowed.status).toBe(200);
    expect((await t.admin.query("select name from contacts where org_id = $1 and phone = '+12125550111'", [owner.orgId])).rows).toEqual([{ name: "Renamed" }]);
  });

  it("every table a member can write refuses writes while the clinic is suspended (the trigger is on each)", async () => {
    const { rows } = await t.admin.query(`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
       where c.relkind = 'r' and (c.relname = 'organizations' or exists (
               select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped))
         and c.relname <> 'live_tickets'
         and not exists (select 1 from pg_trigger g join pg_proc p on p.oid = g.tgfoid
                          where g.tgrelid = c.oid and p.proname = 'refuse_writes_while_suspended')`);
    expect(rows.map((r) => r.relname)).toEqual([]);
  });

  it("the suspension trigger is skipped for server writes (WHEN on the role), and only for them", async () => {
    const { rows } = await t.admin.query(`
      select c.relname, pg_get_triggerdef(g.oid) as def from pg_trigger g join pg_class c on c.oid = g.tgrelid
       where g.tgfoid = 'public.refuse_writes_while_suspended()'::regprocedure and not g.tgisinternal`);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.filter((r) => !r.def.includes("FOR EACH ROW WHEN ((CURRENT_USER = 'authenticated'::name)) EXECUTE")).map((r) => r.relname)).toEqual([]);
  });
});

function endOfCall(id: string, startedAt: string, seconds: number, cost: number) {
  return {
    message: {
      type: "end-of-call-report",
      endedReason: "customer-ended-call",
      startedAt,
      endedAt: new Date(Date.parse(startedAt) + seconds * 1000).toISOString(),
      cost,
      call: { id, type: "inboundPhoneCall", assistantId: identity.assistantId, customer: { number: "+12125550123" } },
      artifact: { transcript: "User: Hello." },
    },
  };
}

describe("usage", () => {
  it("stays exact when every end-of-call report is delivered three times at once; the admin list and CSV show it", async () => {
    // Independent of the code: 12 calls on 9 December (New York), seconds 30, 60, …, 360; cost 0.0125 each.
    const calls = Array.from({ length: 12 }, (_, i) => ({ id: `usage-${i}`, seconds: 30 * (i + 1), cost: 0.0125 }));
    // Vapi redelivers an unanswered or failed report; a redelivery that meets the first one's lock
    // may be told to retry (500 + "retry later", modules/pipeline), and Vapi then retries it.
    const send = async (c: (typeof calls)[number]) => {
      for (let attempt = 0; ; attempt++) {
        const res = await http.request("POST", "/api/vapi/webhook", {
          headers: { "x-vapi-secret": t.config.vapiWebhookSecret },
          body: endOfCall(c.id, "2026-12-09T20:00:00.000Z", c.seconds, c.cost),
        });
        if (res.status === 200 || attempt === 5) return res;
      }
    };
    const responses = await Promise.all([...calls, ...calls, ...calls].map(send));
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);

    const day = (
      await t.admin.query("select calls, seconds::int, minutes::text, cost::text from usage_daily where org_id = $1 and day = '2026-12-09'", [owner.orgId])
    ).rows[0];
    // 30 × (1 + … + 12) = 2340 s = 39 min; 12 × 0.0125 = 0.15.
    expect(day).toEqual({ calls: 12, seconds: 2340, minutes: "39.00", cost: "0.1500" });

    const list = await http.request("GET", "/api/admin/clinics", { headers: operator.bearer });
    expect(list.status).toBe(200);
    const clinic = list.body.clinics.find((c: { id: string }) => c.id === owner.orgId);
    // Today (10 Dec) holds the one call reported while suspended (60 s, 0.05); the month adds the 12.
    expect(clinic.today).toEqual({ calls: 1, minutes: 1, cost: 0.05 });
    expect(clinic.month).toEqual({ calls: 13, minutes: 40, cost: 0.2 });
    expect(clinic.lastCallAt).not.toBeNull();

    const csv = await http.request("GET", "/api/admin/usage.csv?month=2026-12", { headers: operator.bearer });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = csv.text
      .trim()
      .split("\n")
      .filter((l) => l.startsWith(owner.orgId) || l.startsWith("org_id"));
    expect(lines).toEqual([
      "org_id,clinic,day,calls,minutes,cost_usd",
      `${owner.orgId},Harbour Dental,2026-12-09,12,39.00,0.1500`,
      `${owner.orgId},Harbour Dental,2026-12-10,1,1.00,0.0500`,
    ]);
    const bad = await http.request("GET", "/api/admin/usage.csv?month=2026-13", { headers: operator.bearer });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/YYYY-MM/);
  });
});
