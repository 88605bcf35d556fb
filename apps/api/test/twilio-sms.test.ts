/**
 * SMS through the clinic's own Twilio account: the real `twilio` SDK against the fake Twilio, the
 * hot-lead job, signed status callbacks, STOP/START/HELP, quiet hours and the hourly limit.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { twilioSmsSender } from "../src/integrations/twilio/sms";
import { recordClinicSms, sendRecordedSms } from "../src/jobs/clinic-sms";
import type { JobRunner, JobServices } from "../src/jobs/runner";
import { HOT_LEAD_ALERT_JOB } from "../src/modules/messages/hot-lead-alert";
import { createTestApp, type TestApp } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { type FakeTwilio, type FakeTwilioAccount, startFakeTwilio } from "./helpers/fake-twilio";
import { type FakeVapi, startFakeVapi } from "./helpers/fake-vapi";
import { listen, type TestHttp } from "./helpers/http";
import { eventually, startTestJobs } from "./helpers/postcall";

let twilio: FakeTwilio;
let vapi: FakeVapi;
let t: TestApp;
let http: TestHttp;
let jobs: JobRunner;
const services: JobServices = {};
const PUBLIC_API_URL = "https://api.clinic.example";

beforeAll(async () => {
  twilio = await startFakeTwilio();
  vapi = await startFakeVapi();
  t = await createTestApp({
    config: { VAPI_PRIVATE_KEY: "test-vapi-private-key", VAPI_BASE_URL: vapi.url, TWILIO_API_BASE_URL: twilio.url, PUBLIC_API_URL },
  });
  services.smsSender = twilioSmsSender(t.config);
  jobs = await startTestJobs(t, services);
  services.jobQueue = jobs;
  http = await listen(t.app);
});
afterAll(async () => {
  await jobs?.stop();
  await twilio?.close();
  await vapi?.close();
});

let n = 0;
const freshNumber = (prefix = "+1415556") => `${prefix}${String(1000 + n++).padStart(4, "0")}`;

type Clinic = { owner: TestUser; orgId: string; account: FakeTwilioAccount; number: string };

/** A clinic in New York with Twilio connected through the API (auth token). */
async function connectedClinic(): Promise<Clinic> {
  const owner = await signUpClinic(t, { timezone: "America/New_York" });
  const number = freshNumber();
  const account = twilio.addAccount({ numbers: [number] });
  const res = await http.request("POST", "/api/integrations/twilio", {
    body: { accountSid: account.sid, authToken: account.authToken, phoneNumber: number },
    headers: owner.bearer,
  });
  expect(res.status, res.text).toBe(200);
  return { owner, orgId: owner.orgId, account, number };
}

const ctx = (now?: Date) => ({ db: t.db, services, now });

async function queueSms(c: Clinic, to: string, content: string) {
  return t.db.asService(c.orgId, (tx) =>
    recordClinicSms(tx, c.orgId, { purpose: "follow_up", recipient: to, content, noRecipientReason: "-", idempotencyKey: randomUUID() }),
  );
}
const messageRow = async (id: string) =>
  (await t.admin.query("select status, status_code, status_reason, external_message_id, sent_at from messages where id = $1", [id])).rows[0];

/** Posts a signed Twilio webhook to our server at the path of `url` (which is on PUBLIC_API_URL). */
function deliver(signed: { url: string; headers: Record<string, string>; body: string }) {
  return http.request("POST", new URL(signed.url).pathname, { body: signed.body, headers: signed.headers });
}

