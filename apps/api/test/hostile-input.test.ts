import { parseToolReply } from "@voxanne/contracts";
import { randomUUID } from "node:crypto";
import { allRoutes, type RouteDef } from "@voxanne/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeCursor } from "../src/modules/calls/service";
import { createTestApp, TEST_ORIGIN } from "./helpers/app";
import { signInUser, signUpClinic } from "./helpers/auth";
import { arbitraryFor, pathParam, toQueryString } from "./helpers/fuzz";
import { listen, type HttpResult } from "./helpers/http";
import { addVapiIdentity, toolCallsMessage } from "./helpers/vapi";

const t = await createTestApp();
const http = await listen(t.app);
const user = await signUpClinic(t);
// Logout ends its session on the server: fuzz it with a second session of the same user.
const logoutSession = await signInUser(t, user.email);
const identity = await addVapiIdentity(t.admin, user.orgId);
const RUNS = 50;

const isVapi = (path: string) => path.startsWith("/api/vapi/");
const headersFor = (path: string): Record<string, string> => ({
  "content-type": "application/json",
  origin: TEST_ORIGIN,
  ...(path.startsWith("/api/auth/logout") ? logoutSession.bearer : user.bearer),
  ...(isVapi(path) ? { "x-vapi-secret": t.config.vapiWebhookSecret } : {}),
});
const fillPath = (path: string, value: string) => path.replace(/:([A-Za-z0-9_]+)/g, () => encodeURIComponent(value));

/** A 4xx must say what was wrong; a 5xx is always a failure. */
function problem(res: HttpResult, path: string): string | null {
  if (res.status >= 500) return `${res.status} ${res.text.slice(0, 300)}`;
  if (res.status >= 400 && !(typeof res.body?.error?.message === "string" && res.body.error.message.length > 0)) {
    return `${res.status} without a message: ${res.text.slice(0, 200)}`;
  }
  if (isVapi(path) && res.status !== 200 && res.status !== 400) return `Vapi answered ${res.status}`;
  return null;
}

describe("property-based fuzzing of every route in the contract registry (signed in)", () => {
  // Logout last: the others keep using the session.
  const routes = [...allRoutes()].sort((a, b) => Number(a.path === "/api/auth/logout") - Number(b.path === "/api/auth/logout"));

  it("covers every route", () => {
    expect(routes.length).toBeGreaterThanOrEqual(12);
  });

  for (const route of routes as RouteDef[]) {
    it(`${route.method.toUpperCase()} ${route.path}: ${RUNS} generated requests, zero 5xx`, async () => {
      const query = route.query ? arbitraryFor(route.query) : fc.constant(undefined);
      // Routes without a body schema still get one: junk must not hurt them either.
      const body = route.body ? arbitraryFor(route.body) : fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }));
      await fc.assert(
        fc.asyncProperty(pathParam, query, body, async (param, q, b) => {
          const path = fillPath(route.path, param) + (route.query ? toQueryString(q) : "");
          const sendsBody = route.method !== "get" && b !== undefined;
          const res = await http.request(route.method.toUpperCase(), path, { body: sendsBody ? JSON.stringify(b) : undefined, headers: headersFor(path) });
          const bad = problem(res, route.path);
          if (bad) throw new Error(`${route.method.toUpperCase()} ${path} ${sendsBody ? JSON.stringify(b).slice(0, 200) : ""} → ${bad}`);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    });
  }
});

