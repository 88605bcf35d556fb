import { beforeAll, describe, expect, it } from "vitest";
import type { DashboardStats } from "@voxanne/contracts";
import { createTestApp, type TestApp } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";
import { TestClock } from "./helpers/vapi";

// Friday 20 November 2026, 11:00 in New York (16:00 UTC).
const NOW = new Date("2026-11-20T16:00:00Z");
const clock = new TestClock(NOW);

let t: TestApp;
let http: TestHttp;
let a: TestUser;
let b: TestUser;

async function call(
  org: string,
  id: string,
  startedAt: string,
  o: {
    direction?: string;
    booked?: boolean;
    value?: number;
    duration?: number | null;
    status?: string;
    sentiment?: string | null;
    hot?: boolean;
    emergency?: boolean;
    contact?: string;
  } = {},
) {
  await t.admin.query(
    `insert into call_logs (org_id, vapi_call_id, direction, status, from_number, started_at, ended_at, duration_seconds, booking_confirmed,
                            financial_value, sentiment_label, lead_temperature, is_emergency, contact_id, service_interests)
     values ($1, $2, $3, $4, '+12125550123', $5::timestamptz, case when $4 = 'ended' then $5::timestamptz + interval '2 minutes' end, $6, $7, $8, $9, $10, $11, $12, '{Botox}')`,
    [
      org,
      id,
      o.direction ?? "inbound",
      o.status ?? "ended",
      startedAt,
      o.duration === undefined ? 120 : o.duration,
      o.booked ?? false,
      o.value ?? 0,
      o.sentiment === undefined ? "neutral" : o.sentiment,
      o.hot ? "hot" : "warm",
      o.emergency ?? false,
      o.contact ?? null,
    ],
  );
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  http = await listen(t.app);
  a = await signUpClinic(t, { clinicName: "Stats A", timezone: "America/New_York" });
  b = await signUpClinic(t, { clinicName: "Stats B", timezone: "America/New_York" });
  const maria = (await t.admin.query("insert into contacts (org_id, phone, name) values ($1, '+12125550111', 'Maria Lopez') returning id", [a.orgId])).rows[0]
    .id;

  // Today (NY): 4 inbound (2 booked), 1 outbound (booked), 1 live.
  await call(a.orgId, "t1", "2026-11-20T14:05:00Z", { booked: true, value: 400, duration: 100, sentiment: "positive", contact: maria });
  await call(a.orgId, "t2", "2026-11-20T14:30:00Z", { booked: true, value: 8000, duration: 200, sentiment: "positive" });
  await call(a.orgId, "t3", "2026-11-20T15:00:00Z", { value: 6000, duration: 300, sentiment: "negative", hot: true });
  await call(a.orgId, "t4", "2026-11-20T15:10:00Z", { duration: 6, sentiment: "neutral" });
  await call(a.orgId, "t5", "2026-11-20T15:20:00Z", { direction: "outbound", booked: true, value: 150, duration: 60 });
  await call(a.orgId, "t-live", "2026-11-20T15:58:00Z", { status: "in-progress", duration: null, sentiment: null });
  // 04:30 UTC today is still yesterday evening in New York: not "today".
  await call(a.orgId, "y1", "2026-11-20T04:30:00Z", { value: 500, duration: 90, emergency: true });
  // Five days ago, and forty days ago (outside 30d).
  await call(a.orgId, "d5", "2026-11-15T18:00:00Z", { booked: true, value: 400, duration: 80 });
  await call(a.orgId, "d40", "2026-10-11T18:00:00Z", { value: 5000, duration: 80 });
  // A cancellation shows up in the activity feed.
  await t.admin.query(
    `insert into appointments (org_id, contact_id, starts_at, ends_at, status, cancelled_at, source)
     values ($1, $2, '2026-11-25T15:00:00Z', '2026-11-25T15:30:00Z', 'cancelled', '2026-11-20T15:30:00Z', 'dashboard')`,
    [a.orgId, maria],
  );
  // Org B's calls must never count for A.
  for (let i = 0; i < 5; i++) await call(b.orgId, `b${i}`, "2026-11-20T15:00:00Z", { booked: true, value: 99999 });
});

