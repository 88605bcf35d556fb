import { beforeAll, describe, expect, it } from "vitest";
import type { CallDetail, CallListItem, CallsPage } from "@voxanne/contracts";
import { createTestApp, type TestApp } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";

let t: TestApp;
let http: TestHttp;
let a: TestUser;
let b: TestUser;
let maria: string;
let detailCallId: string;
let bCallId: string;

const BASE = Date.parse("2026-11-20T15:00:00Z");

type Seed = {
  org: string;
  id: string;
  minutesAgo: number;
  direction?: string;
  status?: string;
  sentiment?: string | null;
  booked?: boolean;
  duration?: number | null;
  contact?: string | null;
  transcript?: string;
  summary?: string;
  emergency?: boolean;
  transferTo?: string | null;
  endedReason?: string;
  from?: string;
};

async function seedCall(s: Seed): Promise<string> {
  const { rows } = await t.admin.query(
    `insert into call_logs (org_id, vapi_call_id, direction, status, from_number, to_number, started_at, ended_at, duration_seconds,
                            transcript, summary, sentiment_label, sentiment_score, booking_confirmed, financial_value, contact_id,
                            is_emergency, transfer_to, ended_reason, report_received_at, lead_score, lead_temperature)
     values ($1, $2, $3, $4, $5, '+12125550100', $6::timestamptz, case when $4 = 'ended' then $6::timestamptz + make_interval(secs => coalesce($7, 0)) end,
             $7, $8, $9, $10, case $10 when 'positive' then 0.6 when 'negative' then -0.6 when 'neutral' then 0 end, $11, case when $11 then 400 else 0 end,
             $12, $13, $14, $15, case when $4 = 'ended' then now() end, 50, 'warm')
     returning id`,
    [
      s.org,
      s.id,
      s.direction ?? "inbound",
      s.status ?? "ended",
      s.from ?? "+12125550999",
      new Date(BASE - s.minutesAgo * 60_000),
      s.duration === undefined ? 90 : s.duration,
      s.transcript ?? "User: Hello.",
      s.summary ?? null,
      s.sentiment === undefined ? "neutral" : s.sentiment,
      s.booked ?? false,
      s.contact ?? null,
      s.emergency ?? false,
      s.transferTo ?? null,
      s.endedReason ?? "customer-ended-call",
    ],
  );
  return rows[0].id;
}