const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
const deepArray = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("hand-written hostile requests: each a 4xx with a message, never a 5xx", () => {
  const cases: Array<[string, string, unknown?]> = [
    // NUL bytes in JSON strings
    ["POST", "/api/auth/login", { email: "a\u0000@example.com", password: "pass\u0000word" }],
    ["POST", "/api/auth/signup", { email: "nul@example.com", password: "pass\u0000word12", clinicName: "Clinic\u0000" }],
    ["POST", "/api/auth/signup", { email: "nul2@example.com", password: "password12", clinicName: "Clinic", timezone: "America/New_York\u0000" }],
    ["POST", "/api/auth/refresh", { refreshToken: "abcdefghij\u0000klmnop" }],
    // NUL bytes in query strings and path ids
    ["GET", "/api/calls-dashboard?q=%00"],
    ["GET", "/api/calls-dashboard?q=abc%00def"],
    ["GET", "/api/calls-dashboard?cursor=%00"],
    ["GET", "/api/calls-dashboard?from=2026-01-01T00:00:00Z%00&to=2026-02-01T00:00:00Z"],
    ["GET", "/api/dashboard/stats?range=7d%00"],
    ["GET", "/api/calls-dashboard/%00"],
    ["GET", `/api/calls-dashboard/${randomUUID()}%00`],
    // Out-of-range and impossible dates, year 0000
    ["GET", "/api/calls-dashboard?from=0000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z"],
    ["GET", "/api/calls-dashboard?from=0000-02-29T00:00:00Z"],
    ["GET", "/api/calls-dashboard?to=0000-12-31T23:59:59%2B14:00"],
    ["GET", "/api/calls-dashboard?from=2026-02-30T00:00:00Z"],
    ["GET", "/api/calls-dashboard?from=275760-09-13T00:00:00Z"],
    ["GET", "/api/dashboard/stats?from=0000-01-01T00:00:00Z&to=0000-06-01T00:00:00Z"],
    ["GET", "/api/dashboard/stats?from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z"],
    ["GET", "/api/dashboard/stats?from=2026-13-01T00:00:00Z&to=2026-14-01T00:00:00Z"],
    // Numbers far out of range
    ["GET", "/api/calls-dashboard?limit=1e20"],
    ["GET", "/api/calls-dashboard?limit=-1e20"],
    ["GET", "/api/calls-dashboard?limit=100000000000000000000000000"],
    ["GET", "/api/dashboard/stats?range=1e20"],
    // Over-long ids
    ["GET", `/api/calls-dashboard/${"a".repeat(5000)}`],
    ["GET", `/api/calls-dashboard/${randomUUID()}${"0".repeat(5000)}`],
    // Forged cursors
    ["GET", `/api/calls-dashboard?cursor=${cursorOf(["9999-99-99 99:99:99+00", randomUUID()])}`],
    ["GET", `/api/calls-dashboard?cursor=${cursorOf(["2026-02-30 10:00:00+00", randomUUID()])}`],
    ["GET", `/api/calls-dashboard?cursor=${cursorOf(["0000-01-01 00:00:00+00", randomUUID()])}`],
    ["GET", `/api/calls-dashboard?cursor=${cursorOf(["2026-01-01 00:00:00+00", "-".repeat(36)])}`],
    ["GET", `/api/calls-dashboard?cursor=${cursorOf(["2026-01-01 00:00:00+00", "0".repeat(36)])}`],
    ["GET", `/api/calls-dashboard?cursor=${cursorOf(["2026-01-01 00:00:00+99:99", randomUUID()])}`],
    ["GET", `/api/calls-dashboard?cursor=${cursorOf(["2026-01-01 00:00:00\u0000+00", randomUUID()])}`],
    ["GET", `/api/calls-dashboard?cursor=${cursorOf([1, 2])}`],
    ["GET", `/api/calls-dashboard?cursor=${cursorOf({ startedAt: "2026-01-01", id: randomUUID() })}`],
    ["GET", "/api/calls-dashboard?cursor=bm90IGpzb24"],
  ];

  it.each(cases)("%s %s", async (method, path, body) => {
    const res = await http.request(method, path, { body: body === undefined ? undefined : JSON.stringify(body), headers: headersFor(path) });
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.status, res.text).toBeLessThan(500);
    expect(res.body.error.message.length).toBeGreaterThan(0);
  });

  it("a cursor this API issued still works", async () => {
    const res = await http.request("GET", `/api/calls-dashboard?cursor=${encodeCursor("2026-01-01 10:00:00.123456+00", randomUUID())}`, {
      headers: headersFor("/"),
    });
    expect(res.status).toBe(200);
  });

  it("20,000-deep JSON bodies on every POST route", async () => {
    const posts = allRoutes().filter((r) => r.method === "post");
    for (const route of posts) {
      for (const body of [deepJson(20_000), deepArray(20_000), `{"email":${deepArray(20_000)},"password":"x"}`]) {
        const res = await http.request("POST", route.path, { body, headers: headersFor(route.path) });
        const bad = problem(res, route.path);
        expect(bad, `${route.path} ${body.slice(0, 30)}`).toBeNull();
      }
    }
  });
});

