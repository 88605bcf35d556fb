/**
 * An emergency on a live call: the caller hears "hang up and dial 911", the call is transferred to
 * the clinic through its control URL (fake Vapi control endpoint on 127.0.0.1), the outcome is
 * recorded on the call, and the clinic's alert number gets one SMS per call (recorded not_sent
 * with the reason while Twilio is not connected).
 */
import { parseToolReply } from "@voxanne/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import type { JobRunner } from "../src/jobs/runner";
import { TWILIO_NOT_CONNECTED } from "../src/modules/messages/sms";
import { createTestApp, type TestApp } from "./helpers/app";
import { type FakeVapiControl, startFakeVapiControl } from "./helpers/fake-vapi-control";
import { listen, type TestHttp } from "./helpers/http";
import { eventually, startTestJobs } from "./helpers/postcall";
import { callTools, createClinic, TestClock, type TestClinic, toolCallsMessage } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York (open).
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
let t: TestApp;
let http: TestHttp;
let jobs: JobRunner;
let control: FakeVapiControl;

beforeAll(async () => {
  control = await startFakeVapiControl();
  t = await createTestApp({ clock, config: { VAPI_CONTROL_URL_HOSTS: "127.0.0.1" } });
  jobs = await startTestJobs(t);
  http = await listen(createApp({ ...t.deps, jobs }));
});
afterAll(async () => {
  await jobs?.stop();
  await control?.close();
});

const ALERT_NUMBER = "+12125550142";
const CALLER = "+12125557001";
const SAY =
  "This sounds like it could be an emergency. Please hang up now and dial 911. If you can't, stay on the line and I'll connect you to the clinic right away.";

async function clinicWithAlerts(o: { transferNumber?: string | null } = {}): Promise<TestClinic> {
  const clinic = await createClinic(t.admin, o);
  await t.admin.query("update public.organizations set hot_lead_alert_number = $2 where id = $1", [clinic.orgId, ALERT_NUMBER]);
  return clinic;
}

function emergencyMessage(clinic: TestClinic, callId: string, controlUrl: string | null, toolCallId = "em1", notes = "He has crushing chest pain right now") {
  return toolCallsMessage(
    clinic,
    [{ id: toolCallId, name: "bookClinicAppointment", args: { name: "Joe Bloggs", start: "2026-03-10T14:00:00-04:00", notes } }],
    { callId, caller: CALLER, identity: controlUrl ? { monitor: { controlUrl } } : {} },
  ).body;
}

const callRow = async (callId: string) =>
  (
    await t.admin.query(
      "select is_emergency, emergency_transfer_status, emergency_transfer_note, transfer_to, transfer_reason from public.call_logs where vapi_call_id = $1",
      [callId],
    )
  ).rows[0];

const alertOf = (orgId: string) =>
  eventually(async () => {
    const { rows } = await t.admin.query(
      "select recipient, content, status, status_reason from public.messages where org_id = $1 and purpose = 'emergency_alert'",
      [orgId],
    );
    // The job records the message as queued, then its outcome: wait for the outcome.
    return rows.length > 0 && rows.every((r) => r.status !== "queued") ? rows : null;
  }, 30_000);

const alertJobs = async (callId: string) =>
  (await t.admin.query("select count(*)::int as n from pgboss.job where name = 'emergency-alert' and data->>'vapiCallId' = $1", [callId])).rows[0].n;

