import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createLiveClient, LiveCloseCode, type LiveEvent, type LiveSocketFactory, type LiveStatus, type LiveTicket } from "@voxanne/contracts";
import { LiveHub } from "../src/ws/live-hub";
import { createTestApp, TEST_ORIGIN, type TestApp } from "./helpers/app";
import { addTeamMember, signInUser, signUpClinic, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";
import { eventually } from "./helpers/postcall";

let t: TestApp;
let http: TestHttp;
let hub: LiveHub;
let user: TestUser;
const HEARTBEAT_MS = 150;

beforeAll(async () => {
  t = await createTestApp();
  http = await listen(t.app);
  hub = new LiveHub({
    db: t.db,
    connectionString: t.url,
    logger: t.deps.logger,
    heartbeatMs: HEARTBEAT_MS,
    maxBufferedBytes: 64 * 1024,
    allowedOrigins: [TEST_ORIGIN],
    sessionCheckMs: 250,
  });
  hub.attach(http.server);
  await hub.start();
  user = await signUpClinic(t, { clinicName: "Live Clinic" });
});
afterAll(async () => {
  await hub.stop();
});

async function getTicket(as: TestUser = user): Promise<LiveTicket> {
  const res = await http.request<LiveTicket>("POST", "/api/ws/ticket", { headers: as.bearer });
  if (res.status !== 201) throw Object.assign(new Error(res.text), { status: res.status });
  return res.body;
}

function rawSocket(ticket: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${http.baseUrl.replace("http", "ws")}/ws?ticket=${ticket}`, options);
    ws.once("message", () => resolve(ws)); // "ready"
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body: body ? JSON.parse(body) : null })));
    });
    ws.once("error", reject);
  });
}

const closeCode = (ws: WebSocket) =>
  new Promise<number>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) resolve(-1);
    ws.once("close", (code) => resolve(code));
  });

const addContact = (phone: string, name: string) => t.admin.query("insert into contacts (org_id, phone, name) values ($1, $2, $3)", [user.orgId, phone, name]);

describe("the live client from packages/contracts", () => {
  it("connects with a ticket, delivers typed events, reconnects with backoff after a drop and asks the page to re-sync", async () => {
    const events: LiveEvent[] = [];
    const statuses: LiveStatus[] = [];
    let resyncs = 0;
    let tickets = 0;
    const client = createLiveClient({
      getTicket: async () => {
        tickets++;
        return getTicket();
      },
      baseUrl: http.baseUrl,
      WebSocket: WebSocket as unknown as LiveSocketFactory,
      onResync: () => void resyncs++,
      onStatus: (s) => statuses.push(s),
      backoff: { initialMs: 50, maxMs: 200 },
    });
    const contactEvents: string[] = [];
    const off = client.on("contact.updated", (e) => contactEvents.push(e.data.name ?? ""));
    client.on("*", (e) => events.push(e));
    client.start();
    try {
      await eventually(async () => client.status === "open");
      await addContact("+12125550201", "Before Drop");
      await eventually(async () => contactEvents.includes("Before Drop"));
      expect(resyncs).toBe(0);

      hub.disconnectAll();
      await eventually(async () => resyncs === 1 && client.status === "open");
      expect(statuses).toContain("reconnecting");
      expect(tickets).toBe(2); // a fresh single-use ticket for the new connection

      await addContact("+12125550202", "After Drop");
      await eventually(async () => contactEvents.includes("After Drop"));
      off();
      await addContact("+12125550203", "Unsubscribed");
      await eventually(async () => events.some((e) => e.type === "contact.updated" && e.data.name === "Unsubscribed"));
      expect(contactEvents).not.toContain("Unsubscribed");
      // Every event was delivered once, validated against the contract.
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    } finally {
      client.stop();
    }
    expect(client.status).toBe("stopped");
  });

  it("stops (instead of retrying forever) when the session is gone", async () => {
    const client = createLiveClient({
      getTicket: async () => {
        throw Object.assign(new Error("Sign in to continue."), { status: 401 });
      },
      baseUrl: http.baseUrl,
      WebSocket: WebSocket as unknown as LiveSocketFactory,
    });
    client.start();
    await eventually(async () => client.status === "unauthorized");
  });
});

describe("hub behaviour", () => {
  it("sends heartbeats, and drops a client that stops answering pings", async () => {
    const healthy = await rawSocket((await getTicket()).ticket);
    const heartbeats: unknown[] = [];
    healthy.on("message", (d) => {
      const m = JSON.parse(d.toString());
      if (m.type === "heartbeat") heartbeats.push(m);
    });
    const silent = await rawSocket((await getTicket()).ticket, { autoPong: false });
    const closed = new Promise<number>((r) => silent.once("close", (code) => r(code)));
    const code = await closed;
    expect([4009, 1006]).toContain(code);
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
    expect(healthy.readyState).toBe(WebSocket.OPEN);
    healthy.close();
  });

  it("drops a slow consumer instead of buffering without bound, while a healthy client gets everything", async () => {
    // Its own hub with a long heartbeat, so the backlog limit (not the ping timeout) does the dropping.
    const server = await listen(t.app);
    const slowHub = new LiveHub({ db: t.db, connectionString: t.url, logger: t.deps.logger, heartbeatMs: 60_000, maxBufferedBytes: 64 * 1024 });
    slowHub.attach(server.server);
    await slowHub.start();
    const open = async (options: WebSocket.ClientOptions = {}) =>
      new Promise<WebSocket>((resolve, reject) => {
        void getTicket().then(({ ticket }) => {
          const ws = new WebSocket(`${server.baseUrl.replace("http", "ws")}/ws?ticket=${ticket}`, options);
          ws.once("message", () => resolve(ws));
          ws.once("error", reject);
        }, reject);
      });
    try {
      const healthy = await open();
      let received = 0;
      healthy.on("message", (d) => {
        if (d.toString().startsWith('{"type":"bulk"')) received++;
      });
      const slow = await open();
      let slowClosed = false;
      slow.on("close", () => (slowClosed = true));
      // The slow dashboard stops reading (a frozen tab on a bad network).
      (slow as unknown as { _socket: { pause(): void } })._socket.pause();
      const payload = JSON.stringify({ type: "bulk", pad: "x".repeat(32 * 1024) });
      // 32 MB in all: more than loopback socket buffers can absorb (they grow to several MB).
      const N = 1000;
      const deadline = Date.now() + 20_000;
      for (let i = 0; i < N; i++) {
        slowHub.broadcast(user.orgId, payload);
        // The healthy client keeps up (it is never more than one message behind); the paused one can't.
        while (received < i + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      }
      expect(received).toBe(N);
      expect(slowHub.dropped).toBe(1);
      expect(slowHub.clientCount).toBe(1);
      expect(healthy.readyState).toBe(WebSocket.OPEN);
      (slow as unknown as { _socket: { resume(): void } })._socket.resume();
      await eventually(async () => slowClosed);
      healthy.close();
    } finally {
      await slowHub.stop();
    }
  });

  it("refuses a browser origin that is not on the allow-list, and unknown paths", async () => {
    const { ticket } = await getTicket();
    await expect(rawSocket(ticket, { headers: { origin: "https://evil.example" } })).rejects.toMatchObject({ status: 403 });
    // The refused ticket was not consumed by the origin check? It was never looked at: still usable.
    const ok = await rawSocket(ticket, { headers: { origin: TEST_ORIGIN } });
    ok.close();
    await expect(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${http.baseUrl.replace("http", "ws")}/not-ws`);
        ws.once("unexpected-response", (_req, res) => reject(Object.assign(new Error("refused"), { status: res.statusCode })));
        ws.once("open", resolve);
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("limits per user", () => {
  it("at most 10 unused tickets and 5 open sockets per user, refused with 429 and a message", async () => {
    const busy = await signUpClinic(t, { clinicName: "Busy Clinic" });
    const tickets: string[] = [];
    for (let i = 0; i < 10; i++) tickets.push((await getTicket(busy)).ticket);
    const eleventh = await http.request("POST", "/api/ws/ticket", { headers: busy.bearer });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error).toMatchObject({ code: "too_many_live_tickets", message: expect.stringMatching(/10 at most per user/) });
    expect(Number(eleventh.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another user of the same clinic is not affected.
    const colleague = await addTeamMember(t, busy.orgId, { role: "staff" });
    expect((await getTicket(colleague)).ticket).toBeTruthy();

    const sockets: WebSocket[] = [];
    try {
      for (const ticket of tickets.slice(0, 5)) sockets.push(await rawSocket(ticket));
      await expect(rawSocket(tickets[5]!)).rejects.toMatchObject({
        status: 429,
        body: { error: { code: "too_many_live_connections", message: expect.stringMatching(/already has 5 live-feed connections open/) } },
      });
      // Using tickets frees room for new ones.
      expect((await http.request("POST", "/api/ws/ticket", { headers: busy.bearer })).status).toBe(201);
      // Closing a socket frees room for another.
      const before = hub.clientCount;
      sockets.pop()!.close();
      await eventually(async () => hub.clientCount === before - 1);
      sockets.push(await rawSocket(tickets[6]!));
    } finally {
      for (const ws of sockets) ws.close();
    }
  });
});

describe("revoked sessions", () => {
  it("sign-out closes that session's sockets at once (NOTIFY), and only that session's", async () => {
    const owner = await signUpClinic(t, { clinicName: "Signing Out Clinic" });
    const otherSession = await signInUser(t, owner.email);
    const mine = [await rawSocket((await getTicket(owner)).ticket), await rawSocket((await getTicket(owner)).ticket)];
    const theirs = await rawSocket((await getTicket(otherSession)).ticket);
    const codes = mine.map(closeCode);

    expect((await http.request("POST", "/api/auth/logout", { headers: owner.bearer })).status).toBe(200);
    expect(await Promise.all(codes)).toEqual([LiveCloseCode.sessionEnded, LiveCloseCode.sessionEnded]);
    expect(theirs.readyState).toBe(WebSocket.OPEN);
    // No new ticket for the ended session.
    expect((await http.request("POST", "/api/ws/ticket", { headers: owner.bearer })).status).toBe(401);
    theirs.close();
  });

  it("a revocation the feed did not hear of is found by the periodic re-check", async () => {
    const owner = await signUpClinic(t, { clinicName: "Quiet Revocation Clinic" });
    const ws = await rawSocket((await getTicket(owner)).ticket);
    const code = closeCode(ws);
    // Written without NOTIFY, as if the announcement had been lost.
    await t.admin.query(
      "insert into public.session_revocations (session_id, user_id, reason, expires_at) values ($1, $2, 'signed_out', now() + interval '1 day')",
      [owner.claims.session_id, owner.userId],
    );
    expect(await code).toBe(LiveCloseCode.sessionEnded);
  });

  it("the live client stops instead of reconnecting when its session ends", async () => {
    const owner = await signUpClinic(t, { clinicName: "Client Stop Clinic" });
    let tickets = 0;
    const client = createLiveClient({
      getTicket: async () => {
        tickets++;
        return getTicket(owner);
      },
      baseUrl: http.baseUrl,
      WebSocket: WebSocket as unknown as LiveSocketFactory,
      backoff: { initialMs: 20, maxMs: 50 },
    });
    client.start();
    try {
      await eventually(async () => client.status === "open");
      await http.request("POST", "/api/auth/logout", { headers: owner.bearer });
      await eventually(async () => client.status === "unauthorized");
      await new Promise((r) => setTimeout(r, 200));
      expect(tickets).toBe(1);
    } finally {
      client.stop();
    }
  });
});

describe("events are published after commit", () => {
  it("a rolled-back transaction publishes nothing; a committed one publishes once it is durable", async () => {
    const ws = await rawSocket((await getTicket()).ticket);
    const names: string[] = [];
    ws.on("message", (d) => {
      const m = JSON.parse(d.toString());
      if (m.type === "contact.updated") names.push(m.data.name);
    });
    await expect(
      t.db.asService(user.orgId, async (db) => {
        await db.query("insert into contacts (org_id, phone, name) values ($1, '+12125550211', 'Rolled Back')", [user.orgId]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await t.db.asService(user.orgId, (db) => db.query("insert into contacts (org_id, phone, name) values ($1, '+12125550212', 'Committed')", [user.orgId]));
    await eventually(async () => names.includes("Committed"));
    expect(names).not.toContain("Rolled Back");
    ws.close();
  });

  it("a bulk change sends one resync instead of flooding the dashboards", async () => {
    const ws = await rawSocket((await getTicket()).ticket);
    let contactEvents = 0;
    let resyncs = 0;
    ws.on("message", (d) => {
      const m = JSON.parse(d.toString());
      if (m.type === "contact.updated") contactEvents++;
      if (m.type === "resync") resyncs++;
    });
    await t.db.asService(user.orgId, (db) =>
      db.query("insert into contacts (org_id, phone, name) select $1, '+1212700' || lpad(i::text, 4, '0'), 'Imported ' || i from generate_series(1, 1000) i", [
        user.orgId,
      ]),
    );
    await eventually(async () => resyncs === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(resyncs).toBe(1);
    // The statement's events go together or not at all (migration 20261225000100): the resync
    // reloads the dashboard, so none of the thousand is sent one by one.
    expect(contactEvents).toBe(0);
    ws.close();
  });
});
