import type pg from "pg";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "../src/db/database";
import { DatabaseBusy, isDatabaseBusy } from "../src/db/errors";
import { ClinicGate } from "../src/integrations/vapi/clinic-gate";
import { CLINIC_BUSY, TOOL_BUSY, TOOL_TIMED_OUT } from "../src/integrations/vapi/tool-calls";
import { builtInTools } from "../src/integrations/vapi/tools";
import { toolHandler } from "../src/integrations/vapi/tools/types";
import { lockBookingDays } from "../src/modules/booking/queries";
import { createTestApp } from "./helpers/app";
import { signUpClinic } from "./helpers/auth";
import { createTestDatabase } from "./helpers/db";
import { listen } from "./helpers/http";
import { callTools, createClinic, TestClock, toolCallsMessage, type TestClinic } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York; Friday 6 March is open 9:00–17:00.
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
const FRIDAY_2PM = "2026-03-06T14:00:00-05:00";

/** Holds the advisory lock bookAppointment takes for (org, day), from a separate connection, until released. */
async function holdBookingDay(admin: pg.Pool, orgId: string, day: string): Promise<() => Promise<void>> {
  const client = await admin.connect();
  await client.query("begin");
  await lockBookingDays({ query: (text, params) => client.query(text, params) } as Db, orgId, [day]);
  return async () => {
    await client.query("rollback");
    client.release();
  };
}

