import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { parseEndOfCallReport } from "../src/integrations/vapi/payload";
import type { JobRunner } from "../src/jobs/runner";
import { ReportBatcher } from "../src/modules/pipeline/batcher";
import { TWILIO_NOT_CONNECTED } from "../src/modules/messages/sms";
import { virtualClock } from "../src/simulator/engine";
import { createTestApp, type TestApp } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";
import { eventually, playScenario, startTestJobs, testTransport } from "./helpers/postcall";
import { TestClock, addVapiIdentity } from "./helpers/vapi";

// A Tuesday morning in New York: the clinic is open and has free slots all week.
const NOW = new Date("2026-12-01T15:00:00Z");

let t: TestApp;
let http: TestHttp;
let jobs: JobRunner;
let owner: TestUser;
let identity: Awaited<ReturnType<typeof addVapiIdentity>>;
const clock = new TestClock(NOW);
let firstReport: object | null = null;

beforeAll(async () => {
  t = await createTestApp({ clock });
  jobs = await startTestJobs(t);
  http = await listen(createApp({ ...t.deps, jobs }));
  owner = await signUpClinic(t, { clinicName: "Pipeline Clinic", timezone: "America/New_York" });
  identity = await addVapiIdentity(t.admin, owner.orgId);
  await t.admin.query("update organizations set transfer_number = '+12125550100' where id = $1", [owner.orgId]);
});
afterAll(async () => {
  if (process.env.DEBUG_LOGS)
    console.log(
      t.logs
        .text()
        .split("\n")
        .filter((l) => l.includes('"level":50'))
        .join("\n"),
    );
  await jobs?.stop();
});

const transport = () => testTransport(http, t.config.vapiWebhookSecret);

async function snapshot(vapiCallId: string, phone: string) {
  const q = async (sql: string, params: unknown[]) => (await t.admin.query(sql, params)).rows;
  return {
    call: await q("select to_jsonb(c) - 'search' as row from call_logs c where vapi_call_id = $1", [vapiCallId]),
    contact: await q("select to_jsonb(c) as row from contacts c where org_id = $1 and phone = $2", [owner.orgId, phone]),
    appointments: await q("select to_jsonb(a) as row from appointments a where org_id = $1 order by id", [owner.orgId]),
    usage: await q("select to_jsonb(u) as row from usage_daily u where org_id = $1", [owner.orgId]),
    messages: await q("select to_jsonb(m) as row from messages m where org_id = $1 order by id", [owner.orgId]),
    jobs: await q("select count(*)::int as n from pgboss.job where name = 'hot-lead-alert'", []),
  };
}