describe("Vapi webhooks never answer 500 to a poison message", () => {
  const secret = t.config.vapiWebhookSecret;
  const postVapi = (body: unknown) =>
    http.request("POST", "/api/vapi/webhook", { body: typeof body === "string" ? body : JSON.stringify(body), headers: { "x-vapi-secret": secret } });
  const callRow = async (id: string) => (await t.admin.query("select * from call_logs where vapi_call_id = $1", [id])).rows[0];
  // Built as text: JSON.stringify itself would overflow the stack on it.
  const withDeep = (body: unknown) => JSON.stringify(body).replace('"__DEEP__"', deepJson(5000));

  it("an end-of-call report with NUL bytes, absurd times and cost, a huge array and deep structured data: valid parts stored, 200", async () => {
    const messages = [
      { role: "user", message: "Hi\u0000, I'd like Botox.", secondsFromStart: 1e20 },
      ...Array.from({ length: 50_000 }, (_, i) => ({ role: i % 2 ? "bot" : "user", message: `turn ${i}` })),
    ];
    const res = await postVapi(
      withDeep({
        message: {
          type: "end-of-call-report",
          endedReason: "customer-ended-call\u0000",
          startedAt: 1e20,
          endedAt: "0000-01-01T00:00:00Z",
          timestamp: -1e20,
          cost: 1e20,
          durationSeconds: 1e20,
          call: { id: "poison-report-1", type: "inboundPhoneCall", assistantId: identity.assistantId, customer: { number: "+12125550177", name: "Ana\u0000" } },
          artifact: { transcript: "User: Hi\u0000, I'd like Botox.\nAI: Sure.", messages },
          analysis: { summary: "Caller\u0000 asked about Botox.", structuredData: "__DEEP__" },
        },
      }),
    );
    expect(res.status).toBe(200);
    const row = await callRow("poison-report-1");
    expect(row.transcript).toBe("User: Hi, I'd like Botox.\nAI: Sure.");
    expect(row.summary).toBe("Caller asked about Botox.");
    expect(row.ended_reason).toBe("customer-ended-call");
    expect(row.cost).toBeNull();
    expect(row.duration_seconds).toBe(0);
    expect(row.messages).toHaveLength(5000);
    expect(row.messages[0]).toMatchObject({ role: "user", text: "Hi, I'd like Botox.", secondsFromStart: null });
    expect(t.logs.text()).toContain("vapi webhook body repaired");
  });

  it("a call id longer than call_logs allows: 200, nothing stored", async () => {
    const id = `x${"y".repeat(400)}`;
    const res = await postVapi({
      message: { type: "end-of-call-report", call: { id, assistantId: identity.assistantId }, artifact: { transcript: "User: hi" } },
    });
    expect(res.status).toBe(200);
    const status = await postVapi({ message: { type: "status-update", status: "ringing", call: { id, assistantId: identity.assistantId } } });
    expect(status.status).toBe(200);
    expect((await t.admin.query("select count(*)::int as n from call_logs where length(vapi_call_id) > 200")).rows[0].n).toBe(0);
  });

  it("an end before the start: both dropped, the report stored", async () => {
    const res = await postVapi({
      message: {
        type: "end-of-call-report",
        startedAt: "2026-12-01T15:00:00Z",
        endedAt: "2026-12-01T14:00:00Z",
        call: { id: "poison-report-2", assistantId: identity.assistantId },
        artifact: { transcript: "User: hi" },
      },
    });
    expect(res.status).toBe(200);
    expect((await callRow("poison-report-2")).transcript).toBe("User: hi");
  });

  it("a report PostgreSQL refuses every time (its call started in 2099): logged, answered 200, not retried", async () => {
    const status = await postVapi({
      message: {
        type: "status-update",
        status: "in-progress",
        timestamp: "2099-01-01T00:00:00Z",
        call: { id: "poison-report-3", assistantId: identity.assistantId },
      },
    });
    expect(status.status).toBe(200);
    const res = await postVapi({
      message: { type: "end-of-call-report", endedAt: "2026-12-01T14:00:00Z", call: { id: "poison-report-3", assistantId: identity.assistantId } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(t.logs.text()).toContain("vapi message failed and would fail again: answered 200, not retried");
    expect((await callRow("poison-report-3")).report_received_at).toBeNull();
  });

  it("status updates with NUL bytes and absurd timestamps: 200, stored without them", async () => {
    const res = await postVapi({
      message: {
        type: "status-update",
        status: "ringing",
        timestamp: 1e20,
        call: { id: "poison\u0000-status", assistantId: identity.assistantId, startedAt: "0000-01-01" },
      },
    });
    expect(res.status).toBe(200);
    const row = await callRow("poison-status");
    expect(row.status).toBe("ringing");
  });

  it("tool calls with NUL bytes and 5,000-deep arguments still get a speakable answer", async () => {
    const { body, ids } = toolCallsMessage(identity, [
      { name: "getServicePrice", args: { service: "bo\u0000tox" } },
      { name: "lookupCaller", args: { deep: "__DEEP__" } },
    ]);
    const res = await http.request("POST", "/api/vapi/tools", { body: withDeep(body), headers: { "x-vapi-secret": secret } });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { toolCallId: string }) => r.toolCallId)).toEqual(ids);
    expect(parseToolReply(res.body.results[0].result).say).toBe("Botox costs $400, and a botox consultation takes about half an hour.");
    expect(typeof (res.body.results[1].result ?? res.body.results[1].error)).toBe("string");
  });

  it("a 20,000-deep body answers 200", async () => {
    for (const body of [deepJson(20_000), `{"message":${deepJson(20_000)}}`, `{"message":{"type":"end-of-call-report","call":${deepJson(20_000)}}}`]) {
      const res = await postVapi(body);
      expect(res.status, body.slice(0, 40)).toBe(200);
    }
  });
});
