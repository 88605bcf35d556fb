/**
 * After the call:
 *  (a) end-of-call ingestion: reports/s through POST /api/vapi/webhook of a real API process
 *      (src/server.ts: pipeline, pg-boss, live hub), then every report delivered again — the
 *      database must be byte-for-byte unchanged. Baseline: the same number of bare single-row
 *      call_logs upserts at the same concurrency, from the same process, in slices alternating with
 *      the ingestion's (so the ratio holds on a machine whose speed drifts during the run).
 *  (b) webhook → WebSocket: 1,000 dashboards of one clinic connected to /ws; a status-update
 *      posted to the API must reach every one of them. Latency = post sent → message received,
 *      per dashboard. Baseline: a bare pg_notify → LISTEN round trip on the same database.
 *
 * The API runs as a child process so the load generator and the 1,000 sockets do not share
 * its event loop.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import WebSocket from "ws";
import { cpuSeconds, ownCpuSeconds, round, summarize, topStatements, type BenchEnv, type Benchmark, type BenchRow } from "./lib";
import { startApiProcess, type ApiProcess } from "../apps/api/test/helpers/api-process";

const SECRET = "bench-postcall-webhook-secret-0123456789";
const REPORTS = Number(process.env.BENCH_POSTCALL_REPORTS ?? 3000);
const CONCURRENCY = 32;
// Reports per slice: the ingestion and its baseline alternate slice by slice (see ingestion()).
const SLICE = 500;
// 500 reports/s is many clinics' traffic, not one clinic's: spread the reports like production.
const CLINICS = 20;
const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 1000);
const EVENTS = Number(process.env.BENCH_WS_EVENTS ?? 200);

async function startApi(url: string): Promise<ApiProcess> {
  const api = await startApiProcess(
    {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: url,
      LOG_LEVEL: "warn",
      JWT_SECRET: randomBytes(32).toString("hex"),
      VAPI_WEBHOOK_SECRET: SECRET,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DATA_DIR: mkdtempSync(join(tmpdir(), "voxanne-bench-api-")),
    },
    { timeoutMs: 60_000, nodeArgs: process.env.BENCH_API_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_API_CPU_PROF}`] : [] },
  );
  // Never leave the API running if the benchmark itself is interrupted.
  const killChild = () => {
    api.child.kill("SIGKILL");
    process.exit(130);
  };
  process.once("SIGINT", killChild);
  process.once("SIGTERM", killChild);
  return {
    ...api,
    stop: async () => {
      process.off("SIGINT", killChild);
      process.off("SIGTERM", killChild);
      await api.stop();
    },
  };
}

// Each clinic's own line (phone numbers are unique): 41 random ones collided in about one run in ten.
let lineSeq = 1000;

async function createClinic(admin: pg.Pool, name: string) {
  const user = await admin.query(
    `insert into auth.users (email, raw_user_meta_data) values ($1, jsonb_build_object('clinic_name', $2::text, 'timezone', 'America/New_York')) returning id, raw_app_meta_data`,
    [`${randomBytes(5).toString("hex")}@bench.example`, name],
  );
  const orgId = (await admin.query("select org_id from profiles where user_id = $1", [user.rows[0].id])).rows[0].org_id as string;
  const assistantId = `asst_bench_${randomBytes(4).toString("hex")}`;
  const agent = await admin.query("insert into agents (org_id, role, name, vapi_assistant_id) values ($1, 'inbound', 'Receptionist', $2) returning id", [
    orgId,
    assistantId,
  ]);
  await admin.query("insert into phone_numbers (org_id, e164, vapi_phone_number_id, agent_id) values ($1, $2, $3, $4)", [
    orgId,
    `+1917555${String(++lineSeq).padStart(4, "0")}`,
    `pn_${assistantId}`,
    agent.rows[0].id,
  ]);
  await admin.query("update organizations set hot_lead_alert_number = '+12125550148' where id = $1", [orgId]);
  return { orgId, userId: user.rows[0].id as string, assistantId };
}

const LINES: [string, string][] = [
  ["bot", "Thank you for calling Sunrise Aesthetics, this is the virtual receptionist. How can I help?"],
  ["user", "Hi, I was wondering how much a facelift costs, and whether you do consultations?"],
  ["bot", "A facelift starts at $8,000. We offer consultations for $150. Would you like to book one?"],
  ["user", "That's great, thank you. Do you have availability next week? I'm really excited about it."],
  ["bot", "Yes, we have Tuesday at 10:00 AM or Wednesday at 2:30 PM."],
  ["user", "Let me check my calendar and I'll call you back. My date of birth is March 14th, 1985 if you need it."],
  ["bot", "No problem, we look forward to hearing from you."],
  ["user", "Thanks so much, bye!"],
];

const QUIET_LINES: [string, string][] = [
  ["bot", "Thank you for calling Sunrise Aesthetics, this is the virtual receptionist. How can I help?"],
  ["user", "Hi, what time do you open on Saturday?"],
  ["bot", "We're open from 10 AM to 2 PM on Saturdays."],
  ["user", "Okay, and where do I park? My SSN is 219-09-9999 if you need it for the file."],
  ["bot", "There is free parking behind the building. You don't need to give me that number."],
  ["user", "Thanks, bye."],
];

function report(assistantId: string, i: number) {
  // Most calls are routine; one in six is a hot lead that did not book (a job is queued).
  const lines = i % 6 === 0 ? LINES : QUIET_LINES;
  const start = Date.parse("2026-11-02T14:00:00Z") + i * 37_000;
  const phone = `+1212${String(2_000_000 + (i % 1500)).padStart(7, "0")}`;
  return {
    message: {
      type: "end-of-call-report",
      timestamp: start + 130_000,
      endedReason: "customer-ended-call",
      startedAt: new Date(start).toISOString(),
      endedAt: new Date(start + 125_000 + (i % 60) * 1000).toISOString(),
      cost: 0.21,
      call: { id: `bench-call-${i}`, type: "inboundPhoneCall", assistantId, customer: { number: phone } },
      customer: { number: phone },
      artifact: {
        transcript: lines.map(([r, t]) => `${r === "bot" ? "AI" : "User"}: ${t}`).join("\n"),
        messages: lines.map(([role, message], k) => ({ role, message, time: start + k * 9000, secondsFromStart: k * 9 })),
        recordingUrl: `https://storage.vapi.ai/bench-${i}-mono.wav`,
      },
      analysis: {
        summary: i % 6 === 0 ? "Caller asked about facelift pricing and consultations; will call back." : "Caller asked about opening hours and parking.",
        successEvaluation: "true",
      },
    },
  };
}

/** Runs `n` async tasks with at most `concurrency` in flight; returns elapsed ms. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }),
  );
  return performance.now() - t0;
}

// node:http with keep-alive rather than fetch: the load generator's own CPU is measured and
// shares the same 2 cores as the API and PostgreSQL, so it should cost as little as it can.
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(base: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/vapi/webhook`,
      { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-vapi-secret": SECRET } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`webhook answered ${res.statusCode}: ${Buffer.concat(chunks).toString()}`)),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function fingerprint(admin: pg.Pool, orgIds: string[]): Promise<string> {
  const parts: string[] = [];
  for (const sql of [
    "select count(*)::text || ':' || md5(coalesce(string_agg((to_jsonb(c) - 'search')::text, '|' order by c.vapi_call_id), '')) as f from call_logs c where org_id = any($1::uuid[])",
    "select count(*)::text || ':' || md5(coalesce(string_agg(to_jsonb(c)::text, '|' order by c.phone), '')) as f from contacts c where org_id = any($1::uuid[])",
    "select count(*)::text || ':' || md5(coalesce(string_agg(to_jsonb(u)::text, '|' order by u.day), '')) as f from usage_daily u where org_id = any($1::uuid[])",
    "select count(*)::text || ':' || md5(coalesce(string_agg(to_jsonb(m)::text, '|' order by m.id), '')) as f from messages m where org_id = any($1::uuid[])",
    "select count(*)::text as f from pgboss.job where name = 'hot-lead-alert' and data->>'orgId' = any($1::text[])",
  ]) {
    parts.push((await admin.query(sql, [orgIds])).rows[0].f);
  }
  return parts.join(" ");
}

async function jobsSettled(admin: pg.Pool, orgIds: string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { rows } = await admin.query(
      `select (select count(*) from pgboss.job where name = 'hot-lead-alert' and state in ('created', 'retry', 'active'))
            + (select count(*) from messages where org_id = any($1::uuid[]) and status = 'queued') as n`,
      [orgIds],
    );
    if (Number(rows[0].n) === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function ingestion(env: BenchEnv, api: ApiProcess, admin: pg.Pool, db: { url: string }): Promise<BenchRow[]> {
  const clinics: Awaited<ReturnType<typeof createClinic>>[] = [];
  for (let c = 0; c < CLINICS; c++) clinics.push(await createClinic(admin, `Ingestion Bench Clinic ${c}`));
  const bodies = Array.from({ length: REPORTS }, (_, i) => JSON.stringify(report(clinics[i % CLINICS]!.assistantId, i)));
  const orgIds = clinics.map((c) => c.orgId);
  // Warm up the process (JIT, pools) on other calls of another clinic.
  const warm = await createClinic(admin, "Warmup Clinic");
  await pool(200, CONCURRENCY, (i) => post(api.base, JSON.stringify(report(warm.assistantId, 100_000 + i))));

  // The baseline: bare single-row upserts, one transaction each, same concurrency and connection
  // count. Measured in slices alternating with the ingestion's, so that a machine that speeds up
  // or slows down during the run (shared hosts do) moves both sides of the ratio alike.
  // Spread over as many clinics as the reports: every clinic's day is one row of the dashboard
  // rollup (call_stats_daily), which each commit updates, so one clinic would queue on it.
  const bareClinics: Awaited<ReturnType<typeof createClinic>>[] = [];
  for (let c = 0; c < CLINICS; c++) bareClinics.push(await createClinic(admin, `Bare Upsert Clinic ${c}`));
  const bare = new pg.Pool({ connectionString: db.url, max: CONCURRENCY });
  bare.on("error", () => {}); // an idle connection dropped at teardown is not a failure
  const bareUpsert = (i: number) =>
    bare
      .query(
        `insert into call_logs (org_id, vapi_call_id, status, transcript, report_received_at) values ($1, $2, 'ended', $3, now())
         on conflict (vapi_call_id) do update set transcript = excluded.transcript where call_logs.report_received_at is null`,
        [bareClinics[i % CLINICS]!.orgId, `bare-${i}`, LINES.map((l) => l[1]).join("\n")],
      )
      .then(() => {});

  if (env.profiling) await admin.query("select pg_stat_statements_reset()");
  const cpu = { api: 0, postgres: 0, load: 0 };
  let firstMs = 0;
  let bareMs = 0;
  for (let from = 0; from < REPORTS; from += SLICE) {
    const n = Math.min(SLICE, REPORTS - from);
    // The previous slice's hot-lead jobs finish first (untimed): the baseline runs on a quiet database.
    await jobsSettled(admin, orgIds);
    bareMs += await pool(n, CONCURRENCY, (i) => bareUpsert(from + i));
    const cpu0 = { api: cpuSeconds(api.child.pid!), postgres: cpuSeconds(env.postmasterPid), load: ownCpuSeconds() };
    firstMs += await pool(n, CONCURRENCY, (i) => post(api.base, bodies[from + i]!));
    cpu.api += cpuSeconds(api.child.pid!) - cpu0.api;
    cpu.postgres += cpuSeconds(env.postmasterPid) - cpu0.postgres;
    cpu.load += ownCpuSeconds() - cpu0.load;
  }
  await bare.end();
  const statements = env.profiling ? await topStatements(admin) : [];
  await jobsSettled(admin, orgIds);
  const before = await fingerprint(admin, orgIds);
  const cpuAgain0 = { api: cpuSeconds(api.child.pid!), postgres: cpuSeconds(env.postmasterPid) };
  const againMs = await pool(REPORTS, CONCURRENCY, (i) => post(api.base, bodies[(i * 7919) % REPORTS]!)); // redelivered, shuffled
  const cpuAgain = { api: cpuSeconds(api.child.pid!) - cpuAgain0.api, postgres: cpuSeconds(env.postmasterPid) - cpuAgain0.postgres };
  await jobsSettled(admin, orgIds);
  const after = await fingerprint(admin, orgIds);
  const calls = (await admin.query("select count(*)::int as n from call_logs where org_id = any($1::uuid[])", [orgIds])).rows[0].n as number;

  const jobStates = (await admin.query("select state, count(*)::int as n from pgboss.job where name = 'hot-lead-alert' group by state order by state")).rows
    .map((r) => `${r.state} ${r.n}`)
    .join(", ");
  const messageStates = (await admin.query("select status, count(*)::int as n from messages where org_id = any($1::uuid[]) group by status", [orgIds])).rows
    .map((r) => `${r.status} ${r.n}`)
    .join(", ");
  const rate = (ms: number) => round((REPORTS / ms) * 1000, 0);
  return [
    {
      bench: "postcall",
      metric: `end-of-call ingestion (${REPORTS} reports, ${CONCURRENCY} concurrent)`,
      value: rate(firstMs),
      unit: "reports/s",
      baseline: `bare upsert ${rate(bareMs)}/s (${round(rate(bareMs) / rate(firstMs), 1)}× faster)`,
      target: "≥ 500 reports/s",
    },
    {
      bench: "postcall",
      metric: "CPU per report: API / PostgreSQL / load generator",
      value: `${round((cpu.api / REPORTS) * 1000, 2)} / ${round((cpu.postgres / REPORTS) * 1000, 2)} / ${round((cpu.load / REPORTS) * 1000, 2)} ms`,
      baseline: `wall ${round(firstMs / REPORTS, 2)} ms per report on 2 cores`,
    },
    ...statements.map((line, i) => ({ bench: "postcall", metric: `pg_stat_statements #${i + 1}`, value: line })),
    {
      bench: "postcall",
      metric: "redelivery of all reports (shuffled)",
      value: rate(againMs),
      unit: "reports/s",
      baseline: `CPU per report: API ${round((cpuAgain.api / REPORTS) * 1000, 2)} / PostgreSQL ${round((cpuAgain.postgres / REPORTS) * 1000, 2)} ms`,
    },
    { bench: "postcall", metric: "hot-lead alert jobs / messages", value: `${jobStates || "none"} / ${messageStates || "none"}` },
    {
      bench: "postcall",
      metric: "redelivery changed nothing",
      value: before === after && calls === REPORTS ? "yes" : `NO (${before} → ${after}, ${calls} calls)`,
      target: "yes",
    },
  ];
}

async function liveFeed(api: { base: string }, admin: pg.Pool, db: { url: string }): Promise<BenchRow[]> {
  const clinic = await createClinic(admin, "Live Bench Clinic");
  const tickets = Array.from({ length: CLIENTS }, () => randomBytes(32).toString("base64url"));
  // One staff member per dashboard: the feed allows a few sockets per user, not a thousand.
  const staff = await admin.query<{ id: string }>(
    `insert into auth.users (email, raw_app_meta_data)
     select 'staff-' || i || '-' || $2::text || '@bench.example', jsonb_build_object('org_id', $1::uuid, 'role', 'staff')
       from generate_series(1, $3::int) i
     returning id`,
    [clinic.orgId, randomBytes(4).toString("hex"), CLIENTS],
  );
  await admin.query(
    `insert into live_tickets (token_hash, org_id, user_id, session_id, expires_at)
     select h, $2, u, gen_random_uuid(), now() + interval '10 minutes' from unnest($1::text[], $3::uuid[]) as t(h, u)`,
    [tickets.map((t) => createHash("sha256").update(t).digest("hex")), clinic.orgId, staff.rows.map((r) => r.id)],
  );
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const wsBase = api.base.replace("http", "ws");
  const sockets: WebSocket[] = [];
  for (let i = 0; i < CLIENTS; i += 50) {
    await Promise.all(
      tickets.slice(i, i + 50).map(
        (t) =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(`${wsBase}/ws?ticket=${t}`, { perMessageDeflate: false });
            ws.on("message", (data) => {
              const text = data.toString();
              if (text.includes('"vapiCallId"')) {
                const at = performance.now();
                const id = /"vapiCallId": ?"([^"]+)"/.exec(text)?.[1];
                const t0 = id ? sent.get(id) : undefined;
                if (t0 !== undefined) latencies.push(at - t0);
              } else if (text.includes('"ready"')) resolve();
            });
            ws.on("error", reject);
            sockets.push(ws);
          }),
      ),
    );
  }
  for (let i = 0; i < 20; i++) await post(api.base, statusBody(clinic.assistantId, `warm-live-${i}`));
  await new Promise((r) => setTimeout(r, 500));
  latencies.length = 0;

  for (let i = 0; i < EVENTS; i++) {
    const id = `live-${i}`;
    sent.set(id, performance.now());
    await post(api.base, statusBody(clinic.assistantId, id));
    await new Promise((r) => setTimeout(r, 10));
  }
  const deadline = Date.now() + 30_000;
  while (latencies.length < EVENTS * CLIENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const ws of sockets) ws.terminate();

  // Baseline: the database part alone, NOTIFY → LISTEN on one connection pair.
  const listener = new pg.Client({ connectionString: db.url });
  const notifier = new pg.Client({ connectionString: db.url });
  await Promise.all([listener.connect(), notifier.connect()]);
  await listener.query("listen bench_baseline");
  const bare: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const t0 = performance.now();
    let notifiedAt = 0;
    const notified = new Promise<void>((resolve) =>
      listener.once("notification", () => {
        notifiedAt = performance.now();
        resolve();
      }),
    );
    // The notification can arrive before the NOTIFY's own reply: await both, so no query is left
    // pending when the clients are closed (that race crashed the run about half the time).
    await Promise.all([notified, notifier.query("select pg_notify('bench_baseline', $1)", [String(i)])]);
    bare.push(notifiedAt - t0);
  }
  await Promise.all([listener.end(), notifier.end()]);

  const s = summarize(latencies);
  const b = summarize(bare);
  return [
    {
      bench: "postcall",
      metric: `webhook → WebSocket, ${CLIENTS} dashboards × ${EVENTS} events, p50`,
      value: round(s.p50, 1),
      unit: "ms",
      baseline: `NOTIFY→LISTEN p50 ${round(b.p50, 2)} ms`,
    },
    {
      bench: "postcall",
      metric: `webhook → WebSocket, ${CLIENTS} dashboards × ${EVENTS} events, p99`,
      value: round(s.p99, 1),
      unit: "ms",
      baseline: `NOTIFY→LISTEN p99 ${round(b.p99, 2)} ms`,
      target: "p99 ≤ 100 ms",
    },
    { bench: "postcall", metric: "events delivered to every dashboard", value: `${latencies.length}/${EVENTS * CLIENTS}`, target: "all" },
  ];
}

function statusBody(assistantId: string, id: string): string {
  return JSON.stringify({
    message: {
      type: "status-update",
      status: "ringing",
      timestamp: Date.now(),
      call: { id, type: "inboundPhoneCall", assistantId, customer: { number: "+12125550100" } },
    },
  });
}

const bench: Benchmark = {
  name: "postcall",
  run: async (env) => {
    const db = await env.newDatabase();
    const api = await startApi(db.url);
    try {
      const rows = await ingestion(env, api, db.admin, db);
      rows.push(...(await liveFeed(api, db.admin, db)));
      return rows;
    } finally {
      await api.stop();
    }
  },
};
export default bench;
