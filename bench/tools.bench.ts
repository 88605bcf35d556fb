/**
 * Vapi tool webhooks under load:
 *  (a) server time of checkAvailability and bookClinicAppointment at 100 concurrent connections,
 *      against the bare SQL those handlers run (same statements, same transaction shape, same
 *      pool, no HTTP / JSON / auth / slot arithmetic), measured in the same run;
 *  (b) 500 concurrent bookings of one slot: exactly one books, 499 hear "taken — next free: …";
 *  (c) each tool's floor with nothing queued: the same message through the webhook without a
 *      tool, and the tool's bare SQL on one connection, each timed alone.
 *
 * Each tool call is a full Vapi message (the tool's schema, the assistant with its system prompt,
 * the conversation so far: about 7 KB), so reading it is part of what is timed;
 * BENCH_TOOLS_MESSAGE=minimal sends only the fields the handlers read.
 *
 * The load generator runs in a worker thread so it does not share the server's event loop.
 * Server time is measured around the whole Express app (request parsed → response finished).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Worker } from "node:worker_threads";
import { DateTime } from "luxon";
import { VAPI_TOOL_NAMES, type VapiToolName, vapiTools } from "@voxanne/contracts";
import { createApp } from "../apps/api/src/app";
import { assistantBody } from "../apps/api/src/integrations/vapi/assistant";
import { toolBody } from "../apps/api/src/integrations/vapi/tool-sync";
import { renderSystemPrompt } from "../apps/api/src/modules/agents/prompt";
import { settingsOf } from "../apps/api/src/modules/agents/service";
import { loadConfig } from "../apps/api/src/config";
import type { Database, Db } from "../apps/api/src/db/database";
import { createLogger } from "../apps/api/src/logger";
import { resolveClinic } from "../apps/api/src/modules/clinic/queries";
import { busyAndHeldRanges, insertAppointmentWithContact, lockBookingDays, slotState } from "../apps/api/src/modules/booking/queries";
import { releaseCallHolds, replaceCallHolds } from "../apps/api/src/modules/slot-holds/queries";
import { storeToolInvocationAndCommit } from "../apps/api/src/integrations/vapi/queries";
import { cpuSeconds, ownCpuSeconds, round, summarize, topStatements, type Benchmark, type BenchEnv, type BenchRow } from "./lib";

const CONCURRENCY = 100;
const REQUESTS = Number(process.env.BENCH_TOOLS_REQUESTS ?? 3000);
const WARMUP = Number(process.env.BENCH_TOOLS_WARMUP ?? 300);
const SEQUENTIAL = Number(process.env.BENCH_TOOLS_SEQUENTIAL ?? 300);
// 100 live calls each making a tool call every second: several times a real clinic peak.
const PACE_MS = 1000;
const PACED = Number(process.env.BENCH_TOOLS_PACED ?? 1000);
const RACE = 500;
const NOW = new Date("2026-03-02T14:00:00Z"); // Monday 09:00 in New York
const SECRET = "bench-vapi-webhook-secret-0123456789";
// The bare SQL's held offers: free half hours of the seeded calendar (minutes after local midnight).
const HOLD_MINUTES_OF_DAY = [600, 630, 720, 840, 960];
// The day each call asks for, by lane: a clinic's ten calls ask for different days of the coming
// week (each day has about 24 free half hours and every call holds 5 of what it is offered, so ten
// calls asking for one day would run it out and time the "no openings, here is the next day" path).
const ASKED_DAYS = ["tomorrow", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "next Monday"];
const askedDay = (lane: number) => Math.floor(lane / 10) % ASKED_DAYS.length;
const ALL_WEEK = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ start: "00:00", end: "24:00" }]]));

let lineSeq = 5_550_000;

type Clinic = { orgId: string; assistantId: string; phoneNumberId: string; number: string };

async function createClinics(db: Database, admin: import("pg").Pool, n: number, prefix: string, allWeek: boolean): Promise<Clinic[]> {
  const clinics: Clinic[] = [];
  for (let i = 0; i < n; i++) {
    const { rows } = await admin.query(
      `insert into public.organizations (name, timezone, business_hours, min_booking_notice_minutes, buffer_after_minutes)
       values ($1, 'America/New_York', coalesce($2::jsonb, '{"mon":[{"start":"09:00","end":"17:00"}],"tue":[{"start":"09:00","end":"17:00"}],"wed":[{"start":"09:00","end":"17:00"}],"thu":[{"start":"09:00","end":"17:00"}],"fri":[{"start":"09:00","end":"17:00"}],"sat":[],"sun":[]}'::jsonb), 0, 10)
       returning id`,
      [`${prefix} clinic ${i}`, allWeek ? JSON.stringify(ALL_WEEK) : null],
    );
    const orgId = rows[0].id as string;
    const c: Clinic = { orgId, assistantId: `asst_${prefix}_${i}`, phoneNumberId: `pn_${prefix}_${i}`, number: `+1646${String(++lineSeq).padStart(7, "0")}` };
    const agent = await admin.query("insert into public.agents (org_id, vapi_assistant_id) values ($1, $2) returning id", [orgId, c.assistantId]);
    await admin.query("insert into public.phone_numbers (org_id, e164, vapi_phone_number_id, agent_id) values ($1, $2, $3, $4)", [
      orgId,
      c.number,
      c.phoneNumberId,
      agent.rows[0].id,
    ]);
    clinics.push(c);
  }
  void db;
  return clinics;
}

/** A realistic calendar: a 30-minute appointment every other hour of the coming two weeks. */
async function seedAppointments(admin: import("pg").Pool, clinics: Clinic[]) {
  for (const c of clinics) {
    await admin.query(
      `insert into public.appointments (org_id, starts_at, ends_at, buffer_after_minutes)
       select $1, s, s + interval '30 minutes', 10
         from generate_series($2::timestamptz, $2::timestamptz + interval '14 days', interval '120 minutes') s`,
      [c.orgId, NOW],
    );
  }
}