describe("post-call pipeline, end to end through the webhooks", () => {
  it("a simulated booking call yields one call log, one contact, one appointment, booked lead, value and sentiment", async () => {
    const caller = { name: "Maria Lopez", phone: "+12125550111" };
    const { calls } = await playScenario("new-patient-books", { transport: transport(), identity, caller, clock: virtualClock(NOW) });
    const call = calls[0]!;
    firstReport = call.lastReport;
    expect(call.toolResults.find((r) => r.name === "bookClinicAppointment")?.result).toMatch(/^\{"say":"You're booked/);

    const logs = (await t.admin.query("select * from call_logs where org_id = $1", [owner.orgId])).rows;
    expect(logs).toHaveLength(1);
    const log = logs[0];
    expect(log).toMatchObject({
      vapi_call_id: call.id,
      status: "ended",
      direction: "inbound",
      from_number: caller.phone,
      to_number: identity.clinicNumber,
      booking_confirmed: true,
      financial_value: 400, // Botox, from the clinic's own price list
      sentiment_label: "positive",
      sentiment_source: "lexicon",
      recording_status: "completed",
      ended_reason: "customer-ended-call",
      // A high score, but booked: nobody needs to call back (docs/LEAD_SCORING.md, Temperature).
      lead_temperature: "warm",
      is_emergency: false,
    });
    expect(log.duration_seconds).toBeGreaterThan(20);
    expect(log.service_interests).toEqual(["Botox"]);
    expect(log.lead_score).toBeGreaterThanOrEqual(70);
    expect(log.report_received_at).not.toBeNull();
    // The caller's date of birth never reached the database.
    expect(log.transcript).toContain("[REDACTED DOB]");
    expect(JSON.stringify(log.messages)).not.toMatch(/March 14th, 1985/);

    const contacts = (await t.admin.query("select * from contacts where org_id = $1", [owner.orgId])).rows;
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({
      phone: caller.phone,
      name: "Maria Lopez",
      lead_status: "booked",
      lead_temperature: "warm",
      lead_score: log.lead_score,
    });
    expect(log.contact_id).toBe(contacts[0].id);

    const appointments = (await t.admin.query("select * from appointments where org_id = $1", [owner.orgId])).rows;
    expect(appointments).toHaveLength(1);
    expect(appointments[0]).toMatchObject({ vapi_call_id: call.id, status: "booked", contact_id: contacts[0].id });

    const usage = (await t.admin.query("select calls, seconds, minutes, cost from usage_daily where org_id = $1", [owner.orgId])).rows;
    expect(usage).toEqual([{ calls: 1, seconds: log.duration_seconds, minutes: Math.round((log.duration_seconds / 60) * 100) / 100, cost: Number(log.cost) }]);

    // A booked lead needs no alert.
    expect((await t.admin.query("select count(*)::int as n from messages where org_id = $1", [owner.orgId])).rows[0].n).toBe(0);
  });

  it("delivering the end-of-call report three times, concurrently and out of order with late status updates, changes nothing", async () => {
    const caller = { name: "Maria Lopez", phone: "+12125550111" };
    const report = firstReport as { message: { call: { id: string } } };
    const vapiCallId = report.message.call.id;
    const before = await snapshot(vapiCallId, caller.phone);

    const send = (body: object) => transport().post("/api/vapi/webhook", body);
    const status = (s: string) => ({
      message: {
        type: "status-update",
        status: s,
        timestamp: Date.now(),
        call: { id: vapiCallId, type: "inboundPhoneCall", assistantId: identity.assistantId, customer: { number: caller.phone } },
      },
    });
    await Promise.all([send(report), send(report)]);
    await send(status("in-progress"));
    await send(status("ringing"));
    await send(report);
    await send(status("ended"));

    expect(await snapshot(vapiCallId, caller.phone)).toEqual(before);
  });

  it("a report that arrives before any status update creates the call, and late status updates don't rewind it", async () => {
    const caller = { name: "Noah Kim", phone: "+12125550122" };
    const { calls } = await playScenario("transfer", {
      transport: {
        // Vapi lost the status updates: only tool calls and the report get through.
        post: async (path, body) =>
          (body as { message: { type: string } }).message.type === "status-update" ? { status: 200, json: {} } : transport().post(path, body),
      },
      identity,
      caller,
      clock: virtualClock(NOW),
    });
    const id = calls[0]!.id;
    const row = async () =>
      (await t.admin.query("select status, transfer_to, transfer_reason, ended_reason, updated_at from call_logs where vapi_call_id = $1", [id])).rows[0];
    const first = await row();
    expect(first).toMatchObject({
      status: "ended",
      transfer_to: "+12125550100",
      transfer_reason: "Billing question",
      ended_reason: "assistant-forwarded-call",
    });
    for (const s of ["ringing", "in-progress", "forwarding", "ended"]) {
      await transport().post("/api/vapi/webhook", { message: { type: "status-update", status: s, call: { id, assistantId: identity.assistantId } } });
    }
    expect(await row()).toEqual(first);
  });

  it("a hot lead that did not book queues an SMS job, recorded as not sent because Twilio is not connected", async () => {
    await t.admin.query("update organizations set hot_lead_alert_number = '+12125550148' where id = $1", [owner.orgId]);
    const caller = { name: "Olivia Bennett", phone: "+12125550133" };
    const { calls } = await playScenario("price-question", { transport: transport(), identity, caller, clock: virtualClock(NOW) });
    const id = calls[0]!.id;
    const log = (
      await t.admin.query("select id, lead_score, lead_temperature, booking_confirmed, financial_value from call_logs where vapi_call_id = $1", [id])
    ).rows[0];
    expect(log).toMatchObject({ lead_temperature: "hot", booking_confirmed: false, financial_value: 8000 });
    const contact = (
      await t.admin.query("select lead_status, lead_temperature, service_interests from contacts where org_id = $1 and phone = $2", [owner.orgId, caller.phone])
    ).rows[0];
    expect(contact).toMatchObject({ lead_status: "contacted", lead_temperature: "hot" });
    expect(contact.service_interests).toContain("Facelift");

    const message = await eventually(async () => {
      const { rows } = await t.admin.query("select * from messages where call_log_id = $1 and status <> 'queued'", [log.id]);
      return rows[0];
    });
    expect(message).toMatchObject({
      method: "sms",
      purpose: "hot_lead_alert",
      recipient: "+12125550148",
      status: "not_sent",
      status_reason: TWILIO_NOT_CONNECTED,
      sent_at: null,
    });
    expect(message.content.length).toBeLessThanOrEqual(160);
    expect(message.content).toContain("Olivia Bennett");

    // The dashboard's call detail shows the alert and why it was not sent.
    const detail = await http.request("GET", `/api/calls-dashboard/${log.id}`, { headers: owner.bearer });
    expect(detail.status).toBe(200);
    expect(detail.body.outboundMessages).toEqual([
      expect.objectContaining({ purpose: "hot_lead_alert", status: "not_sent", statusReason: TWILIO_NOT_CONNECTED }),
    ]);
  });

  it("cancelling without rebooking marks the lead lost; an emergency is flagged with high urgency", async () => {
    await t.admin.query("update organizations set min_cancel_notice_minutes = 0 where id = $1", [owner.orgId]);
    const caller = { name: "Daniel Okafor", phone: "+12125550155" };
    const { calls } = await playScenario("cancellation", { transport: transport(), identity, caller, clock: virtualClock(NOW) });
    expect(calls[1]!.toolResults.find((r) => r.name === "cancelAppointment")?.result).toMatch(/^\{"say":"I've cancelled/);
    const contact = (await t.admin.query("select lead_status from contacts where org_id = $1 and phone = $2", [owner.orgId, caller.phone])).rows[0];
    expect(contact.lead_status).toBe("lost");
    const second = (await t.admin.query("select booking_confirmed, lead_temperature from call_logs where vapi_call_id = $1", [calls[1]!.id])).rows[0];
    expect(second).toMatchObject({ booking_confirmed: false, lead_temperature: "cold" });

    const emergency = await playScenario("emergency", {
      transport: transport(),
      identity,
      caller: { name: "Grace Walsh", phone: "+12125550166" },
      clock: virtualClock(NOW),
    });
    const row = (
      await t.admin.query("select is_emergency, urgency, lead_temperature, financial_value from call_logs where vapi_call_id = $1", [emergency.calls[0]!.id])
    ).rows[0];
    // Needs a person now, and is no sale: hot, worth nothing to the pipeline.
    expect(row).toEqual({ is_emergency: true, urgency: "high", lead_temperature: "hot", financial_value: 0 });
  });

  it("reads legacy top-level report fields and computes the duration from startedAt/endedAt", async () => {
    const id = `legacy-${Date.now()}`;
    await transport().post("/api/vapi/webhook", {
      message: {
        type: "end-of-call-report",
        endedReason: "customer-ended-call",
        startedAt: "2026-12-01T14:00:00.000Z",
        endedAt: "2026-12-01T14:02:05.400Z",
        cost: 0.2,
        call: { id, type: "inboundPhoneCall", assistantId: identity.assistantId, customer: { number: "+12125550177" } },
        transcript: "AI: Hello, how can I help?\nUser: How much are dermal fillers? My card is 4111 1111 1111 1111.\nAI: Fillers are $500.",
        summary: "Caller asked about filler prices.",
        recordingUrl: "https://recordings.example.com/legacy-mono.wav",
      },
    });
    const row = (await t.admin.query("select * from call_logs where vapi_call_id = $1", [id])).rows[0];
    expect(row).toMatchObject({
      duration_seconds: 125,
      summary: "Caller asked about filler prices.",
      recording_url: "https://recordings.example.com/legacy-mono.wav",
      recording_status: "completed",
      financial_value: 500,
      cost: 0.2,
    });
    expect(row.transcript).toContain("My card is [REDACTED CARD].");
    expect(row.service_interests).toEqual(["Fillers"]);
  });

  it("reports arriving together are stored together; an absurd cost is dropped, not fatal", async () => {
    const body = (i: number, cost = 0.12) => ({
      message: {
        type: "end-of-call-report",
        endedReason: "customer-ended-call",
        startedAt: "2026-12-01T13:00:00.000Z",
        endedAt: "2026-12-01T13:01:30.000Z",
        cost,
        call: { id: `burst-${i}`, type: "inboundPhoneCall", assistantId: identity.assistantId, customer: { number: `+1212555${String(2000 + (i % 7))}` } },
        artifact: { transcript: `User: Hi, I'd like Botox, my DOB is 01/02/1990. Call ${i}.` },
        analysis: { summary: `Burst call ${i}` },
      },
    });
    const send = (b: object) => http.request("POST", "/api/vapi/webhook", { body: b, headers: { "x-vapi-secret": t.config.vapiWebhookSecret } });
    // 40 reports at once, every one delivered twice, plus one whose cost overflows numeric(12,4):
    // that cost is dropped (null) and the rest of its report stored (docs/SECURITY.md § Hostile input).
    const responses = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => send(body(i))),
      ...Array.from({ length: 40 }, (_, i) => send(body(i))),
      send(body(99, 1e12)),
    ]);
    expect(
      responses
        .slice(0, 80)
        .map((r) => r.status)
        .filter((s) => s !== 200),
    ).toEqual([]);
    expect(responses[80]!.status).toBe(200);
    const rows = (await t.admin.query("select vapi_call_id, transcript, cost from call_logs where vapi_call_id like 'burst-%'")).rows;
    expect(rows).toHaveLength(41);
    expect(rows.find((r) => r.vapi_call_id === "burst-99").cost).toBeNull();
    expect(rows.every((r) => r.transcript.includes("[REDACTED DOB]"))).toBe(true);
    const usage = (await t.admin.query("select sum(calls)::int as n from usage_daily where org_id = $1 and day = '2026-12-01'", [owner.orgId])).rows[0].n;
    const completed = (
      await t.admin.query(
        "select count(*)::int as n from call_logs where org_id = $1 and report_received_at is not null and (started_at at time zone 'America/New_York')::date = '2026-12-01'",
        [owner.orgId],
      )
    ).rows[0].n;
    expect(usage).toBe(completed); // metered exactly once per stored report
    // The dashboard's rollup (call_stats_daily) counted every stored call once, redeliveries and all.
    const rolledUp = (await t.admin.query("select sum(calls)::int as calls from call_stats_daily where org_id = $1 and day = '2026-12-01'", [owner.orgId]))
      .rows[0].calls;
    const stored = (
      await t.admin.query("select count(*)::int as n from call_logs where org_id = $1 and (started_at at time zone 'America/New_York')::date = '2026-12-01'", [
        owner.orgId,
      ])
    ).rows[0].n;
    expect(rolledUp).toBe(stored);
    // Stored batch by batch: no batch fell back to one transaction per report.
    expect(t.logs.text()).not.toContain("end-of-call batch failed");
  });

  it("one batch with the same caller twice and a redelivery: both calls stored, the lead has both interests, the repeat is a duplicate", async () => {
    const batcher = new ReportBatcher({ db: t.db, logger: t.deps.logger, clock }, { maxBatch: 8, maxWaitMs: 50 });
    const report = (id: string, words: string) =>
      parseEndOfCallReport({
        type: "end-of-call-report",
        endedReason: "customer-ended-call",
        startedAt: "2026-12-01T14:00:00.000Z",
        endedAt: "2026-12-01T14:02:00.000Z",
        call: { id, type: "inboundPhoneCall", assistantId: identity.assistantId, customer: { number: "+12125553111" } },
        artifact: { transcript: `User: Hi, my name is Dana Whitfield. ${words}` },
      });
    const results = await Promise.all([
      batcher.submit({ identity }, report("same-caller-1", "How much is Botox?")),
      batcher.submit({ identity }, report("same-caller-2", "And do you do fillers?")),
      batcher.submit({ identity }, report("same-caller-1", "How much is Botox?")),
    ]);
    await batcher.close();
    expect(results.map((r) => r.outcome).sort()).toEqual(["completed", "completed", "duplicate"]);
    const calls = (await t.admin.query("select vapi_call_id, contact_id from call_logs where vapi_call_id like 'same-caller-%' order by 1")).rows;
    expect(calls.map((c) => c.vapi_call_id)).toEqual(["same-caller-1", "same-caller-2"]);
    const contact = (await t.admin.query("select id, name, service_interests from contacts where org_id = $1 and phone = '+12125553111'", [owner.orgId])).rows;
    expect(contact).toHaveLength(1);
    expect(contact[0].name).toBe("Dana Whitfield");
    expect(contact[0].service_interests).toEqual(["Botox", "Fillers"]);
    expect(calls.every((c) => c.contact_id === contact[0].id)).toBe(true);
    expect(t.logs.text()).not.toContain("end-of-call batch failed");
  });

  it("in a batch, a report the database rejects fails alone and the others are stored", async () => {
    const batcher = new ReportBatcher({ db: t.db, logger: t.deps.logger, clock }, { maxBatch: 8, maxWaitMs: 50 });
    const report = (id: string, cost: number) =>
      parseEndOfCallReport({
        type: "end-of-call-report",
        endedReason: "customer-ended-call",
        startedAt: "2026-12-01T13:00:00.000Z",
        endedAt: "2026-12-01T13:01:30.000Z",
        cost,
        call: { id, type: "inboundPhoneCall", assistantId: identity.assistantId, customer: { number: "+12125552999" } },
        artifact: { transcript: "User: Hi." },
      });
    // The payload reader drops such a cost; here it is forced past it, straight into the batch.
    const poison = { ...report("batch-poison", 0), cost: 1e12 };
    const results = await Promise.allSettled([
      batcher.submit({ identity }, report("batch-ok-1", 0.1)),
      batcher.submit({ identity }, poison),
      batcher.submit({ identity }, report("batch-ok-2", 0.2)),
    ]);
    await batcher.close();
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(((results[1] as PromiseRejectedResult).reason as { code?: string }).code).toBe("22003");
    const stored = (await t.admin.query("select vapi_call_id from call_logs where vapi_call_id like 'batch-%' order by 1")).rows.map((r) => r.vapi_call_id);
    expect(stored).toEqual(["batch-ok-1", "batch-ok-2"]);
  });

  it("a report for an unknown assistant is accepted (200) but stores nothing", async () => {
    const res = await http.request("POST", "/api/vapi/webhook", {
      body: {
        message: {
          type: "end-of-call-report",
          endedReason: "customer-ended-call",
          call: { id: "nobody-call", assistantId: "asst_unknown" },
          artifact: { transcript: "User: hi" },
          analysis: {},
        },
      },
      headers: { "x-vapi-secret": t.config.vapiWebhookSecret },
    });
    expect(res.status).toBe(200);
    expect((await t.admin.query("select count(*)::int as n from call_logs where vapi_call_id = 'nobody-call'")).rows[0].n).toBe(0);
  });
  it("the alert job uses a connected SMS sender when there is one, and never sends twice for a call", async () => {
    // This process's runner has no SMS sender; stop it so the one below takes the jobs.
    await jobs.stop();
    const sent: { to: string; body: string }[] = [];
    const runner = await startTestJobs(t, {
      smsSender: async ({ to, body }) => {
        sent.push({ to, body });
        return { status: "sent", provider: "twilio", externalMessageId: `SM${sent.length}` };
      },
    });
    try {
      // Take the earlier alert's call and enqueue the alert again (a retried job): it is not re-sent.
      const alertsBefore = (await t.admin.query("select count(*)::int as n from messages where purpose = 'hot_lead_alert'")).rows[0].n;
      const callLogId = (await t.admin.query("select call_log_id from messages where purpose = 'hot_lead_alert'")).rows[0].call_log_id;
      await runner.send("hot-lead-alert", { orgId: owner.orgId, callLogId });
      // A fresh hot lead goes out through the sender.
      const { calls } = await playScenario("price-question", {
        transport: testTransport(await listen(createApp({ ...t.deps, jobs: runner })), t.config.vapiWebhookSecret),
        identity,
        caller: { name: "Aisha Khan", phone: "+12125550144" },
        clock: virtualClock(NOW),
      });
      const msg = await eventually(
        async () =>
          (
            await t.admin.query("select m.* from messages m join call_logs c on c.id = m.call_log_id where c.vapi_call_id = $1 and m.status = 'sent'", [
              calls[0]!.id,
            ])
          ).rows[0],
      );
      expect(msg).toMatchObject({ service_provider: "twilio", external_message_id: expect.stringMatching(/^SM/) });
      // An emergency call earlier in this file queued its own (delayed) alert, which this runner may send too.
      const hotLeadTexts = sent.filter((m) => !m.body.startsWith("Emergency call from"));
      expect(hotLeadTexts).toHaveLength(1);
      expect(hotLeadTexts[0]!.body).toContain("Aisha Khan");
      expect((await t.admin.query("select count(*)::int as n from messages where purpose = 'hot_lead_alert'")).rows[0].n).toBe(alertsBefore + 1);
    } finally {
      await runner.stop();
    }
  });
});