const stats = (query = "", user = a) => http.request<DashboardStats>("GET", `/api/dashboard/stats${query}`, { headers: user.bearer });

describe("GET /api/dashboard/stats", () => {
  it("today: totals, success rate = booked inbound ÷ inbound, pipeline value, average duration, live calls", async () => {
    const res = await stats("?range=today");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      range: { from: "2026-11-20T05:00:00.000Z", to: NOW.toISOString(), timezone: "America/New_York" },
      totalCalls: 6,
      inboundCalls: 5,
      outboundCalls: 1,
      bookedCalls: 3,
      successRate: 40, // 2 booked of 5 inbound
      pipelineValue: 14550,
      averageDurationSeconds: Math.round((100 + 200 + 300 + 6 + 60) / 5),
      liveCalls: 1,
      hotLeads: 1,
      emergencies: 0,
      sentiment: { positive: 2, neutral: 2, negative: 1 },
    });
    expect(res.body.daily).toEqual([{ day: "2026-11-20", calls: 6, inbound: 5, outbound: 1, booked: 3, value: 14550 }]);
  });

  it("7 and 30 days: zero-filled daily series in the clinic's days; older calls excluded", async () => {
    const week = (await stats("?range=7d")).body;
    expect(week.daily.map((d) => d.day)).toEqual(["2026-11-14", "2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"]);
    expect(week.daily.find((d) => d.day === "2026-11-19")).toMatchObject({ calls: 1, value: 500 });
    expect(week.daily.find((d) => d.day === "2026-11-16")).toMatchObject({ calls: 0, value: 0 });
    expect(week.totalCalls).toBe(8);
    expect(week.emergencies).toBe(1);

    const month = (await stats()).body; // 30d is the default
    expect(month.daily).toHaveLength(30);
    expect(month.totalCalls).toBe(8);
    expect(month.pipelineValue).toBe(14550 + 500 + 400);
    const custom = (await stats(`?from=${encodeURIComponent("2026-10-01T00:00:00Z")}&to=${encodeURIComponent("2026-11-21T00:00:00Z")}`)).body;
    expect(custom.totalCalls).toBe(9);
  });

  it("recent activity: the last 10 events, newest first, in words", async () => {
    const { recentActivity } = (await stats()).body;
    expect(recentActivity).toHaveLength(10);
    const times = recentActivity.map((i) => Date.parse(i.at));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(recentActivity[0]).toMatchObject({ kind: "call_live", callId: expect.any(String) });
    expect(recentActivity.find((i) => i.kind === "appointment_cancelled")).toMatchObject({ title: "Maria Lopez cancelled an appointment", callId: null });
    expect(recentActivity.find((i) => i.title === "Maria Lopez booked Botox")).toMatchObject({ kind: "call_booked", value: 400 });
    expect(recentActivity.some((i) => i.kind === "call_missed")).toBe(true);
    expect(recentActivity.some((i) => i.kind === "hot_lead")).toBe(true);
  });

  it("another org sees only its own numbers", async () => {
    const res = await stats("?range=today", b);
    expect(res.body).toMatchObject({ totalCalls: 5, bookedCalls: 5, successRate: 100, pipelineValue: 5 * 99999 });
    expect(res.body.recentActivity.every((i) => i.value === 99999)).toBe(true);
  });

  it("rejects bad windows with a clear message; requires sign-in", async () => {
    for (const [q, msg] of [
      ["?range=1y", "range"],
      [`?from=${encodeURIComponent("2026-11-01T00:00:00Z")}`, "Give both from and to"],
      [`?from=${encodeURIComponent("2020-01-01T00:00:00Z")}&to=${encodeURIComponent("2026-01-01T00:00:00Z")}`, "at most 400 days"],
    ] as const) {
      const res = await stats(q);
      expect(res.status, q).toBe(400);
      expect((res.body as unknown as { error: { message: string } }).error.message).toContain(msg);
    }
    expect((await http.request("GET", "/api/dashboard/stats")).status).toBe(401);
  });
});
