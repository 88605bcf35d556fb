/**
 * Clinic isolation under a flood (docs/SECURITY.md § Bounded waits). Clinic A's booking day is
 * locked from a separate connection (the advisory lock bookAppointment takes for that day), and A
 * is flooded with bookings of that day by 100 concurrent connections. Meanwhile clinic B books on
 * 4 connections; its client p99 is compared with its p99 unloaded, measured in the same run on
 * the same app. Twice: with the per-clinic cap off (CLINIC_MAX_CONCURRENT_TOOL_CALLS=0, "before")
 * and on (the default, "after"). Each app has the production pool size (DB_POOL_MAX default 20).
 *
 * The load generators run in worker threads so they do not share the server's event loop.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { Worker } from "node:worker_threads";
import type pg from "pg";
import { createApp } from "../apps/api/src/app";
import { loadConfig } from "../apps/api/src/config";
import { Database, type Db } from "../apps/api/src/db/database";
import { createLogger } from "../apps/api/src/logger";
import { lockBookingDays } from "../apps/api/src/modules/booking/queries";
import { round, summarize, type Benchmark, type BenchRow } from "./lib";

const SECRET = "bench-vapi-webhook-secret-0123456789";
const NOW = new Date("2026-03-02T14:00:00Z"); // Monday 09:00 in New York
const FLOOD_CONNECTIONS = 100;
const MEASURE_CONNECTIONS = 4;
const BASELINE_REQUESTS = Number(process.env.BENCH_ISOLATION_BASELINE ?? 200);
const LOADED_REQUESTS = Number(process.env.BENCH_ISOLATION_LOADED ?? 60);
const WARMUP = 100;
const ALL_WEEK = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ start: "00:00", end: "24:00" }]]));

type Clinic = { orgId: string; assistantId: string; phoneNumberId: string; number: string };
let lineSeq = 7_770_000;

async function createClinic(admin: pg.Pool, label: string): Promise<Clinic> {
  const { rows } = await admin.query(
    `insert into public.organizations (name, timezone, business_hours, min_booking_notice_minutes, buffer_after_minutes)
     values ($1, 'America/New_York', $2::jsonb, 0, 0) returning id`,
    [`isolation ${label}`, JSON.stringify(ALL_WEEK)],
  );
  const orgId = rows[0].id as string;
  const c: Clinic = { orgId, assistantId: `asst_iso_${label}`, phoneNumberId: `pn_iso_${label}`, number: `+1646${String(++lineSeq).padStart(7, "0")}` };
  const agent = await admin.query("insert into public.agents (org_id, vapi_assistant_id) values ($1, $2) returning id", [orgId, c.assistantId]);
  await admin.query("insert into public.phone_numbers (org_id, e164, vapi_phone_number_id, agent_id) values ($1, $2, $3, $4)", [
    orgId,
    c.number,
    c.phoneNumberId,
    agent.rows[0].id,
  ]);
  return c;
}

function booking(c: Clinic, id: string, start: string, caller: string): string {
  return JSON.stringify({
    message: {
      type: "tool-calls",
      timestamp: NOW.getTime(),
      call: { id: `call-${id}`, type: "inboundPhoneCall", assistantId: c.assistantId, phoneNumberId: c.phoneNumberId, customer: { number: caller } },
      phoneNumber: { id: c.phoneNumberId, number: c.number },
      customer: { number: caller },
      toolCallList: [{ id: `tc-${id}`, type: "function", function: { name: "bookClinicAppointment", arguments: { name: `Patient ${id}`, start } } }],
    },
  });
}

/** Distinct 40-minute-spaced starts from Wednesday 4 March on, so B's own bookings rarely share a day lock. */
function bStart(i: number): string {
  const day = 4 + (i % 25);
  const minutes = Math.floor(i / 25) * 40;
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `2026-03-${String(day).padStart(2, "0")}T${hh}:${mm}:00-05:00`;
}

const caller = (i: number) => `+1212${String(6000000 + i).padStart(7, "0")}`;

