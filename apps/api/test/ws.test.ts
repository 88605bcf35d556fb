import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { LiveCloseCode, type LiveServerMessage } from "@voxanne/contracts";
import { testConfig } from "./helpers/app";
import { signInUser, signUpClinic, type TestUser } from "./helpers/auth";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { addVapiIdentity } from "./helpers/vapi";
import { startApiProcess, type ApiProcess } from "./helpers/api-process";

/**
 * Two real API processes (src/server.ts) on one database: a webhook handled by process 1 must
 * reach a dashboard socket connected to process 2, through Postgres LISTEN/NOTIFY.
 */

const JWT_SECRET = "two-process-jwt-secret-0123456789abcdef";
const WEBHOOK_SECRET = "two-process-webhook-secret-0123456789";

const startApi = (url: string) =>
  startApiProcess({
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: url,
    LOG_LEVEL: "warn",
    JWT_SECRET,
    VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET,
    DATA_DIR: mkdtempSync(join(tmpdir(), "voxanne-ws-")),
  });

async function ticket(api: ApiProcess, user: TestUser): Promise<string> {
  const res = await fetch(`${api.base}/api/ws/ticket`, { method: "POST", headers: user.bearer });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { ticket: string; path: string; expiresInSeconds: number };
  expect(body.path).toBe("/ws");
  expect(body.expiresInSeconds).toBeLessThanOrEqual(60);
  return body.ticket;
}

type Feed = { ws: WebSocket; messages: LiveServerMessage[]; waitFor: (pred: (m: LiveServerMessage) => boolean, ms?: number) => Promise<LiveServerMessage> };

/** Opens /ws; resolves once the server says ready, or rejects with the HTTP status it refused with. */
function connect(api: ApiProcess, t: string): Promise<Feed> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${api.base.replace("http", "ws")}/ws?ticket=${encodeURIComponent(t)}`);
    const messages: LiveServerMessage[] = [];
    const waiters: { pred: (m: LiveServerMessage) => boolean; resolve: (m: LiveServerMessage) => void }[] = [];
    const feed: Feed = {
      ws,
      messages,
      waitFor: (pred, ms = 10_000) =>
        new Promise((res, rej) => {
          const found = messages.find(pred);
          if (found) return res(found);
          const timer = setTimeout(() => rej(new Error(`no matching live event within ${ms} ms; got ${JSON.stringify(messages.map((m) => m.type))}`)), ms);
          waiters.push({
            pred,
            resolve: (m) => {
              clearTimeout(timer);
              res(m);
            },
          });
        }),
    };
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString()) as LiveServerMessage;
      messages.push(msg);
      if (msg.type === "ready") resolve(feed);
      for (const w of [...waiters]) {
        if (!w.pred(msg)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    });
    ws.on("unexpected-response", (_req, res) => reject(Object.assign(new Error(`refused with HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.on("error", (err) => reject(err));
  });
}

const statusUpdate = (assistantId: string, callId: string, status: string, caller: string) => ({
  message: {
    type: "status-update",
    status,
    timestamp: Date.now(),
    call: { id: callId, type: "inboundPhoneCall", assistantId, customer: { number: caller } },
    customer: { number: caller },
  },
});