// What Vapi sends with every tool call besides the call (reference: Vapi's tool-calls payload):
// the tool with its schema, the assistant as we configure it (system prompt, settings), and the
// conversation so far. BENCH_TOOLS_MESSAGE=minimal sends only the fields we read, as the runs
// before this payload was added did.
const FULL_MESSAGE = process.env.BENCH_TOOLS_MESSAGE !== "minimal";
const VAPI_CONFIG = { PUBLIC_API_URL: "https://api.clinic.example", VAPI_SECRET_HEADER: "x-vapi-secret", vapiWebhookSecret: SECRET };
const ASSISTANT = assistantBody(
  {
    orgId: "00000000-0000-4000-8000-000000000000",
    role: "inbound",
    clinicName: "Bench Clinic",
    settings: settingsOf(null, "inbound", "Bench Clinic"),
    systemPrompt: renderSystemPrompt(
      {
        clinicName: "Bench Clinic",
        clinicType: "med_spa",
        timezone: "America/New_York",
        currency: "USD",
        businessHours: ALL_WEEK,
        services: [
          { name: "Botox", price: 400, durationMinutes: 30 },
          { name: "Dermal fillers", price: 500, durationMinutes: 45 },
          { name: "Chemical peel", price: 150, durationMinutes: 45 },
          { name: "Facelift consultation", price: 250, durationMinutes: 60 },
          { name: "Laser hair removal", price: 300, durationMinutes: 30 },
        ],
        afterHoursMode: "take_message",
        minCancelNoticeMinutes: 1440,
        emergencyScript: null,
      },
      null,
    ),
    toolIds: VAPI_TOOL_NAMES.map((_, i) => `tool_${i}`),
  },
  VAPI_CONFIG,
);
const CONVERSATION = [
  ["bot", "Thank you for calling Bench Clinic, this is the receptionist. How can I help you today?"],
  ["user", "Hi, I'd like to book an appointment for Botox, if you have anything this week."],
  ["bot", "Of course. Have you visited us before, or would this be your first appointment?"],
  ["user", "It would be my first time. A friend recommended you."],
  ["bot", "Lovely, welcome. Which day works best for you?"],
  ["user", "Something later this week would be great, afternoons are easier for me."],
].map(([role, message], i) => ({
  role,
  message,
  time: NOW.getTime() - 60_000 + i * 8_000,
  endTime: NOW.getTime() - 56_000 + i * 8_000,
  secondsFromStart: 2 + i * 8,
  duration: 4_000,
}));

