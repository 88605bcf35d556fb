/**
 * The call drawer's actions: transcript export (audited), a recording link that works for 24 hours
 * and not after, and a follow-up SMS recorded not_sent with the reason without Twilio or after an
 * opt-out.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { virtualClock } from "../src/simulator/engine";
import { createTestApp } from "./helpers/app";
import { addTeamMember, signUpClinic, type TestUser } from "./helpers/auth";
import { listen } from "./helpers/http";
import { eventually, playScenario, startTestJobs, testTransport } from "./helpers/postcall";
import { addVapiIdentity, TestClock } from "./helpers/vapi";

const NOW = new Date("2026-11-30T15:00:00Z"); // a Monday morning in New York
const clock = new TestClock(NOW);
const t = await createTestApp({ clock, config: { PUBLIC_API_URL: "https://api.clinic.example" } });
const http = await listen(t.app);

let owner: TestUser;
let staff: TestUser;
let callId: string;
const CALLER = { name: "Maria Lopez", phone: "+12125550111" };

beforeAll(async () => {
  owner = await signUpClinic(t, { timezone: "America/New_York" });
  staff = await addTeamMember(t, owner.orgId, { role: "staff" });
  const identity = await addVapiIdentity(t.admin, owner.orgId);
  const { calls } = await playScenario("new-patient-books", {
    transport: testTransport(http, t.config.vapiWebhookSecret),
    identity,
    caller: CALLER,
    clock: virtualClock(NOW),
  });
  callId = (await t.admin.query("select id from call_logs where vapi_call_id = $1", [calls[0]!.id])).rows[0].id;
});

const audit = async (action: string) =>
  (await t.admin.query("select actor_user_id, target_id, data from audit_events where org_id = $1 and action = $2", [owner.orgId, action])).rows;

describe("transcript export", () => {
  it("gives a speaker-labelled .txt of the redacted transcript, and is audited", async () => {
    const res = await http.request("POST", `/api/calls-dashboard/${callId}/transcript/export`, { headers: staff.bearer });
    expect(res.status).toBe(200);
    expect(res.body.filename).toBe("call-2026-11-30-maria-lopez.txt");
    const lines = res.body.content.split("\n");
    expect(lines[0]).toBe("Call with Maria Lopez");
    expect(lines[1]).toMatch(/^Monday, November 30, 2026 at \d{1,2}:\d{2} (AM|PM) \(America\/New_York\)$/);
    expect(lines[3]).toBe("Receptionist: Thank you for calling, this is the virtual receptionist. How can I help you today?");
    expect(res.body.content).toContain("Caller: Hi! I'd like to get Botox for my forehead lines.");
    expect(res.body.content).not.toContain("1985"); // the date of birth was redacted before storage
    expect(await audit("call.transcript_exported")).toEqual([{ actor_user_id: staff.userId, target_id: callId, data: { lines: expect.any(Number) } }]);
  });
});

describe("share link", () => {
  it("plays the recording without signing in for 24 hours, then says it expired; staff may not share", async () => {
    clock.set(NOW);
    const refused = await http.request("POST", `/api/calls-dashboard/${callId}/share`, { headers: staff.bearer, body: {} });
    expect(refused.status).toBe(403);

    const res = await http.request("POST", `/api/calls-dashboard/${callId}/share`, { headers: owner.bearer, body: { email: "partner@clinic.example" } });
    expect(res.status).toBe(200);
    expect(res.body.url).toMatch(/^https:\/\/api\.clinic\.example\/api\/recordings\/shared\/[\w-]+\.[\w-]+$/);
    expect(res.body.expiresAt).toBe("2026-12-01T15:00:00.000Z");
    // Queued for the patient-email job (this app runs no jobs; the test below delivers one).
    expect(res.body.email).toEqual({ status: "queued", reason: null });
    const path = new URL(res.body.url).pathname;

    const before = await fetch(`${http.baseUrl}${path}`);
    expect(before.status).toBe(200);
    expect(before.headers.get("content-type")).toBe("audio/wav");
    expect(
      Buffer.from(await before.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe("RIFF");

    clock.set(new Date(NOW.getTime() + 24 * 3600_000 - 1000));
    expect((await fetch(`${http.baseUrl}${path}`)).status).toBe(200);
    clock.set(new Date(NOW.getTime() + 24 * 3600_000));
    const after = await fetch(`${http.baseUrl}${path}`);
    expect(after.status).toBe(410);
    expect(((await after.json()) as { error: { message: string } }).error.message).toBe("This recording link has expired. Ask the clinic for a new one.");
    clock.set(NOW);

    // A link with a changed expiry (or any other byte) opens nothing.
    const [body, mac] = path.split("/").pop()!.split(".");
    const forged = Buffer.from(JSON.stringify([...JSON.parse(Buffer.from(body!, "base64url").toString()).slice(0, 3), Date.parse("2030-01-01")])).toString(
      "base64url",
    );
    expect((await fetch(`${http.baseUrl}/api/recordings/shared/${forged}.${mac}`)).status).toBe(404);
    expect(await audit("call.recording_shared")).toEqual([
      { actor_user_id: owner.userId, target_id: callId, data: { expiresAt: "2026-12-01T15:00:00.000Z", emailed: true, emailStatus: "queued" } },
    ]);
  });

  it("emails the link through the one email path: without SMTP_URL it lands in the development outbox, link included", async () => {
    clock.set(NOW);
    const jobs = await startTestJobs(t, { email: { config: t.config } });
    try {
      const withJobs = await listen(createApp({ ...t.deps, jobs }));
      const res = await withJobs.request("POST", `/api/calls-dashboard/${callId}/share`, { headers: owner.bearer, body: { email: "family@patient.example" } });
      expect(res.status).toBe(200);
      const outbox = await eventually(async () => {
        const page = await withJobs.request("GET", "/api/outbox", { headers: owner.bearer });
        return page.body.emails?.find((e: { to: string }) => e.to === "family@patient.example");
      });
      expect(outbox.subject).toMatch(/^A call recording from /);
      expect(outbox.text).toContain(res.body.url);
      expect(outbox.text).toContain("The link works until Tuesday, December 1 at 10:00 AM.");
    } finally {
      await jobs.stop();
    }
  });
});

describe("follow-up SMS", () => {
  it("without Twilio it is recorded not_sent with the reason", async () => {
    const res = await http.request("POST", `/api/calls-dashboard/${callId}/followup`, {
      headers: staff.bearer,
      body: { message: "Hi Maria, thanks for calling. Reply here if you have questions before your visit." },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      method: "sms",
      status: "not_sent",
      reason: "Not sent: Twilio is not connected. Connect your Twilio account under Integrations to text patients.",
      recipient: CALLER.phone,
    });
    const row = (await t.admin.query("select purpose, status, call_log_id from messages where id = $1", [res.body.id])).rows[0];
    expect(row).toEqual({ purpose: "follow_up", status: "not_sent", call_log_id: callId });
    // The drawer shows it among the call's messages.
    const detail = await http.request("GET", `/api/calls-dashboard/${callId}`, { headers: staff.bearer });
    expect(detail.body.outboundMessages).toContainEqual(expect.objectContaining({ purpose: "follow_up", status: "not_sent" }));
    expect((await audit("call.follow_up_sent"))[0]).toMatchObject({ actor_user_id: staff.userId, data: { status: "not_sent" } });
  });

  it("respects an opt-out, and refuses more than one text message's length", async () => {
    await t.admin.query("update contacts set sms_opted_out_at = now() where org_id = $1 and phone = $2", [owner.orgId, CALLER.phone]);
    const res = await http.request("POST", `/api/calls-dashboard/${callId}/followup`, { headers: staff.bearer, body: { message: "Hello again" } });
    expect(res.body).toMatchObject({ status: "not_sent", reason: "The patient opted out of text messages, so nothing was sent. Call them instead." });
    const long = await http.request("POST", `/api/calls-dashboard/${callId}/followup`, { headers: staff.bearer, body: { message: "x".repeat(161) } });
    expect(long.status).toBe(400);
    expect(long.body.error.fields).toEqual([{ path: "message", message: "Keep it to 160 characters (one text message)" }]);
  });
});
