import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { virtualClock } from "../src/simulator/engine";
import { DEMO_IDENTITY, simCaller } from "../src/simulator/identity";
import { seedSimulatedHistory } from "../src/simulator/history";
import { SCENARIO_NAMES } from "../src/simulator/scenarios";
import { createTestApp, type TestApp } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";
import { playScenario, testTransport } from "./helpers/postcall";
import { TestClock, addVapiIdentity } from "./helpers/vapi";

const apiDir = join(dirname(fileURLToPath(import.meta.url)), "..");
// A Monday morning in New York.
const NOW = new Date("2026-11-30T15:00:00Z");

let t: TestApp;
let http: TestHttp;
let owner: TestUser;
let identity: Awaited<ReturnType<typeof addVapiIdentity>>;

beforeAll(async () => {
  t = await createTestApp({ clock: new TestClock(NOW) });
  http = await listen(t.app);
  owner = await signUpClinic(t, { clinicName: "Simulated Clinic" });
  identity = await addVapiIdentity(t.admin, owner.orgId);
  await t.admin.query("update organizations set transfer_number = '+12125550147', min_cancel_notice_minutes = 0 where id = $1", [owner.orgId]);
});

const count = async (sql: string, params: unknown[] = []) => (await t.admin.query(sql, params)).rows[0].n as number;