function message(c: Clinic, callId: string, toolCallId: string, name: string, args: Record<string, unknown>, caller: string) {
  const toolCall = { id: toolCallId, type: "function", function: { name, arguments: args } };
  const call = {
    id: callId,
    type: "inboundPhoneCall",
    status: "in-progress",
    assistantId: c.assistantId,
    phoneNumberId: c.phoneNumberId,
    customer: { number: caller },
  };
  if (!FULL_MESSAGE) {
    return JSON.stringify({
      message: {
        type: "tool-calls",
        timestamp: NOW.getTime(),
        call,
        phoneNumber: { id: c.phoneNumberId, number: c.number },
        customer: { number: caller },
        toolCallList: [toolCall],
      },
    });
  }
  const tool = vapiTools[name as VapiToolName];
  return JSON.stringify({
    message: {
      type: "tool-calls",
      timestamp: NOW.getTime(),
      toolCalls: [toolCall],
      toolCallList: [toolCall],
      toolWithToolCallList: tool ? [{ ...toolBody(tool, VAPI_CONFIG), toolCall }] : [],
      call: {
        ...call,
        orgId: "org_vapi_bench",
        phoneCallProvider: "twilio",
        phoneCallTransport: "pstn",
        phoneCallProviderId: `CA${callId.padEnd(32, "0").slice(0, 32)}`,
        createdAt: new Date(NOW.getTime() - 60_000).toISOString(),
        updatedAt: NOW.toISOString(),
      },
      phoneNumber: { id: c.phoneNumberId, number: c.number, provider: "twilio", name: "Front desk" },
      customer: { number: caller },
      assistant: ASSISTANT,
      artifact: {
        messages: CONVERSATION,
        messagesOpenAIFormatted: CONVERSATION.map((m) => ({ role: m.role === "bot" ? "assistant" : "user", content: m.message })),
      },
    },
  });
}

/** The same message as a speech-update, which the webhook acknowledges and drops: HTTP, auth and parsing alone. */
function asNoOp(body: string): string {
  const parsed = JSON.parse(body) as { message: { type: string } };
  parsed.message.type = "speech-update";
  return JSON.stringify(parsed);
}

/**
 * What one call costs here with nothing queued, in two parts measured apart: the message through
 * the webhook without a tool, and the tool's statements without HTTP. Their sum is near the least
 * a call can take on this machine without a different design, whatever the load.
 */
function floorRow(tool: string, http: { p50: number }, sql: { p50: number }): BenchRow {
  return {
    bench: "tools",
    metric: `${tool} floor @1 conn, p50: webhook without the tool + bare SQL`,
    value: `${round(http.p50)} + ${round(sql.p50)} = ${round(http.p50 + sql.p50)} ms`,
    baseline: "each measured alone, nothing queued",
  };
}