async function postWebhook(api: ApiProcess, body: object) {
  const res = await fetch(`${api.base}/api/vapi/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-vapi-secret": WEBHOOK_SECRET },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

describe("live feed across two API processes", () => {
  let database: TestDatabase;
  let p1: ApiProcess;
  let p2: ApiProcess;
  let ownerA: TestUser;
  let ownerB: TestUser;
  let idA: Awaited<ReturnType<typeof addVapiIdentity>>;
  let idB: Awaited<ReturnType<typeof addVapiIdentity>>;
  const feeds: Feed[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = { db: database.db, config: testConfig({ jwtSecret: JWT_SECRET }) };
    // Orgs exist before the processes start, so neither seeds the demo clinic.
    ownerA = await signUpClinic(target, { clinicName: "Clinic A" });
    ownerB = await signUpClinic(target, { clinicName: "Clinic B" });
    idA = await addVapiIdentity(database.admin, ownerA.orgId);
    idB = await addVapiIdentity(database.admin, ownerB.orgId);
    [p1, p2] = await Promise.all([startApi(database.url), startApi(database.url)]);
  }, 90_000);

  afterAll(async () => {
    for (const f of feeds) f.ws.terminate();
    await Promise.all([p1?.stop(), p2?.stop()]);
  });

  it("an event from a webhook on process 1 reaches a dashboard connected to process 2, and never another org's dashboard", async () => {
    // Tickets are issued by process 1 and redeemed on process 2: they live in the database.
    const feedA = await connect(p2, await ticket(p1, ownerA));
    const feedB = await connect(p2, await ticket(p2, ownerB));
    feeds.push(feedA, feedB);
    expect(feedA.messages[0]).toMatchObject({ type: "ready", orgId: ownerA.orgId });

    await postWebhook(p1, statusUpdate(idA.assistantId, "ws-call-a", "ringing", "+12125550101"));
    const started = await feedA.waitFor((m) => m.type === "call.started");
    expect(started).toMatchObject({
      type: "call.started",
      orgId: ownerA.orgId,
      data: { vapiCallId: "ws-call-a", status: "ringing", direction: "inbound", fromNumber: "+12125550101" },
    });

    await postWebhook(p1, statusUpdate(idA.assistantId, "ws-call-a", "in-progress", "+12125550101"));
    await feedA.waitFor((m) => m.type === "call.updated" && m.data.status === "in-progress");

    // Org B's own event arrives on B's socket (so B's socket works) …
    await postWebhook(p2, statusUpdate(idB.assistantId, "ws-call-b", "ringing", "+12125550102"));
    await feedB.waitFor((m) => m.type === "call.started");
    await new Promise((r) => setTimeout(r, 300));
    // … and neither saw the other's.
    const callIds = (f: Feed) => f.messages.flatMap((m) => (m.type.startsWith("call.") ? [(m as { data: { vapiCallId: string } }).data.vapiCallId] : []));
    expect(new Set(callIds(feedA))).toEqual(new Set(["ws-call-a"]));
    expect(new Set(callIds(feedB))).toEqual(new Set(["ws-call-b"]));
    expect(feedB.messages.every((m) => m.type !== "call.started" || m.orgId === ownerB.orgId)).toBe(true);
  });

  it("a reused, unknown, expired or missing ticket is refused with 401, on either process", async () => {
    const t = await ticket(p1, ownerA);
    const ok = await connect(p1, t);
    feeds.push(ok);
    await expect(connect(p2, t)).rejects.toMatchObject({ status: 401 }); // reuse, other process
    await expect(connect(p1, t)).rejects.toMatchObject({ status: 401 }); // reuse, same process
    await expect(connect(p2, "not-a-real-ticket-aaaaaaaaaaaaaaaaaaaaaa")).rejects.toMatchObject({ status: 401 });
    await expect(connect(p2, "")).rejects.toMatchObject({ status: 401 });

    const expired = await ticket(p2, ownerA);
    const hash = createHash("sha256").update(expired).digest("hex");
    await database.admin.query("update live_tickets set expires_at = now() - interval '1 second' where token_hash = $1", [hash]);
    await expect(connect(p2, expired)).rejects.toMatchObject({ status: 401 });

    // Without a session there is no ticket at all.
    expect((await fetch(`${p1.base}/api/ws/ticket`, { method: "POST" })).status).toBe(401);
  });

  it("a sign-out on process 1 closes the session's sockets on both processes and is refused by process 2 at once", async () => {
    const target = { db: database.db, config: testConfig({ jwtSecret: JWT_SECRET }) };
    const session = await signInUser(target, ownerA.email);
    const bearer = { authorization: `Bearer ${session.accessToken}` };
    // Process 2 has just seen the session live (and caches that for up to 5 s).
    expect((await fetch(`${p2.base}/api/auth/me`, { headers: bearer })).status).toBe(200);
    const onP1 = await connect(p1, await ticket(p1, session));
    const onP2 = await connect(p2, await ticket(p2, session));
    feeds.push(onP1, onP2);
    const closed = [onP1, onP2].map((f) => new Promise<number>((resolve) => f.ws.once("close", (code) => resolve(code))));

    expect((await fetch(`${p1.base}/api/auth/logout`, { method: "POST", headers: bearer })).status).toBe(200);
    expect(await Promise.all(closed)).toEqual([LiveCloseCode.sessionEnded, LiveCloseCode.sessionEnded]);
    // Process 2 heard the NOTIFY and dropped its cached answer: no waiting out the cache bound.
    expect((await fetch(`${p2.base}/api/auth/me`, { headers: bearer })).status).toBe(401);
    // The clinic's other sessions are untouched.
    expect((await fetch(`${p2.base}/api/auth/me`, { headers: ownerA.bearer })).status).toBe(200);
  });

  it("the end of a call reaches both processes' dashboards of that org", async () => {
    const onP1 = await connect(p1, await ticket(p1, ownerA));
    const onP2 = await connect(p2, await ticket(p2, ownerA));
    feeds.push(onP1, onP2);
    await postWebhook(p1, {
      message: {
        type: "end-of-call-report",
        endedReason: "customer-ended-call",
        startedAt: new Date(Date.now() - 95_000).toISOString(),
        endedAt: new Date().toISOString(),
        call: { id: "ws-call-a", type: "inboundPhoneCall", assistantId: idA.assistantId, customer: { number: "+12125550101" } },
        artifact: { transcript: "User: How much is Botox?\nAI: Botox is $400.", messages: [{ role: "user", message: "How much is Botox?" }] },
        analysis: { summary: "Asked about Botox pricing." },
      },
    });
    for (const feed of [onP1, onP2]) {
      const ended = await feed.waitFor((m) => m.type === "call.ended" && m.data.vapiCallId === "ws-call-a");
      expect(ended).toMatchObject({ data: { status: "ended", analyzed: true, financialValue: 400, durationSeconds: 95 } });
      await feed.waitFor((m) => m.type === "contact.updated" && m.data.phone === "+12125550101");
    }
  });
});