describe("call simulator", () => {
  it("has the eight scenarios, and a returning patient checking their time", () => {
    expect(SCENARIO_NAMES.sort()).toEqual(
      [
        "after-hours",
        "cancellation",
        "emergency",
        "new-patient-books",
        "price-question",
        "race",
        "returning-patient-asks",
        "returning-patient-reschedules",
        "transfer",
      ].sort(),
    );
  });

  it("two callers racing for one slot: exactly one gets it, the other books the next free time; no overlaps", async () => {
    const { calls } = await playScenario("race", {
      transport: testTransport(http, t.config.vapiWebhookSecret),
      identity,
      caller: { name: "Priya Sharma", phone: "+12125550301" },
      otherCaller: { name: "Lucas Silva", phone: "+12125550302" },
      clock: virtualClock(NOW),
    });
    const bookingResults = calls.map((c) => c.toolResults.filter((r) => r.name === "bookClinicAppointment").map((r) => r.result));
    const firstTries = bookingResults.map((r) => r[0]!);
    expect(firstTries.filter((r) => r.startsWith(`{"say":"You're booked`))).toHaveLength(1);
    expect(firstTries.filter((r) => /just taken/.test(r))).toHaveLength(1);
    // The loser's second try (the next free time) succeeds.
    expect(bookingResults.flat().filter((r) => r.startsWith(`{"say":"You're booked`))).toHaveLength(2);
    const rows = (
      await t.admin.query("select vapi_call_id, starts_at from appointments where org_id = $1 and status = 'booked' order by starts_at", [owner.orgId])
    ).rows;
    expect(rows).toHaveLength(2);
    expect(rows[0].starts_at.getTime()).not.toBe(rows[1].starts_at.getTime());
    // Both calls are logged, booked, and each caller is a booked lead.
    expect(await count("select count(*)::int as n from call_logs where org_id = $1 and booking_confirmed", [owner.orgId])).toBe(2);
    expect(await count("select count(*)::int as n from contacts where org_id = $1 and lead_status = 'booked'", [owner.orgId])).toBe(2);
  });

  it("every scenario plays end to end through the real endpoints", async () => {
    let phone = 400;
    for (const name of SCENARIO_NAMES) {
      const { calls } = await playScenario(name, {
        transport: testTransport(http, t.config.vapiWebhookSecret),
        identity,
        caller: { name: "Emma Walsh", phone: `+12125550${phone++}` },
        otherCaller: { name: "Leo Moreau", phone: `+12125550${phone++}` },
        clock: virtualClock(NOW),
      });
      for (const call of calls) {
        const row = (await t.admin.query("select status, report_received_at, transcript from call_logs where vapi_call_id = $1", [call.id])).rows[0];
        expect(row, `${name}: ${call.id}`).toMatchObject({ status: "ended" });
        expect(row.report_received_at).not.toBeNull();
        expect(row.transcript.length).toBeGreaterThan(20);
        expect(
          call.toolResults.every((r) => r.result !== "No result returned."),
          name,
        ).toBe(true);
      }
    }
    const transfer = (await t.admin.query("select transfer_to, transfer_reason from call_logs where org_id = $1 and transfer_to is not null", [owner.orgId]))
      .rows;
    expect(transfer).toEqual([{ transfer_to: "+12125550147", transfer_reason: "Billing question" }]);
    expect(await count("select count(*)::int as n from call_logs where org_id = $1 and is_emergency", [owner.orgId])).toBe(1);
    // One cancelled by the cancellation call, one replaced by the reschedule.
    expect(await count("select count(*)::int as n from appointments where org_id = $1 and status = 'cancelled'", [owner.orgId])).toBe(2);
    expect(await count("select count(*)::int as n from appointments where org_id = $1 and rescheduled_from is not null", [owner.orgId])).toBe(1);
  });

  it("npm run simulate plays a scenario at a running backend over signed HTTP", async () => {
    const before = await count("select count(*)::int as n from call_logs where org_id = $1", [owner.orgId]);
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/simulator/cli.ts",
        "--scenario",
        "price-question",
        "--api",
        http.baseUrl,
        "--speed",
        "0",
        "--caller",
        "7",
        "--assistant",
        identity.assistantId,
        "--phone-number-id",
        identity.phoneNumberId,
        "--clinic-number",
        identity.clinicNumber,
      ],
      { cwd: apiDir, env: { ...process.env, VAPI_WEBHOOK_SECRET: t.config.vapiWebhookSecret }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((r) => child.once("exit", r));
    expect(code, out).toBe(0);
    expect(out).toContain("status → ringing");
    expect(out).toContain("getServicePrice");
    expect(out).toMatch(/✓ price-question: 1 call/);
    expect(await count("select count(*)::int as n from call_logs where org_id = $1", [owner.orgId])).toBe(before + 1);

    const bad = spawn(process.execPath, ["--import", "tsx", "src/simulator/cli.ts", "--scenario", "nope"], {
      cwd: apiDir,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    bad.stderr.on("data", (b: Buffer) => (err += b.toString()));
    expect(await new Promise((r) => bad.once("exit", r))).toBe(2);
    expect(err).toContain('Unknown scenario "nope"');
  });
});

describe("demo history", () => {
  it("creates about 30 days of believable calls through the simulator, once", async () => {
    const demo = await signUpClinic(t, { clinicName: "Demo History Clinic", timezone: "America/New_York" });
    await t.admin.query("update organizations set transfer_number = '+12125550147' where id = $1", [demo.orgId]);
    const first = await seedSimulatedHistory({ db: t.db, orgId: demo.orgId, logger: t.deps.logger, now: NOW });
    expect(first.skipped).toBe(false);
    expect(first.calls).toBeGreaterThan(60);

    const q = async (sql: string) => (await t.admin.query(sql, [demo.orgId])).rows[0];
    const span = await q(
      "select count(distinct (started_at at time zone 'America/New_York')::date)::int as days, min(started_at) as first, max(started_at) as last from call_logs where org_id = $1",
    );
    expect(span.days).toBeGreaterThanOrEqual(20);
    expect(NOW.getTime() - span.first.getTime()).toBeGreaterThan(25 * 86_400_000);
    expect(span.last.getTime()).toBeLessThan(NOW.getTime());
    const mix = await q(
      `select count(*) filter (where booking_confirmed)::int as booked, count(*) filter (where is_emergency)::int as emergencies,
              count(*) filter (where transfer_to is not null)::int as transfers, count(*) filter (where lead_temperature = 'hot' and not booking_confirmed)::int as hot_unbooked,
              count(*) filter (where report_received_at is null)::int as unfinished, count(distinct contact_id)::int as callers,
              count(*) filter (where lead_temperature = 'hot')::int as hot, count(*)::int as total,
              count(*) filter (where lead_temperature = 'hot' and booking_confirmed)::int as hot_booked,
              count(*) filter (where is_emergency and (lead_temperature <> 'hot' or financial_value > 0))::int as emergencies_mislabelled
         from call_logs where org_id = $1`,
    );
    // Labels that agree (docs/LEAD_SCORING.md): hot = needs a human soon — a minority, never a booking, every emergency.
    expect(mix.hot_booked).toBe(0);
    expect(mix.emergencies_mislabelled).toBe(0);
    expect(mix.hot / mix.total).toBeLessThan(0.35);
    expect(mix.booked).toBeGreaterThan(15);
    expect(mix.hot_unbooked).toBeGreaterThan(3);
    expect(mix.transfers).toBeGreaterThan(0);
    expect(mix.unfinished).toBe(0);
    expect(mix.callers).toBeGreaterThan(20);
    expect((await q("select count(*)::int as n from usage_daily where org_id = $1")).n).toBeGreaterThanOrEqual(20);
    expect((await q("select count(*)::int as n from appointments where org_id = $1")).n).toBeGreaterThan(15);

    // The dashboard is not empty for that clinic.
    const stats = await http.request("GET", "/api/dashboard/stats?range=30d", { headers: demo.bearer });
    expect(stats.body.totalCalls).toBeGreaterThan(50);
    expect(stats.body.successRate).toBeGreaterThan(0);

    const again = await seedSimulatedHistory({ db: t.db, orgId: demo.orgId, logger: t.deps.logger, now: NOW });
    expect(again.skipped).toBe(true);
    expect((await q("select count(*)::int as n from call_logs where org_id = $1")).n).toBe(first.calls);
  }, 120_000); // ~800 simulated calls through the real endpoints: 13 s on a quiet machine, far longer on a loaded CI box
});

describe("simulated identities", () => {
  it("never give a caller the demo clinic's own number", () => {
    const callers = Array.from({ length: 500 }, (_, i) => simCaller(i).phone);
    expect(callers).not.toContain(DEMO_IDENTITY.clinicNumber);
  });
});

describe("demo recordings", () => {
  it("a simulated call's recording is served by this API (no outside host) to signed-in members", async () => {
    const { calls } = await playScenario("new-patient-books", {
      transport: testTransport(http, t.config.vapiWebhookSecret),
      identity,
      caller: { name: "Rec Ording", phone: "+12125550388" },
      clock: virtualClock(NOW),
    });
    const { rows } = await t.admin.query("select recording_url, stereo_recording_url, recording_status from call_logs where vapi_call_id = $1", [calls[0]!.id]);
    expect(rows[0]).toEqual({
      recording_url: `/api/demo/recordings/${calls[0]!.id}-mono.wav`,
      stereo_recording_url: `/api/demo/recordings/${calls[0]!.id}-stereo.wav`,
      recording_status: "completed",
    });
    const res = await fetch(`${http.baseUrl}${rows[0].recording_url}`, { headers: owner.bearer });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/wav");
    const audio = Buffer.from(await res.arrayBuffer());
    expect(audio.subarray(0, 4).toString()).toBe("RIFF");
    expect(audio.subarray(8, 12).toString()).toBe("WAVE");
    expect(audio.readUInt16LE(22)).toBe(1); // mono
    expect(audio.length).toBeGreaterThan(40_000); // seconds of audio, not an empty file
    const stereo = Buffer.from(await (await fetch(`${http.baseUrl}${rows[0].stereo_recording_url}`, { headers: owner.bearer })).arrayBuffer());
    expect(stereo.readUInt16LE(22)).toBe(2);
    // Signed out: refused. A name that is not a recording: not found, with a message.
    expect((await fetch(`${http.baseUrl}${rows[0].recording_url}`)).status).toBe(401);
    const bad = await http.request("GET", "/api/demo/recordings/..%2F..%2Fetc%2Fpasswd", { headers: owner.bearer });
    expect(bad.status).toBe(404);
    expect(bad.body.error.message).toMatch(/No demo recording/);
  });
});