// The load generator: `concurrency` keep-alive connections, each sending the next body as soon as
// its previous answer arrived. Plain JS so the worker needs no TypeScript loader.
const LOAD_WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
const http = require("node:http");
const { url, bodies, concurrency, secret, intervalMs } = workerData;
const fs = require("node:fs");
// This thread's CPU seconds (utime + stime of /proc/thread-self/stat), so the server's share can be
// told apart from the load generator's although both run in one process.
function threadCpu() {
  const stat = fs.readFileSync("/proc/thread-self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}
const cpuAtStart = threadCpu();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);
let next = 0;
const latencies = new Array(bodies.length);
const texts = new Array(bodies.length);
function send(i, retry = true) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent,
      headers: { "content-type": "application/json", "x-vapi-secret": secret, "content-length": Buffer.byteLength(bodies[i]) } }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (data += c));
      res.on("end", () => {
        latencies[i] = performance.now() - started;
        // A tool's answer is JSON: what is said, instructions for the model, slot hints (integrations/vapi/speech.ts).
        try {
          const r = JSON.parse(data).results[0];
          const reply = JSON.parse(r.result ?? r.error);
          texts[i] = res.statusCode + " " + (r.result === undefined ? "ERROR " : "") + reply.say + (reply.slots && reply.slots.length ? " [slots]" : "");
        }
        catch { texts[i] = res.statusCode + " " + data; }
        resolve();
      });
    });
    // A keep-alive socket the server closed just as we reused it: retry once on a fresh one.
    req.on("error", (err) => (retry && err.code === "ECONNRESET" ? send(i, false).then(resolve, reject) : reject(err)));
    req.end(bodies[i]);
  });
}
async function loop() {
  // intervalMs > 0: each connection is a caller making one tool call per interval (open loop).
  if (intervalMs) await sleep(Math.random() * intervalMs);
  while (next < bodies.length) {
    const i = next++;
    const started = performance.now();
    await send(i);
    if (intervalMs) await sleep(Math.max(0, intervalMs - (performance.now() - started)));
  }
}
Promise.all(Array.from({ length: concurrency }, loop)).then(() => { agent.destroy(); parentPort.postMessage({ latencies, texts, cpu: threadCpu() - cpuAtStart }); });
`;

type LoadResult = { latencies: number[]; texts: string[]; cpu: number };

function runLoad(url: string, bodies: string[], concurrency: number, intervalMs = 0): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { url, bodies, concurrency, secret: SECRET, intervalMs } });
    worker.once("message", (m) => {
      void worker.terminate();
      resolve(m);
    });
    worker.once("error", reject);
  });
}

/**
 * CPU per call of a load phase, in ms: the server's share is this process's CPU less the load
 * worker's own thread (both run in one process); PostgreSQL's is the postmaster and its backends.
 */
function cpuPerCall(env: BenchEnv, before: { process: number; postgres: number }, loadCpu: number, calls: number) {
  const ms = (seconds: number) => round((seconds / calls) * 1000, 2);
  return { node: ms(ownCpuSeconds() - before.process - loadCpu), postgres: ms(cpuSeconds(env.postmasterPid) - before.postgres), load: ms(loadCpu) };
}

/** Runs `op(i)` for i in [0, n) on `concurrency` async lanes and returns each duration in ms. */
async function runSql(n: number, concurrency: number, op: (i: number) => Promise<void>): Promise<number[]> {
  const durations: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const started = performance.now();
        await op(i);
        durations.push(performance.now() - started);
      }
    }),
  );
  return durations;
}

/** The tool call's last statement and COMMIT, as the handler sends them (integrations/vapi/queries.ts). */
function storeAndCommit(
  db: Db,
  orgId: string,
  callId: string,
  toolCallId: string,
  toolName: string,
  args: unknown,
  result: string,
  appointmentId: string | null,
) {
  return storeToolInvocationAndCommit(db, {
    orgId,
    callId,
    toolCallId,
    toolName,
    args,
    result,
    error: null,
    outcome: "bench",
    emergency: false,
    appointmentId,
    durationMs: 1,
  });
}

/** Distinct, non-overlapping starts spread so that concurrent requests rarely share a (clinic, day) lock. */
/** "Patient Bcd": a name of name characters (the tools refuse digits in a name). */
function patientName(i: number): string {
  let letters = "";
  for (let n = i; ; n = Math.floor(n / 26) - 1) {
    letters = String.fromCharCode(97 + (n % 26)) + letters;
    if (n < 26) break;
  }
  return `Patient ${letters[0]!.toUpperCase()}${letters.slice(1)}`;
}

function bookingStart(i: number, clinics: number, days: number): { clinic: number; start: DateTime } {
  const clinic = i % clinics;
  const day = Math.floor(i / clinics) % days;
  const slot = Math.floor(i / (clinics * days));
  const start = DateTime.fromISO("2026-03-03T00:00:00", { zone: "America/New_York" })
    .plus({ days: day })
    .plus({ minutes: slot * 60 });
  return { clinic, start };
}

const bench: Benchmark = {
  name: "tools",
  run: async (env) => {
    const { db, admin } = await env.newDatabase();
    const config = loadConfig(
      {
        NODE_ENV: "production",
        LOG_LEVEL: "info",
        DATA_DIR: "/tmp/voxanne-bench-data",
        JWT_SECRET: "bench-jwt-secret-that-is-long-enough-0123456789",
        ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      } as NodeJS.ProcessEnv,
      {
        vapiWebhookSecret: SECRET,
      },
    );
    // Production-like logging (one pino-http line per request) into /dev/null.
    const { default: pino } = await import("pino");
    const logger = createLogger({ level: "info", destination: pino.destination({ dest: "/dev/null", sync: false }) });
    const app = createApp({ config, logger, db, clock: { now: () => new Date(NOW) } });

    let serverTimes: number[] = [];
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const started = performance.now();
      res.once("finish", () => serverTimes.push(performance.now() - started));
      app(req, res);
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/vapi/tools`;

    // Open around the clock, so 100 calls holding their offers (modules/slot-holds) do not run a
    // clinic out of free times: the common case, where the answer offers slots, is what is timed.
    const apiClinics = await createClinics(db, admin, 10, "api", true);
    const sqlClinics = await createClinics(db, admin, 10, "sql", true);
    await seedAppointments(admin, [...apiClinics, ...sqlClinics]);
    const apiBookClinics = await createClinics(db, admin, 10, "apib", true);
    const sqlBookClinics = await createClinics(db, admin, 10, "sqlb", true);
    await admin.query("analyze");

    const rows: BenchRow[] = [];
    const caller = (i: number) => `+1212${String(5000000 + i).padStart(7, "0")}`;

    // (a1) checkAvailability ------------------------------------------------------------------
    const availBodies = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) =>
        // One call per connection (lane), the same in every phase: a call's new offers replace the
        // slots it held before, so a clinic's ten calls hold at most 50 slots at any time.
        message(
          apiClinics[i % apiClinics.length]!,
          `avail-call-${i % CONCURRENCY}`,
          `${tag}-tc-${i}`,
          "checkAvailability",
          { date: ASKED_DAYS[askedDay(i % CONCURRENCY)] },
          caller(i),
        ),
      );
    await runLoad(url, availBodies(WARMUP, "warm"), CONCURRENCY);
    // One connection first: what a single tool call costs when nothing queues.
    serverTimes = [];
    if (env.profiling) await admin.query("select pg_stat_statements_reset()");
    await runLoad(url, availBodies(SEQUENTIAL, "seq"), 1);
    const availAlone = summarize(serverTimes);
    const availStatements = env.profiling ? await topStatements(admin, 10) : [];
    serverTimes = [];
    await runLoad(url, availBodies(PACED, "paced"), CONCURRENCY, PACE_MS);
    const availPaced = summarize(serverTimes);
    serverTimes = [];
    let wallStart = performance.now();
    let cpu0 = { process: ownCpuSeconds(), postgres: cpuSeconds(env.postmasterPid) };
    const avail = await runLoad(url, availBodies(REQUESTS, "avail"), CONCURRENCY);
    const availWall = performance.now() - wallStart;
    const availCpu = cpuPerCall(env, cpu0, avail.cpu, REQUESTS);
    const availServer = summarize(serverTimes);
    const availClient = summarize(avail.latencies);
    const availOk = avail.texts.filter((x) => x.startsWith("200 ") && x.endsWith(" [slots]")).length;
    const askedDayOk = avail.texts.filter((x) => x.startsWith("200 I have openings")).length;

    // The days' dates are worked out before timing: the bare SQL is the statements alone, without
    // the time-zone arithmetic (luxon) the handler does around them.
    const monday = DateTime.fromJSDate(NOW, { zone: "America/New_York" }).startOf("day");
    const sqlDays = ASKED_DAYS.map((_, d) => {
      const day = monday.plus({ days: 1 + d });
      return {
        iso: day.toISODate()!,
        from: day.minus({ days: 1 }).toJSDate(),
        to: day.plus({ days: 2 }).toJSDate(),
        starts: HOLD_MINUTES_OF_DAY.map((m) => day.plus({ minutes: m }).toJSDate()),
      };
    });
    cpu0 = { process: ownCpuSeconds(), postgres: cpuSeconds(env.postmasterPid) };
    const availSqlOp = (i: number) =>
      db.asSystem(async (tx) => {
        const c = sqlClinics[i % sqlClinics.length]!;
        const callId = `sql-call-${i % CONCURRENCY}`;
        const day = sqlDays[askedDay(i % CONCURRENCY)]!;
        const clinic = (await resolveClinic(
          tx,
          { assistantId: c.assistantId, phoneNumberId: c.phoneNumberId, phoneNumber: c.number },
          { callId, toolCallId: `sql-tc-${i}` },
          { asyncCommit: true },
        ))!;
        await busyAndHeldRanges(tx, clinic.orgId, day.from, day.to, callId);
        // The offers are held for the call, under the day's booking lock, sent together (modules/slot-holds).
        await Promise.all([
          lockBookingDays(tx, clinic.orgId, [day.iso]),
          replaceCallHolds(tx, clinic.orgId, callId, {
            starts: day.starts,
            durationMinutes: 30,
            bufferBefore: 0,
            bufferAfter: 10,
            minutes: 5,
          }),
        ]);
        await storeAndCommit(
          tx,
          clinic.orgId,
          callId,
          `sql-tc-${i}`,
          "checkAvailability",
          { date: ASKED_DAYS[askedDay(i % CONCURRENCY)] },
          "I have openings on …",
          null,
        );
      });
    const availSql = summarize(await runSql(REQUESTS, CONCURRENCY, availSqlOp));
    const availSqlCpu = cpuPerCall(env, cpu0, 0, REQUESTS);
    // The floor of one call here, nothing queued: its statements alone, and the same message
    // answered by the webhook without a tool (a speech-update is acknowledged and dropped).
    const availSqlAlone = summarize(await runSql(SEQUENTIAL, 1, (i) => availSqlOp(REQUESTS + i)));
    serverTimes = [];
    await runLoad(url, availBodies(SEQUENTIAL, "floor").map(asNoOp), 1);
    const availHttpAlone = summarize(serverTimes);

    rows.push(
      { bench: "tools", metric: "checkAvailability server p50 @100 conc", value: round(availServer.p50), unit: "ms" },
      { bench: "tools", metric: "checkAvailability server p99 @100 conc", value: round(availServer.p99), unit: "ms" },
      {
        bench: "tools",
        metric: "checkAvailability bare SQL p50 / p99",
        value: `${round(availSql.p50)} / ${round(availSql.p99)} ms`,
        baseline: `same statements, no HTTP; CPU per call: Node ${availSqlCpu.node} / PostgreSQL ${availSqlCpu.postgres} ms`,
      },
      {
        bench: "tools",
        metric: "checkAvailability @100 conc ÷ bare SQL (p50, saturation cost)",
        value: round(availServer.p50 / availSql.p50),
        unit: "×",
        target: "≤ 1.3×",
        baseline: `${round(availSql.p50)} ms`,
      },
      {
        bench: "tools",
        metric: "checkAvailability client p50 / p99",
        value: `${round(availClient.p50)} / ${round(availClient.p99)} ms`,
        baseline: `${availOk}/${REQUESTS} answered with slots, ${askedDayOk} on the asked day`,
      },
      { bench: "tools", metric: "checkAvailability throughput @100 conc", value: round(REQUESTS / (availWall / 1000), 0), unit: "req/s" },
      {
        bench: "tools",
        metric: "checkAvailability CPU per call @100 conc: API / PostgreSQL / load generator",
        value: `${availCpu.node} / ${availCpu.postgres} / ${availCpu.load} ms`,
      },
      {
        bench: "tools",
        metric: "checkAvailability server p50 / p99 @1 conn",
        value: `${round(availAlone.p50)} / ${round(availAlone.p99)} ms`,
        baseline: "nothing queued",
      },
      {
        bench: "tools",
        metric: "checkAvailability server p50 / p99, 100 calls × 1/s",
        value: `${round(availPaced.p50)} / ${round(availPaced.p99)} ms`,
        target: "≤ 5 / 20 ms",
      },
      floorRow("checkAvailability", availHttpAlone, availSqlAlone),
    );

    rows.push(...availStatements.map((line, i) => ({ bench: "tools", metric: `checkAvailability @1 conn, pg_stat_statements #${i + 1}`, value: line })));

    // (a2) bookClinicAppointment --------------------------------------------------------------
    const bookBodies = (n: number, tag: string, offset: number) =>
      Array.from({ length: n }, (_, k) => {
        const i = k + offset;
        const { clinic, start } = bookingStart(i, apiBookClinics.length, 30);
        return message(
          apiBookClinics[clinic]!,
          `${tag}-call-${i}`,
          `${tag}-tc-${i}`,
          "bookClinicAppointment",
          { name: patientName(i), start: start.toISO() },
          caller(i),
        );
      });
    await runLoad(url, bookBodies(WARMUP, "warmb", REQUESTS), CONCURRENCY);
    serverTimes = [];
    if (env.profiling) await admin.query("select pg_stat_statements_reset()");
    await runLoad(url, bookBodies(SEQUENTIAL, "seqb", REQUESTS + WARMUP), 1);
    const bookAlone = summarize(serverTimes);
    const bookStatements = env.profiling ? await topStatements(admin, 10) : [];
    serverTimes = [];
    await runLoad(url, bookBodies(PACED, "pacedb", REQUESTS + WARMUP + SEQUENTIAL), CONCURRENCY, PACE_MS);
    const bookPaced = summarize(serverTimes);
    serverTimes = [];
    wallStart = performance.now();
    cpu0 = { process: ownCpuSeconds(), postgres: cpuSeconds(env.postmasterPid) };
    const book = await runLoad(url, bookBodies(REQUESTS, "book", 0), CONCURRENCY);
    const bookWall = performance.now() - wallStart;
    const bookCpu = cpuPerCall(env, cpu0, book.cpu, REQUESTS);
    const bookServer = summarize(serverTimes);
    const bookClient = summarize(book.latencies);
    const bookOk = book.texts.filter((x) => x.startsWith("200 You're booked")).length;

    // As above, the starts are worked out before timing.
    const sqlStarts = Array.from({ length: REQUESTS + SEQUENTIAL }, (_, i) => {
      const { clinic, start } = bookingStart(i, sqlBookClinics.length, 30);
      return { clinic, start: start.toJSDate(), iso: start.toISODate()! };
    });
    cpu0 = { process: ownCpuSeconds(), postgres: cpuSeconds(env.postmasterPid) };
    const bookSqlOp = (i: number) =>
      db.asSystem(async (tx) => {
        const { clinic: ci, start, iso } = sqlStarts[i]!;
        const c = sqlBookClinics[ci]!;
        const clinic = (await resolveClinic(
          tx,
          { assistantId: c.assistantId, phoneNumberId: c.phoneNumberId, phoneNumber: c.number },
          { callId: `sqlb-call-${i}`, toolCallId: `sqlb-tc-${i}` },
        ))!;
        const service = clinic.defaultService;
        const end = new Date(start.getTime() + service!.durationMinutes * 60_000);
        const span = { start, end, bufferBefore: 0, bufferAfter: 10 };
        await Promise.all([
          lockBookingDays(tx, clinic.orgId, [iso]),
          slotState(tx, clinic.orgId, { callId: `sqlb-call-${i}`, holderCallId: `sqlb-call-${i}`, ...span }),
        ]);
        const contact = { phone: caller(i), name: patientName(i), email: null, dateOfBirth: null, serviceName: service!.name, now: NOW };
        const id = await insertAppointmentWithContact(tx, clinic.orgId, contact, {
          serviceId: service!.id,
          callId: `sqlb-call-${i}`,
          start,
          end,
          bufferBefore: 0,
          bufferAfter: 10,
          idempotencyKey: `sqlb-${i}`,
          notes: null,
        });
        // Booked: the call's other offers are released (integrations/vapi/tools/booking.ts).
        await releaseCallHolds(tx, clinic.orgId, `sqlb-call-${i}`);
        await storeAndCommit(tx, clinic.orgId, `sqlb-call-${i}`, `sqlb-tc-${i}`, "bookClinicAppointment", { name: patientName(i) }, "You're booked …", id);
      });
    const bookSql = summarize(await runSql(REQUESTS, CONCURRENCY, bookSqlOp));
    const bookSqlCpu = cpuPerCall(env, cpu0, 0, REQUESTS);
    // Past the concurrent run's bookings (bookingStart: later hours of the same days).
    const bookSqlAlone = summarize(await runSql(SEQUENTIAL, 1, (i) => bookSqlOp(REQUESTS + i)));
    serverTimes = [];
    await runLoad(url, bookBodies(SEQUENTIAL, "floorb", 2 * REQUESTS).map(asNoOp), 1);
    const bookHttpAlone = summarize(serverTimes);

    rows.push(
      { bench: "tools", metric: "bookClinicAppointment server p50 @100 conc", value: round(bookServer.p50), unit: "ms" },
      { bench: "tools", metric: "bookClinicAppointment server p99 @100 conc", value: round(bookServer.p99), unit: "ms" },
      {
        bench: "tools",
        metric: "bookClinicAppointment bare SQL p50 / p99",
        value: `${round(bookSql.p50)} / ${round(bookSql.p99)} ms`,
        baseline: `same statements, no HTTP; CPU per call: Node ${bookSqlCpu.node} / PostgreSQL ${bookSqlCpu.postgres} ms`,
      },
      {
        bench: "tools",
        metric: "bookClinicAppointment @100 conc ÷ bare SQL (p50, saturation cost)",
        value: round(bookServer.p50 / bookSql.p50),
        unit: "×",
        target: "≤ 1.3×",
        baseline: `${round(bookSql.p50)} ms`,
      },
      {
        bench: "tools",
        metric: "bookClinicAppointment client p50 / p99",
        value: `${round(bookClient.p50)} / ${round(bookClient.p99)} ms`,
        baseline: `${bookOk}/${REQUESTS} booked`,
      },
      { bench: "tools", metric: "bookClinicAppointment throughput @100 conc", value: round(REQUESTS / (bookWall / 1000), 0), unit: "req/s" },
      {
        bench: "tools",
        metric: "bookClinicAppointment CPU per call @100 conc: API / PostgreSQL / load generator",
        value: `${bookCpu.node} / ${bookCpu.postgres} / ${bookCpu.load} ms`,
      },
      {
        bench: "tools",
        metric: "bookClinicAppointment server p50 / p99 @1 conn",
        value: `${round(bookAlone.p50)} / ${round(bookAlone.p99)} ms`,
        baseline: "nothing queued",
      },
      {
        bench: "tools",
        metric: "bookClinicAppointment server p50 / p99, 100 calls × 1/s",
        value: `${round(bookPaced.p50)} / ${round(bookPaced.p99)} ms`,
        target: "≤ 5 / 20 ms",
      },
      floorRow("bookClinicAppointment", bookHttpAlone, bookSqlAlone),
    );

    rows.push(...bookStatements.map((line, i) => ({ bench: "tools", metric: `bookClinicAppointment @1 conn, pg_stat_statements #${i + 1}`, value: line })));

    // (b) 500 concurrent bookings of one slot --------------------------------------------------
    const [raceClinic] = await createClinics(db, admin, 1, "race", false);
    const raceBodies = Array.from({ length: RACE }, (_, i) =>
      message(
        raceClinic!,
        `race-call-${i}`,
        `race-tc-${i}`,
        "bookClinicAppointment",
        { name: `Racer ${patientName(i).slice(8)}`, start: "2026-03-03T14:00:00-05:00" },
        caller(900000 + i),
      ),
    );
    const race = await runLoad(url, raceBodies, RACE);
    const booked = race.texts.filter((x) => x.startsWith("200 You're booked")).length;
    const taken = race.texts.filter((x) => /^200 Sorry, .* was just taken\. .*\[slots\]$/.test(x)).length;
    const stored = (await admin.query("select count(*)::int as n from public.appointments where org_id = $1 and status = 'booked'", [raceClinic!.orgId]))
      .rows[0].n;
    const overlapping = (
      await admin.query(
        `select count(*)::int as n from public.appointments a join public.appointments b on a.org_id = b.org_id and a.id < b.id and a.busy_range && b.busy_range
          where a.org_id = $1 and a.status in ('booked','confirmed') and b.status in ('booked','confirmed')`,
        [raceClinic!.orgId],
      )
    ).rows[0].n;
    rows.push(
      {
        bench: "tools",
        metric: `${RACE} concurrent bookings of one slot`,
        value: `${booked} booked, ${taken} "taken — next free", ${stored} row(s), ${overlapping} overlaps`,
        target: `1 booked, ${RACE - 1} taken, 0 overlaps`,
      },
      {
        bench: "tools",
        metric: `${RACE}-way race client p50 / p99`,
        value: `${round(summarize(race.latencies).p50)} / ${round(summarize(race.latencies).p99)} ms`,
      },
    );

    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    return rows;
  },
};

export default bench;