beforeAll(async () => {
  t = await createTestApp();
  http = await listen(t.app);
  a = await signUpClinic(t, { clinicName: "Calls A" });
  b = await signUpClinic(t, { clinicName: "Calls B" });
  maria = (
    await t.admin.query(
      "insert into contacts (org_id, phone, name, lead_status, lead_score, lead_temperature) values ($1, '+12125550111', 'Maria Lopez', 'booked', 88, 'hot') returning id",
      [a.orgId],
    )
  ).rows[0].id;

  // 60 calls for A over ~10 days, with a mix of every filterable property.
  for (let i = 0; i < 60; i++) {
    await seedCall({
      org: a.orgId,
      id: `a-${i}`,
      minutesAgo: i * 240,
      direction: i % 5 === 0 ? "outbound" : "inbound",
      sentiment: ["positive", "neutral", "negative"][i % 3],
      booked: i % 4 === 0,
      duration: i % 7 === 0 ? 5 : 90 + i,
      from: `+1212555${String(1000 + i)}`,
    });
  }
  // Two calls at the same instant (the cursor must not skip or repeat either).
  await seedCall({ org: a.orgId, id: "a-tie-1", minutesAgo: 1000 });
  await seedCall({ org: a.orgId, id: "a-tie-2", minutesAgo: 1000 });
  await seedCall({ org: a.orgId, id: "a-live", minutesAgo: -1, status: "in-progress", duration: null, sentiment: null });
  detailCallId = await seedCall({
    org: a.orgId,
    id: "a-maria",
    minutesAgo: 30,
    contact: maria,
    booked: true,
    sentiment: "positive",
    summary: "Maria booked Botox for Tuesday.",
    transcript: "AI: Hello!\nUser: I'd like Botox for my crow's feet.",
    from: "+12125550111",
    transferTo: null,
  });
  await t.admin.query(
    `update call_logs set messages = $2::jsonb, recording_url = 'https://recordings.example.com/a-maria-mono.wav', recording_status = 'completed', cost = 0.42
      where id = $1`,
    [
      detailCallId,
      JSON.stringify([
        { role: "assistant", text: "Hello!", secondsFromStart: 0, toolName: null },
        { role: "user", text: "I'd like Botox for my crow's feet.", secondsFromStart: 3.2, toolName: null },
      ]),
    ],
  );
  await t.admin.query(
    `insert into appointments (org_id, contact_id, service_id, vapi_call_id, starts_at, ends_at, status)
     select $1, $2, s.id, 'a-maria', '2026-11-24T15:00:00Z', '2026-11-24T15:30:00Z', 'booked' from services s where s.org_id = $1 and s.name = 'Botox'`,
    [a.orgId, maria],
  );
  await t.admin.query(
    `insert into messages (org_id, method, purpose, recipient, content, status, status_reason, call_log_id)
     values ($1, 'sms', 'hot_lead_alert', '+12125550148', 'Hot lead', 'not_sent', 'Twilio is not connected.', $2)`,
    [a.orgId, detailCallId],
  );
  await seedCall({ org: a.orgId, id: "a-emergency", minutesAgo: 45, emergency: true, transcript: "User: my throat is closing" });
  await seedCall({ org: a.orgId, id: "a-transfer", minutesAgo: 50, transferTo: "+12125550147", endedReason: "assistant-forwarded-call" });
  bCallId = await seedCall({ org: b.orgId, id: "b-secret", minutesAgo: 10, summary: "Maria from clinic B", transcript: "User: Botox please" });
});

const list = (query: string, user = a) => http.request<CallsPage>("GET", `/api/calls-dashboard${query}`, { headers: user.bearer });