describe("sending", () => {
  it("the hot-lead alert is really sent from the clinic's number, with a signed status callback that marks it delivered", async () => {
    const c = await connectedClinic();
    const alertNumber = freshNumber("+1212555");
    await t.admin.query("update organizations set hot_lead_alert_number = $2 where id = $1", [c.orgId, alertNumber]);
    const call = await t.admin.query(
      `insert into call_logs (org_id, vapi_call_id, direction, status, from_number, to_number, lead_score, service_interests, financial_value)
       values ($1, $2, 'inbound', 'ended', '+12125550123', $3, 85, '{Botox}', 400) returning id`,
      [c.orgId, randomUUID(), c.number],
    );
    await jobs.send(HOT_LEAD_ALERT_JOB, { orgId: c.orgId, callLogId: call.rows[0].id });
    const row = await eventually(async () => {
      const r = (await t.admin.query("select * from messages where org_id = $1 and purpose = 'hot_lead_alert'", [c.orgId])).rows[0];
      return r?.status === "sent" ? r : null;
    });
    const sent = twilio.messages.find((m) => m.sid === row.external_message_id)!;
    expect(sent).toMatchObject({ accountSid: c.account.sid, from: c.number, to: alertNumber });
    expect(sent.body).toContain("hot lead 85/100");
    expect(sent.statusCallback).toBe(`${PUBLIC_API_URL}/api/webhooks/twilio/${c.orgId}/status`);

    const res = await deliver(twilio.messageStatusCallback(sent, "delivered"));
    expect(res.status).toBe(200);
    expect((await messageRow(row.id)).status).toBe("delivered");
    // A late "sent" callback does not move it back.
    await deliver(twilio.messageStatusCallback(sent, "sent"));
    expect((await messageRow(row.id)).status).toBe("delivered");
  });

  it("a failed delivery is recorded with Twilio's error code", async () => {
    const c = await connectedClinic();
    const m = await queueSms(c, "+12125550142", "Thanks for calling!");
    expect(await sendRecordedSms(ctx(), c.orgId, m, "+12125550142", "Thanks for calling!")).toBe("sent");
    const sent = twilio.messages.at(-1)!;
    await deliver(twilio.messageStatusCallback(sent, "undelivered", { ErrorCode: "30007" }));
    expect(await messageRow(m.id)).toMatchObject({ status: "failed", status_code: "provider_error" });
    expect((await messageRow(m.id)).status_reason).toContain("30007");
  });

  it("an invalid number is a failed message with Twilio's reason (21211), not a retry", async () => {
    const c = await connectedClinic();
    twilio.refuseRecipients.set("+12125550100", [21211, "The 'To' number +12125550100 is not a valid phone number."]);
    const m = await queueSms(c, "+12125550100", "Hello");
    expect(await sendRecordedSms(ctx(), c.orgId, m, "+12125550100", "Hello")).toBe("failed");
    expect(await messageRow(m.id)).toMatchObject({ status: "failed", status_code: "invalid_number", sent_at: null });
  });

  it("without Twilio connected nothing is sent and the message says where to connect", async () => {
    const owner = await signUpClinic(t);
    const c = { orgId: owner.orgId } as Clinic;
    const m = await queueSms(c, "+12125550143", "Hello");
    expect(await sendRecordedSms(ctx(), c.orgId, m, "+12125550143", "Hello")).toBe("not_sent");
    const row = await messageRow(m.id);
    expect(row.status_code).toBe("not_connected");
    expect(row.status_reason).toContain("/integrations");
  });
});

describe("signatures", () => {
  it("a status callback with a bad signature gets 403, without one 401, signed by another clinic's token 403; nothing changes", async () => {
    const c = await connectedClinic();
    const other = await connectedClinic();
    const m = await queueSms(c, "+12125550144", "Hi");
    await sendRecordedSms(ctx(), c.orgId, m, "+12125550144", "Hi");
    const sent = twilio.messages.at(-1)!;
    const good = twilio.messageStatusCallback(sent, "delivered");

    const bad = await deliver({ ...good, headers: { ...good.headers, "x-twilio-signature": "AAAA" + good.headers["x-twilio-signature"]!.slice(4) } });
    expect(bad.status).toBe(403);
    const { "x-twilio-signature": _, ...unsigned } = good.headers;
    expect((await deliver({ ...good, headers: unsigned })).status).toBe(401);
    // Signed correctly, but by the other clinic's account, for this clinic's URL.
    const forged = twilio.signedRequest(other.account.sid, good.url, good.params);
    expect((await deliver({ url: good.url, ...forged })).status).toBe(403);
    // The signature covers the body: a changed status does not verify.
    expect((await deliver({ ...good, body: good.body.replace("delivered", "failed") })).status).toBe(403);
    expect((await messageRow(m.id)).status).toBe("sent");
    expect((await deliver(good)).status).toBe(200);
    expect((await messageRow(m.id)).status).toBe("delivered");
  });
});