describe("emergency transfer and clinic alert", () => {
  it("transfers the call through its control URL after the 911 line, records it, and alerts the clinic once", async () => {
    const clinic = await clinicWithAlerts();
    const callId = `vcall_em_${Date.now()}`;
    const controlUrl = control.urlFor(callId);
    const res = await callTools(http, t.config.vapiWebhookSecret, emergencyMessage(clinic, callId, controlUrl));
    expect(res.status).toBe(200);
    expect(parseToolReply(res.body.results[0].result)).toEqual({
      say: SAY,
      instructions:
        "Possible medical emergency. Do not book or give medical advice. The call is being connected to +12125550100 now; if you are still on the call after saying this, transfer it to +12125550100.",
    });
    // Vapi speaks the 911 line (content), then transfers to the clinic's transfer number.
    expect(control.messagesOf(callId)).toEqual([{ type: "transfer", destination: { type: "number", number: "+12125550100" }, content: SAY }]);
    expect(await callRow(callId)).toEqual({
      is_emergency: true,
      emergency_transfer_status: "transferred",
      emergency_transfer_note: null,
      transfer_to: "+12125550100",
      transfer_reason: "Emergency: chest pain",
    });
    const audit = await t.admin.query("select actor_type, data from public.audit_events where org_id = $1 and action = 'call.emergency_transfer'", [
      clinic.orgId,
    ]);
    expect(audit.rows).toEqual([{ actor_type: "system", data: { to: "+12125550100", outcome: "transferred" } }]);

    // Redelivered, and a second emergency phrase on the same call: no second transfer, no second alert.
    await callTools(http, t.config.vapiWebhookSecret, emergencyMessage(clinic, callId, controlUrl));
    await callTools(http, t.config.vapiWebhookSecret, emergencyMessage(clinic, callId, controlUrl, "em2", "now he can't breathe"));
    expect(control.messagesOf(callId)).toHaveLength(1);
    expect(await alertJobs(callId)).toBe(1);

    expect(await alertOf(clinic.orgId)).toEqual([
      {
        recipient: ALERT_NUMBER,
        content: `Emergency call from ${CALLER} at 10:00 AM: chest pain. Transferred to +12125550100.`,
        status: "not_sent",
        status_reason: TWILIO_NOT_CONNECTED,
      },
    ]);
  });

  it("one emergency is one text: the report after the call adds no hot-lead alert; an emergency only heard in the transcript still gets one", async () => {
    const clinic = await clinicWithAlerts();
    const report = (callId: string) => ({
      message: {
        type: "end-of-call-report",
        endedReason: "customer-ended-call",
        startedAt: "2026-03-05T14:58:00.000Z",
        endedAt: "2026-03-05T15:01:00.000Z",
        call: { id: callId, type: "inboundPhoneCall", assistantId: clinic.assistantId, customer: { number: CALLER } },
        artifact: { transcript: "AI: Hello, how can I help?\nUser: My husband has crushing chest pain right now, I need help." },
        analysis: { summary: "Caller reported chest pain." },
      },
    });
    const postReport = (callId: string) =>
      http.request("POST", "/api/vapi/webhook", { body: report(callId), headers: { "x-vapi-secret": t.config.vapiWebhookSecret } });
    const hotLeadJobs = async (callId: string) =>
      (
        await t.admin.query(
          "select count(*)::int as n from pgboss.job j join public.call_logs c on c.id::text = j.data->>'callLogId' where j.name = 'hot-lead-alert' and c.vapi_call_id = $1",
          [callId],
        )
      ).rows[0].n;

    const flagged = `vcall_em_report_${Date.now()}`;
    await callTools(http, t.config.vapiWebhookSecret, emergencyMessage(clinic, flagged, control.urlFor(flagged)));
    expect((await postReport(flagged)).status).toBe(200);
    const row = (await t.admin.query("select is_emergency, lead_temperature from public.call_logs where vapi_call_id = $1", [flagged])).rows[0];
    expect(row).toEqual({ is_emergency: true, lead_temperature: "hot" });
    expect(await alertJobs(flagged)).toBe(1);
    expect(await hotLeadJobs(flagged)).toBe(0);

    // Nobody flagged it during the call: the hot-lead alert is the clinic's only text, so it goes.
    const heardAfter = `vcall_em_after_${Date.now()}`;
    expect((await postReport(heardAfter)).status).toBe(200);
    expect((await t.admin.query("select is_emergency from public.call_logs where vapi_call_id = $1", [heardAfter])).rows[0].is_emergency).toBe(true);
    expect(await alertJobs(heardAfter)).toBe(0);
    expect(await hotLeadJobs(heardAfter)).toBe(1);
  });

  it("without a control URL the assistant is told to transfer, and the alert says so", async () => {
    const clinic = await clinicWithAlerts();
    const callId = `vcall_em_nocontrol_${Date.now()}`;
    const res = await callTools(http, t.config.vapiWebhookSecret, emergencyMessage(clinic, callId, null));
    expect(parseToolReply(res.body.results[0].result)).toEqual({
      say: SAY,
      instructions: "Possible medical emergency. Say this, do not book or give medical advice, then transfer the call to +12125550100.",
    });
    expect(await callRow(callId)).toMatchObject({ is_emergency: true, emergency_transfer_status: "requested", transfer_to: null });
    expect((await alertOf(clinic.orgId))[0].content).toBe(
      `Emergency call from ${CALLER} at 10:00 AM: chest pain. Transfer requested; call them back if it did not reach you.`,
    );
  });

  it("when Vapi refuses the transfer, the failure is recorded and the alert asks for a call back", async () => {
    const clinic = await clinicWithAlerts();
    const callId = `vcall_em_fail_${Date.now()}`;
    control.failNext(500);
    const res = await callTools(http, t.config.vapiWebhookSecret, emergencyMessage(clinic, callId, control.urlFor(callId)));
    // The assistant still knows to transfer if it is on the call.
    expect(parseToolReply(res.body.results[0].result).instructions).toMatch(/transfer it to \+12125550100\.$/);
    expect(await callRow(callId)).toMatchObject({ emergency_transfer_status: "failed", emergency_transfer_note: "Vapi answered 500", transfer_to: null });
    expect((await alertOf(clinic.orgId))[0].content).toBe(
      `Emergency call from ${CALLER} at 10:00 AM: chest pain. Transfer to +12125550100 failed: call them back now.`,
    );
  });

  it("without a transfer number nothing is transferred, and the alert says why", async () => {
    const clinic = await clinicWithAlerts({ transferNumber: null });
    const callId = `vcall_em_none_${Date.now()}`;
    const res = await callTools(http, t.config.vapiWebhookSecret, emergencyMessage(clinic, callId, control.urlFor(callId)));
    expect(parseToolReply(res.body.results[0].result).say).toBe(
      "This sounds like it could be an emergency. Please hang up now and dial 911 for emergency services.",
    );
    expect(control.messagesOf(callId)).toEqual([]);
    expect(await callRow(callId)).toMatchObject({ emergency_transfer_status: "not_possible", emergency_transfer_note: "No transfer number is set." });
    expect((await alertOf(clinic.orgId))[0].content).toBe(
      `Emergency call from ${CALLER} at 10:00 AM: chest pain. Not transferred (no transfer number is set): call them back now.`,
    );
  });
});