async function all(query: string): Promise<CallListItem[]> {
  const items: CallListItem[] = [];
  let cursor: string | null = null;
  do {
    const res: Awaited<ReturnType<typeof list>> = await list(`${query}${query ? "&" : "?"}limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

describe("GET /api/calls-dashboard", () => {
  it("pages through every call exactly once, newest first, with a stable cursor", async () => {
    const first = await list("?limit=25");
    expect(first.body.items).toHaveLength(25);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const items = await all("");
    expect(items).toHaveLength(66);
    expect(new Set(items.map((i) => i.id)).size).toBe(66);
    const times = items.map((i) => Date.parse(i.startedAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(items.map((i) => i.vapiCallId)).toEqual(expect.arrayContaining(["a-tie-1", "a-tie-2"]));
    expect(items.some((i) => i.vapiCallId === "b-secret")).toBe(false);
  });

  it("filters by direction, sentiment, status and date window", async () => {
    const outbound = await all("?direction=outbound");
    expect(outbound).toHaveLength(12);
    expect(outbound.every((i) => i.direction === "outbound")).toBe(true);

    const negative = await all("?sentiment=negative");
    expect(negative.length).toBeGreaterThan(0);
    expect(negative.every((i) => i.sentimentLabel === "negative")).toBe(true);

    const booked = await all("?status=booked");
    expect(booked.every((i) => i.bookingConfirmed)).toBe(true);
    expect(booked.map((i) => i.vapiCallId)).toContain("a-maria");
    expect((await all("?status=live")).map((i) => i.vapiCallId)).toEqual(["a-live"]);
    expect((await all("?status=emergency")).map((i) => i.vapiCallId)).toEqual(["a-emergency"]);
    expect((await all("?status=transferred")).map((i) => i.vapiCallId)).toEqual(["a-transfer"]);
    const missed = await all("?status=missed");
    expect(missed.length).toBeGreaterThan(0);
    expect(missed.every((i) => (i.durationSeconds ?? 0) < 10)).toBe(true);

    const from = new Date(BASE - 24 * 60 * 60_000).toISOString();
    const to = new Date(BASE).toISOString();
    const window = await all(`?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(window.length).toBeGreaterThan(3);
    expect(window.every((i) => Date.parse(i.startedAt) >= Date.parse(from) && Date.parse(i.startedAt) < Date.parse(to))).toBe(true);

    const combined = await all("?direction=inbound&sentiment=positive&status=booked");
    expect(combined.every((i) => i.direction === "inbound" && i.sentimentLabel === "positive" && i.bookingConfirmed)).toBe(true);
  });

  it("searches caller names, phone digits and words in the summary or transcript — only in the user's org", async () => {
    expect((await all("?q=maria")).map((i) => i.vapiCallId)).toEqual(["a-maria"]);
    expect((await all("?q=(212)%20555-1007")).map((i) => i.vapiCallId)).toEqual(["a-7"]);
    expect((await all("?q=crow")).map((i) => i.vapiCallId)).toContain("a-maria");
    expect((await all("?q=throat")).map((i) => i.vapiCallId)).toEqual(["a-emergency"]);
    expect(await all("?q=nothing-matches-this")).toEqual([]);
    const item = (await all("?q=maria"))[0]!;
    expect(item.contact).toEqual({ id: maria, name: "Maria Lopez", phone: "+12125550111", leadStatus: "booked", leadScore: 88, leadTemperature: "hot" });
  });

  it("rejects bad queries with a message that says what to fix", async () => {
    const bad = [
      ["?limit=0", "limit must be between 1 and 100"],
      ["?limit=500", "limit must be between 1 and 100"],
      ["?direction=sideways", "direction"],
      ["?from=yesterday", "ISO 8601"],
      [`?from=${encodeURIComponent("2026-11-20T00:00:00Z")}&to=${encodeURIComponent("2026-11-19T00:00:00Z")}`, "from must be before to"],
      ["?cursor=garbage", "cursor is not valid"],
    ];
    for (const [query, message] of bad) {
      const res = await list(query!);
      expect(res.status, query).toBe(400);
      expect((res.body as unknown as { error: { message: string } }).error.message).toContain(message);
    }
    expect((await http.request("GET", "/api/calls-dashboard")).status).toBe(401);
  });
});

describe("GET /api/calls-dashboard/:callId", () => {
  it("returns transcript, messages, recording, sentiment, value, appointments and alerts", async () => {
    const res = await http.request<CallDetail>("GET", `/api/calls-dashboard/${detailCallId}`, { headers: a.bearer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: detailCallId,
      transcript: "AI: Hello!\nUser: I'd like Botox for my crow's feet.",
      // Our API's player link, never the storage host (test/recording-playback.test.ts plays it).
      recordingUrl: expect.stringMatching(/^\/api\/recordings\/play\/[\w-]+\.[\w-]+$/),
      recordingStatus: "completed",
      hasRecording: true,
      sentimentLabel: "positive",
      financialValue: 400,
      bookingConfirmed: true,
      cost: 0.42,
      analyzed: true,
      contact: { name: "Maria Lopez" },
    });
    expect(res.text).not.toContain("recordings.example.com");
    expect(res.body.messages).toHaveLength(2);
    expect(res.body.appointments).toEqual([expect.objectContaining({ serviceName: "Botox", status: "booked", startsAt: "2026-11-24T15:00:00.000Z" })]);
    expect(res.body.outboundMessages).toEqual([
      expect.objectContaining({ purpose: "hot_lead_alert", status: "not_sent", statusReason: "Twilio is not connected." }),
    ]);
  });

  it("another org's call is a 404, a malformed id a 400", async () => {
    expect((await http.request("GET", `/api/calls-dashboard/${bCallId}`, { headers: a.bearer })).status).toBe(404);
    expect((await http.request("GET", `/api/calls-dashboard/${bCallId}`, { headers: b.bearer })).status).toBe(200);
    expect((await http.request("GET", "/api/calls-dashboard/not-a-uuid", { headers: a.bearer })).status).toBe(400);
  });
});