describe("opt-out", () => {
  const inbound = (c: Clinic, from: string, body: string) =>
    deliver({
      url: `${PUBLIC_API_URL}/api/webhooks/twilio/${c.orgId}/sms`,
      ...twilio.signedRequest(c.account.sid, `${PUBLIC_API_URL}/api/webhooks/twilio/${c.orgId}/sms`, {
        AccountSid: c.account.sid,
        MessageSid: `SM${randomUUID().replace(/-/g, "")}`,
        From: from,
        To: c.number,
        Body: body,
      }),
    });

  it("after STOP nothing is sent and the skipped message is recorded as not_sent / opted_out; START re-enables; HELP answers", async () => {
    const c = await connectedClinic();
    const patient = "+12125550145";
    const stop = await inbound(c, patient, " stop ");
    expect(stop.status).toBe(200);
    expect(stop.text).toContain("<Response/>");

    const before = twilio.messages.length;
    const m = await queueSms(c, patient, "Reminder: your appointment is tomorrow at 2:00 PM.");
    expect(await sendRecordedSms(ctx(), c.orgId, m, patient, "Reminder", "patient")).toBe("not_sent");
    expect(twilio.messages.length).toBe(before);
    expect(await messageRow(m.id)).toMatchObject({ status: "not_sent", status_code: "opted_out", sent_at: null });
    const audit = await t.admin.query("select action, actor_type from audit_events where org_id = $1 and action like 'sms.%'", [c.orgId]);
    expect(audit.rows).toEqual([{ action: "sms.opted_out", actor_type: "twilio" }]);
    // Another clinic may still text this patient: opt-outs are per clinic number.
    const other = await connectedClinic();
    const m2 = await queueSms(other, patient, "Hello from another clinic");
    expect(await sendRecordedSms(ctx(), other.orgId, m2, patient, "Hello from another clinic")).toBe("sent");

    const help = await inbound(c, patient, "HELP");
    expect(help.text).toContain("Reply STOP to stop texts");
    await inbound(c, patient, "START");
    const m3 = await queueSms(c, patient, "Welcome back");
    expect(await sendRecordedSms(ctx(), c.orgId, m3, patient, "Welcome back")).toBe("sent");
  });

  it("Twilio's own opt-out (error 21610) is remembered", async () => {
    const c = await connectedClinic();
    const patient = "+12125550146";
    twilio.refuseRecipients.set(patient, [21610, "Attempt to send to unsubscribed recipient"]);
    const m = await queueSms(c, patient, "Hi");
    expect(await sendRecordedSms(ctx(), c.orgId, m, patient, "Hi")).toBe("not_sent");
    expect((await messageRow(m.id)).status_code).toBe("opted_out");
    const optOuts = await t.admin.query("select keyword from sms_opt_outs where org_id = $1 and phone = $2", [c.orgId, patient]);
    expect(optOuts.rows).toEqual([{ keyword: "carrier" }]);
  });
});

describe("quiet hours and the hourly limit", () => {
  it("a patient text at 11 PM clinic time waits until 8 AM; a text to the clinic goes at once", async () => {
    const c = await connectedClinic();
    const lateEvening = new Date("2026-12-15T04:00:00Z"); // 23:00 in New York (EST)
    const m = await queueSms(c, "+12125550147", "Your appointment is confirmed.");
    const before = twilio.messages.length;
    expect(await sendRecordedSms(ctx(lateEvening), c.orgId, m, "+12125550147", "Your appointment is confirmed.", "patient")).toBe("queued");
    expect(twilio.messages.length).toBe(before);
    const row = await messageRow(m.id);
    expect(row).toMatchObject({ status: "queued", status_code: "quiet_hours" });
    expect(row.status_reason).toContain("8:00 AM");
    const job = await t.admin.query("select data, start_after from pgboss.job where name = 'sms-deliver' and data->>'messageId' = $1", [m.id]);
    expect(job.rows).toHaveLength(1);
    // 08:00 EST the next morning is 13:00Z (the job starts after that many seconds from the fixed "now").
    expect(Math.abs(new Date(job.rows[0].start_after).getTime() - Date.now() - (Date.parse("2026-12-15T13:00:00Z") - lateEvening.getTime()))).toBeLessThan(
      60_000,
    );

    const alert = await queueSms(c, "+12125550148", "Hot lead");
    expect(await sendRecordedSms(ctx(lateEvening), c.orgId, alert, "+12125550148", "Hot lead", "clinic")).toBe("sent");
  });

  it("the clinic's hourly limit holds under concurrent sends", async () => {
    const c = await connectedClinic();
    await t.admin.query("update organizations set sms_hourly_limit = 3 where id = $1", [c.orgId]);
    const rows = await Promise.all(Array.from({ length: 6 }, (_, i) => queueSms(c, `+1212555016${i}`, `Message ${i}`)));
    const outcomes = await Promise.all(rows.map((m, i) => sendRecordedSms(ctx(), c.orgId, m, `+1212555016${i}`, `Message ${i}`)));
    expect(outcomes.filter((o) => o === "sent")).toHaveLength(3);
    expect(outcomes.filter((o) => o === "queued")).toHaveLength(3);
    const codes = await t.admin.query("select status_code, count(*)::int as n from messages where org_id = $1 group by 1 order by 1", [c.orgId]);
    expect(codes.rows).toEqual([
      { status_code: "rate_limited", n: 3 },
      { status_code: null, n: 3 },
    ]);
    expect(twilio.messages.filter((m) => m.accountSid === c.account.sid)).toHaveLength(3);
  });
});