// `concurrency` keep-alive connections, each sending the next body as soon as its answer arrived;
// with `untilStopped`, bodies are reused round-robin until the parent says "stop".
const LOAD_WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
const http = require("node:http");
const { url, bodies, concurrency, secret, untilStopped } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);
let next = 0;
let stopped = false;
parentPort.on("message", (m) => { if (m === "stop") stopped = true; });
const latencies = [];
const texts = [];
function send(body, retry = true) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent,
      headers: { "content-type": "application/json", "x-vapi-secret": secret, "content-length": Buffer.byteLength(body) } }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (data += c));
      res.on("end", () => {
        latencies.push(performance.now() - started);
        try { const r = JSON.parse(data).results[0]; texts.push(r.result ?? "ERROR " + r.error); }
        catch { texts.push(res.statusCode + " " + data); }
        resolve();
      });
    });
    req.on("error", (err) => (retry && err.code === "ECONNRESET" ? send(body, false).then(resolve, reject) : reject(err)));
    req.end(body);
  });
}
async function loop() {
  for (;;) {
    if (untilStopped ? stopped : next >= bodies.length) return;
    const i = next++;
    await send(bodies[i % bodies.length]);
  }
}
Promise.all(Array.from({ length: concurrency }, loop)).then(() => { agent.destroy(); parentPort.postMessage({ latencies, texts }); });
`;

type LoadResult = { latencies: number[]; texts: string[] };

function startLoad(url: string, bodies: string[], concurrency: number, untilStopped = false): { done: Promise<LoadResult>; stop: () => void } {
  const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { url, bodies, concurrency, secret: SECRET, untilStopped } });
  const done = new Promise<LoadResult>((resolve, reject) => {
    worker.once("message", (m) => {
      void worker.terminate();
      resolve(m);
    });
    worker.once("error", reject);
  });
  return { done, stop: () => worker.postMessage("stop") };
}

async function holdBookingDay(admin: pg.Pool, orgId: string, day: string): Promise<() => Promise<void>> {
  const client = await admin.connect();
  await client.query("begin");
  await lockBookingDays({ query: (text, params) => client.query(text, params) } as Db, orgId, [day]);
  return async () => {
    await client.query("rollback");
    client.release();
  };
}

/** A count per answer kind ("Booked", "busy", …) for the report. */
function tally(texts: string[]): string {
  const counts = new Map<string, number>();
  for (const t of texts) {
    const kind = t.startsWith("Booked:")
      ? "booked"
      : t.includes("very busy")
        ? "clinic busy"
        : t.includes("busy right now")
          ? "db busy"
          : t.includes("took too long")
            ? "deadline"
            : t.startsWith("That time was just taken")
              ? "taken"
              : "other";
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}

const bench: Benchmark = {
  name: "isolation",
  run: async (env) => {
    const { url: dbUrl, admin } = await env.newDatabase();
    const { default: pino } = await import("pino");
    const logger = createLogger({ level: "info", destination: pino.destination({ dest: "/dev/null", sync: false }) });
    const servers: Server[] = [];
    const databases: Database[] = [];

    /** `cap` undefined: the configured default (CLINIC_MAX_CONCURRENT_TOOL_CALLS). */
    const startApp = async (cap: string | undefined) => {
      const config = loadConfig(
        {
          NODE_ENV: "production",
          LOG_LEVEL: "info",
          DATA_DIR: "/tmp/voxanne-bench-data",
          JWT_SECRET: "bench-jwt-secret-that-is-long-enough-0123456789",
          ENCRYPTION_KEY: randomBytes(32).toString("base64"),
          ...(cap === undefined ? {} : { CLINIC_MAX_CONCURRENT_TOOL_CALLS: cap }),
        } as NodeJS.ProcessEnv,
        { vapiWebhookSecret: SECRET },
      );
      const db = new Database(dbUrl, {
        max: config.DB_POOL_MAX,
        acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS,
        lockTimeoutMs: config.LOCK_TIMEOUT_MS,
        statementTimeoutMs: config.STATEMENT_TIMEOUT_MS,
      });
      databases.push(db);
      const app = createApp({ config, logger, db, clock: { now: () => new Date(NOW) } });
      const server = createServer(app);
      server.keepAliveTimeout = 60_000;
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      servers.push(server);
      return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/vapi/tools`, config };
    };

    const rows: BenchRow[] = [];
    let seq = 0;
    const bBodies = (b: Clinic, n: number, tag: string) => Array.from({ length: n }, (_, i) => booking(b, `${tag}-${i}`, bStart(i), caller(++seq)));

    try {
      for (const [mode, cap] of [
        ["before (cap off)", "0"],
        ["after (cap on)", undefined],
      ] as const) {
        const { url, config } = await startApp(cap);
        const tag = cap === "0" ? "off" : "on";
        const a = await createClinic(admin, `a-${tag}`);
        const b = await createClinic(admin, `b-${tag}`);
        const warm = await createClinic(admin, `w-${tag}`);
        await admin.query("analyze");
        await startLoad(url, bBodies(warm, WARMUP, `warm-${tag}`), MEASURE_CONNECTIONS).done;

        // Unloaded: B alone.
        const baseline = await startLoad(url, bBodies(b, BASELINE_REQUESTS, `base-${tag}`), MEASURE_CONNECTIONS).done;
        const base = summarize(baseline.latencies);

        // Loaded: A's day locked, A flooded, B measured again (other slots, same clinic).
        const release = await holdBookingDay(admin, a.orgId, "2026-03-03");
        const floodBodies = Array.from({ length: 2000 }, (_, i) =>
          booking(a, `flood-${tag}-${i}`, `2026-03-03T${String(8 + (i % 10)).padStart(2, "0")}:00:00-05:00`, caller(++seq)),
        );
        const flood = startLoad(url, floodBodies, FLOOD_CONNECTIONS, true);
        await new Promise((r) => setTimeout(r, 1000)); // let the flood fill whatever it can
        const loadedBodies = Array.from({ length: LOADED_REQUESTS }, (_, i) => booking(b, `load-${tag}-${i}`, bStart(BASELINE_REQUESTS + i), caller(++seq)));
        const loaded = await startLoad(url, loadedBodies, MEASURE_CONNECTIONS).done;
        flood.stop();
        const floodResult = await flood.done;
        await release();
        const under = summarize(loaded.latencies);

        rows.push(
          {
            bench: "isolation",
            metric: `${mode}: B p50 / p99 unloaded`,
            value: `${round(base.p50)} / ${round(base.p99)} ms`,
            baseline: tally(baseline.texts),
          },
          {
            bench: "isolation",
            metric: `${mode}: B p50 / p99 while A floods a locked day`,
            value: `${round(under.p50)} / ${round(under.p99)} ms`,
            baseline: tally(loaded.texts),
          },
          {
            bench: "isolation",
            metric: `${mode}: B p99 loaded ÷ unloaded`,
            value: round(under.p99 / base.p99),
            unit: "×",
            target: cap === "0" ? "(no cap: no target)" : "≤ 2×",
            baseline: `${round(base.p99)} ms`,
          },
          {
            bench: "isolation",
            metric: `${mode}: A's flood (${FLOOD_CONNECTIONS} conns, cap ${config.CLINIC_MAX_CONCURRENT_TOOL_CALLS || "off"})`,
            value: `${floodResult.texts.length} answered`,
            baseline: tally(floodResult.texts),
          },
        );
      }
    } finally {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
      for (const d of databases) await d.close();
    }
    return rows;
  },
};

export default bench;