/** Until no other session of this database is running a statement or holding a transaction open. */
async function untilDatabaseIdle(admin: pg.Pool): Promise<void> {
  for (;;) {
    const { rows } = await admin.query(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and state <> 'idle'`,
    );
    if (rows[0].n === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const book = (clinic: TestClinic, start = FRIDAY_2PM, caller = "+12125550142") =>
  toolCallsMessage(clinic, [{ name: "bookClinicAppointment", args: { name: "Ana Ruiz", start } }], { caller });

describe("every transaction has a lock_timeout, a statement_timeout and a bounded pool wait", () => {
  it("sets both timeouts inside the transaction only, from the database's limits or the caller's", async () => {
    const { db } = await createTestDatabase({ lockTimeoutMs: 1500, statementTimeoutMs: 2500 });
    const show = (q: Db) => q.query("select current_setting('lock_timeout') as l, current_setting('statement_timeout') as s").then((r) => r.rows[0]);
    expect(await db.asSystem(show)).toEqual({ l: "1500ms", s: "2500ms" });
    expect(await db.asSystem(show, { lockTimeoutMs: 200, statementTimeoutMs: 300 })).toEqual({ l: "200ms", s: "300ms" });
    // set_config(…, true): the pooled connection itself keeps the server defaults.
    const client = await db.pool.connect();
    try {
      expect((await client.query("select current_setting('statement_timeout') as s")).rows[0].s).toBe("0");
    } finally {
      client.release();
    }
  });

  it("cancels a statement that runs past statement_timeout and rolls the transaction back", async () => {
    const { db, admin } = await createTestDatabase({ statementTimeoutMs: 150 });
    const org = await createClinic(admin);
    const err = await db
      .asService(org.orgId, async (q) => {
        await q.query("insert into public.audit_events (org_id, actor_type, action) values ($1, 'system', 'test.before_sleep')", [org.orgId]);
        await q.query("select pg_sleep(5)");
      })
      .catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("57014");
    expect(isDatabaseBusy(err)).toBe(true);
    expect((await admin.query("select count(*)::int as n from public.audit_events where action = 'test.before_sleep'")).rows[0].n).toBe(0);
  });

  it("gives up waiting for a pool connection after the acquire timeout", async () => {
    const { db } = await createTestDatabase({ max: 1, acquireTimeoutMs: 100 });
    const held = await db.pool.connect();
    try {
      const err = await db.asSystem((q) => q.query("select 1")).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseBusy);
      expect((err as DatabaseBusy).reason).toBe("pool");
    } finally {
      held.release();
    }
    expect((await db.asSystem((q) => q.query("select 1 as one"))).rows[0]?.one).toBe(1);
  });
});

describe("dashboard routes answer a timeout with 503 and Retry-After", () => {
  it("a lock not granted within lock_timeout", async () => {
    const t = await createTestApp({ database: { lockTimeoutMs: 200 } });
    const http = await listen(t.app);
    const user = await signUpClinic(t);
    const locker = await t.admin.connect();
    try {
      await locker.query("begin; lock table public.call_logs in access exclusive mode");
      const res = await http.request("GET", "/api/calls-dashboard", { headers: user.bearer });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("2");
      expect(res.body.error).toMatchObject({
        code: "unavailable",
        message: "The service is busy right now and nothing was changed. Try again in a few seconds.",
      });
    } finally {
      await locker.query("rollback");
      locker.release();
    }
    expect((await http.request("GET", "/api/calls-dashboard", { headers: user.bearer })).status).toBe(200);
  });

  it("no free pool connection within the acquire timeout", async () => {
    const t = await createTestApp({ database: { max: 1, acquireTimeoutMs: 100 } });
    const http = await listen(t.app);
    const user = await signUpClinic(t);
    const held = await t.db.pool.connect();
    try {
      const res = await http.request("GET", "/api/dashboard/stats", { headers: user.bearer });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("2");
      expect(res.body.error.code).toBe("unavailable");
    } finally {
      held.release();
    }
  });
});

describe("Vapi tool calls wait a bounded time and say so", () => {
  it("a booking whose day stays locked past the tool lock timeout hears a speakable 'busy' line; nothing is stored", async () => {
    const t = await createTestApp({ clock, config: { VAPI_TOOL_LOCK_TIMEOUT_MS: 150 } });
    const http = await listen(t.app);
    const clinic = await createClinic(t.admin);
    const release = await holdBookingDay(t.admin, clinic.orgId, "2026-03-06");
    try {
      const { body, ids } = book(clinic);
      const res = await callTools(http, t.config.vapiWebhookSecret, body);
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual([{ toolCallId: ids[0], name: "bookClinicAppointment", error: TOOL_BUSY }]);
    } finally {
      await release();
    }
    expect((await t.admin.query("select count(*)::int as n from public.appointments where org_id = $1", [clinic.orgId])).rows[0].n).toBe(0);
    expect(t.logs.text()).toContain("vapi tool call timed out waiting for the database");
  });

  it("caps one clinic's concurrent tool calls: its flood waits in line or hears 'busy', another clinic books at once", async () => {
    // A pool of 3 connections, 2 per clinic: clinic A, stuck on a locked day, can never hold all 3.
    const t = await createTestApp({
      clock,
      database: { max: 3, acquireTimeoutMs: 5000 },
      config: { CLINIC_MAX_CONCURRENT_TOOL_CALLS: 2, CLINIC_QUEUE_TIMEOUT_MS: 100, VAPI_TOOL_LOCK_TIMEOUT_MS: 1500 },
    });
    const http = await listen(t.app);
    const a = await createClinic(t.admin);
    const b = await createClinic(t.admin);
    const release = await holdBookingDay(t.admin, a.orgId, "2026-03-06");
    try {
      const flood = Array.from({ length: 4 }, (_, i) =>
        callTools(http, t.config.vapiWebhookSecret, book(a, FRIDAY_2PM, `+1212555010${i}`).body).then((r) => r.body.results[0].error as string),
      );
      const other = await callTools(http, t.config.vapiWebhookSecret, book(b).body);
      expect(other.body.results[0].result).toMatch(/^\{"say":"You're booked/);
      const answers = await Promise.all(flood);
      expect(answers.filter((e) => e === CLINIC_BUSY)).toHaveLength(2);
      expect(answers.filter((e) => e === TOOL_BUSY)).toHaveLength(2);
    } finally {
      await release();
    }
    expect(t.logs.text()).toContain("vapi tool call refused: the clinic is at its concurrency cap");
  });
});

describe("a tool call that outlives its deadline", () => {
  let resume: () => void = () => {};
  let afterDeadline: Promise<string> = Promise.resolve("");
  let reportAfterDeadline: (what: string) => void = () => {};
  // Writes, then stalls (a slow upstream, a busy event loop) until the test lets it go on.
  const stallingTool = toolHandler({ name: "stallingWriter", description: "test tool", parameters: z.object({}), aliases: {} }, async (_args, ctx) => {
    await ctx.db.query("insert into public.audit_events (org_id, actor_type, action) values ($1, 'vapi', 'test.stalling_writer')", [ctx.clinic.orgId]);
    await new Promise<void>((r) => {
      resume = r;
    });
    try {
      await ctx.db.query("select 1");
      reportAfterDeadline("next statement ran");
    } catch (err) {
      reportAfterDeadline(`next statement refused: ${(err as Error).message}`);
      throw err;
    }
    return { result: { say: "done" } };
  });

  it("is answered with a speakable failure and its transaction rolls back, even when it goes on afterwards", async () => {
    const t = await createTestApp({ clock, tools: [...builtInTools, stallingTool], config: { VAPI_TOOL_DEADLINE_MS: 300 } });
    const http = await listen(t.app);
    const clinic = await createClinic(t.admin);
    afterDeadline = new Promise((r) => {
      reportAfterDeadline = r;
    });
    const { body, ids, callId } = toolCallsMessage(clinic, [{ name: "stallingWriter" }]);
    const res = await callTools(http, t.config.vapiWebhookSecret, body);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([{ toolCallId: ids[0], name: "stallingWriter", error: TOOL_TIMED_OUT }]);
    resume();
    expect(await afterDeadline).toBe("next statement refused: the tool call passed its 300 ms deadline");
    await untilDatabaseIdle(t.admin);
    expect((await t.admin.query("select count(*)::int as n from public.audit_events where action = 'test.stalling_writer'")).rows[0].n).toBe(0);
    expect((await t.admin.query("select count(*)::int as n from public.tool_invocations where vapi_call_id = $1", [callId])).rows[0].n).toBe(0);
    expect(t.logs.text()).toContain("vapi tool call passed its deadline; its transaction is rolled back");
  });

  it("a booking stuck behind a held day lock: the caller hears the failure, and releasing the lock afterwards commits nothing", async () => {
    const t = await createTestApp({ clock, config: { VAPI_TOOL_DEADLINE_MS: 400, VAPI_TOOL_LOCK_TIMEOUT_MS: 10_000 } });
    const http = await listen(t.app);
    const clinic = await createClinic(t.admin);
    const release = await holdBookingDay(t.admin, clinic.orgId, "2026-03-06");
    const { body, ids, callId } = book(clinic);
    let res: Awaited<ReturnType<typeof callTools>>;
    try {
      res = await callTools(http, t.config.vapiWebhookSecret, body);
    } finally {
      // The booking's lock request may now be granted: its transaction must still roll back.
      await release();
    }
    expect(res.body.results).toEqual([{ toolCallId: ids[0], name: "bookClinicAppointment", error: TOOL_TIMED_OUT }]);
    await untilDatabaseIdle(t.admin);
    expect((await t.admin.query("select count(*)::int as n from public.appointments where org_id = $1", [clinic.orgId])).rows[0].n).toBe(0);
    expect((await t.admin.query("select count(*)::int as n from public.contacts where org_id = $1", [clinic.orgId])).rows[0].n).toBe(0);
    expect((await t.admin.query("select count(*)::int as n from public.tool_invocations where vapi_call_id = $1", [callId])).rows[0].n).toBe(0);
    // The same call asked again once the day is free books normally.
    const again = await callTools(http, t.config.vapiWebhookSecret, body);
    expect(again.body.results[0].result).toMatch(/^\{"say":"You're booked/);
  });
});

describe("ClinicGate", () => {
  it("lets `max` calls of one key in, queues the rest FIFO for a bounded time, and keeps keys apart", async () => {
    const gate = new ClinicGate(2);
    const r1 = await gate.acquire("org:a", 0);
    const r2 = await gate.acquire("org:a", 0);
    await expect(gate.acquire("org:a", 0)).rejects.toBeInstanceOf(DatabaseBusy);
    const other = await gate.acquire("org:b", 0);
    const order: number[] = [];
    const inLine = (n: number) =>
      gate.acquire("org:a", 10_000).then((release) => {
        order.push(n);
        return release;
      });
    const w3 = inLine(3);
    const w4 = inLine(4);
    expect(gate.load("org:a")).toEqual({ active: 2, waiting: 2 });
    r1();
    r1(); // a second release of the same slot changes nothing
    const r3 = await w3;
    expect(gate.load("org:a")).toEqual({ active: 2, waiting: 1 });
    r2();
    const r4 = await w4;
    expect(order).toEqual([3, 4]);
    const timedOut = await gate.acquire("org:a", 20).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(DatabaseBusy);
    expect((timedOut as DatabaseBusy).reason).toBe("clinic");
    expect(gate.load("org:a")).toEqual({ active: 2, waiting: 0 });
    r3();
    r4();
    other();
    expect(gate.load("org:a")).toEqual({ active: 0, waiting: 0 });
  });

  it("keys a call by its org once its identity has resolved, and is off with max 0", async () => {
    const gate = new ClinicGate(1);
    const identity = { assistantId: "asst_1", phoneNumberId: "pn_1", phoneNumber: "+12125550100" };
    expect(gate.keyOf(identity)).toBe("assistant:asst_1");
    gate.learn(identity, "org-1");
    gate.learn({ phoneNumberId: "pn_2" }, "org-1");
    expect(gate.keyOf(identity)).toBe("org:org-1");
    expect(gate.keyOf({ phoneNumberId: "pn_2" })).toBe("org:org-1");
    const off = new ClinicGate(0);
    const releases = await Promise.all(Array.from({ length: 50 }, () => off.acquire("org:x", 0)));
    expect(releases).toHaveLength(50);
  });
});
