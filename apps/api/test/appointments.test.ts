/**
 * The front desk's appointments API: manual bookings go through the booking engine (409 with the
 * next free starts when taken), staff reschedule and cancel, reminders say why they were not sent.
 */
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { saveCredential } from "../src/modules/credentials/service";
import { createTestApp } from "./helpers/app";
import { addTeamMember, signUpClinic, type TestUser } from "./helpers/auth";
import { listen } from "./helpers/http";
import { addVapiIdentity, TestClock, toolCallsMessage, toolReply, toolText, type VapiIdentity } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York (clocks go forward on Sunday 8 March: -04:00 after).
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
const t = await createTestApp({ clock });
const sent: { name: string; data: object }[] = [];
// A real app with a job queue that records what the booking transaction queued.
const http = await listen(
  createApp({
    ...t.deps,
    jobs: {
      send: async (name, data) => {
        sent.push({ name, data });
        return null;
      },
    },
  }),
);
const PATIENT = "+12125553000";

async function clinic(): Promise<{ owner: TestUser; staff: TestUser; identity: VapiIdentity }> {
  clock.set("2026-03-05T15:00:00Z");
  const owner = await signUpClinic(t, { timezone: "America/New_York" });
  await t.admin.query(
    `update organizations set business_hours = '{"mon":[{"start":"09:00","end":"17:00"}],"tue":[{"start":"09:00","end":"17:00"}],"wed":[{"start":"09:00","end":"17:00"}],"thu":[{"start":"09:00","end":"17:00"}],"fri":[{"start":"09:00","end":"17:00"}]}',
            slot_minutes = 30, buffer_before_minutes = 0, buffer_after_minutes = 0, min_booking_notice_minutes = 60, min_cancel_notice_minutes = 1440
      where id = $1`,
    [owner.orgId],
  );
  const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
  return { owner, staff, identity: await addVapiIdentity(t.admin, owner.orgId) };
}

const voice = (identity: VapiIdentity, name: string, args: Record<string, unknown>, caller = PATIENT) =>
  toolText(http, t.config.vapiWebhookSecret, toolCallsMessage(identity as never, [{ name, args }], { caller }).body);

const audit = async (orgId: string, action: string) =>
  (await t.admin.query("select actor_user_id, target_id, data from audit_events where org_id = $1 and action = $2 order by created_at", [orgId, action])).rows;

describe("manual booking", () => {
  it("books through the engine as staff: 201, source dashboard, audited, listed and searchable", async () => {
    const { staff } = await clinic();
    sent.length = 0;
    const res = await http.request("POST", "/api/appointments", {
      headers: staff.bearer,
      body: { name: "Olivia Bennett", phone: "(212) 555-3001", email: "Olivia@Example.com", start: "2026-03-10T11:00:00-04:00", notes: "first visit" },
    });
    expect(res.status).toBe(201);
    expect(res.body.appointment).toMatchObject({
      startsAt: "2026-03-10T15:00:00.000Z",
      endsAt: "2026-03-10T15:30:00.000Z", // the consultation's 30 minutes
      status: "booked",
      source: "dashboard",
      service: { name: "Consultation" },
      contact: { name: "Olivia Bennett", phone: "+12125553001", email: "olivia@example.com" },
      notes: "first visit",
      confirmationSent: false,
    });
    expect(await audit(staff.orgId, "appointment.created")).toEqual([
      { actor_user_id: staff.userId, target_id: res.body.appointment.id, data: { startsAt: "2026-03-10T11:00:00-04:00", service: "Consultation" } },
    ]);
    const list = await http.request("GET", "/api/appointments?from=2026-03-09T00:00:00Z&to=2026-03-16T00:00:00Z", { headers: staff.bearer });
    expect(list.status).toBe(200);
    expect(list.body.timezone).toBe("America/New_York");
    expect(list.body.items.map((a: { contact: { name: string } }) => a.contact.name)).toEqual(["Olivia Bennett"]);
    const search = await http.request("GET", "/api/appointments?from=2026-03-09T00:00:00Z&to=2026-03-16T00:00:00Z&q=5553001", { headers: staff.bearer });
    expect(search.body.items).toHaveLength(1);
    const none = await http.request("GET", "/api/appointments?from=2026-03-09T00:00:00Z&to=2026-03-16T00:00:00Z&q=nobody", { headers: staff.bearer });
    expect(none.body.items).toHaveLength(0);
  });

  it("a taken slot is a 409 with the next free starts, and nothing is written", async () => {
    const { staff, identity } = await clinic();
    expect(await voice(identity, "bookClinicAppointment", { name: "Maria Lopez", start: "2026-03-10T14:00:00-04:00" })).toMatch(/^You're booked for /);
    const res = await http.request("POST", "/api/appointments", {
      headers: staff.bearer,
      body: { name: "Noah Kim", phone: "+12125553002", start: "2026-03-10T14:00:00-04:00" },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("slot_taken");
    expect(res.body.error.message).toBe(
      "Tuesday, March 10 at 2:00 PM is already taken. Next free: Tuesday, March 10 at 2:30 PM; Tuesday, March 10 at 3:00 PM; Tuesday, March 10 at 3:30 PM.",
    );
    expect(res.body.error.alternatives).toEqual(["2026-03-10T14:30:00-04:00", "2026-03-10T15:00:00-04:00", "2026-03-10T15:30:00-04:00"]);
    expect((await t.admin.query("select count(*)::int as n from contacts where org_id = $1 and phone = '+12125553002'", [staff.orgId])).rows[0].n).toBe(0);
    expect(await audit(staff.orgId, "appointment.created")).toEqual([]);
  });

  it("bad input is a 400 a person can act on", async () => {
    const { staff } = await clinic();
    const badPhone = await http.request("POST", "/api/appointments", {
      headers: staff.bearer,
      body: { name: "A", phone: "12", start: "2026-03-10T11:00:00-04:00" },
    });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.message).toMatch(/doesn't look like a phone number/);
    const noName = await http.request("POST", "/api/appointments", {
      headers: staff.bearer,
      body: { name: "", phone: PATIENT, start: "2026-03-10T11:00:00-04:00" },
    });
    expect(noName.status).toBe(400);
    expect(noName.body.error.fields).toEqual([{ path: "name", message: "Enter the patient's name" }]);
    const closed = await http.request("POST", "/api/appointments", {
      headers: staff.bearer,
      body: { name: "A B", phone: PATIENT, start: "2026-03-08T11:00:00-04:00" },
    });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe("slot_closed");
  });
});

describe("slots", () => {
  it("lists the day's free starts without the taken ones, and the services to pick from", async () => {
    const { staff, identity } = await clinic();
    await voice(identity, "bookClinicAppointment", { name: "Maria Lopez", start: "2026-03-10T09:30:00-04:00" });
    const res = await http.request("GET", "/api/appointments/slots?day=2026-03-10", { headers: staff.bearer });
    expect(res.status).toBe(200);
    expect(res.body.slots.slice(0, 3)).toEqual(["2026-03-10T09:00:00-04:00", "2026-03-10T10:00:00-04:00", "2026-03-10T10:30:00-04:00"]);
    expect(res.body.slots).toHaveLength(15); // 16 half-hours from 9:00 to 16:30, one taken
    expect(res.body.services.map((s: { name: string }) => s.name)).toContain("Botox");
  });
});

describe("reschedule and cancel from the dashboard", () => {
  it("a booking made on a call is moved by staff, and the patient's next lookupCaller gives the new time", async () => {
    const { staff, identity } = await clinic();
    expect(await voice(identity, "bookClinicAppointment", { name: "Maria Lopez", service: "botox", start: "2026-03-06T09:30:00-05:00" })).toMatch(
      /^You're booked for /,
    );
    const [booked] = (await t.admin.query("select id from appointments where org_id = $1", [staff.orgId])).rows;
    // Inside the patients' 24-hour notice: the front desk may still move it.
    const res = await http.request("PATCH", `/api/appointments/${booked.id}`, { headers: staff.bearer, body: { start: "2026-03-11T10:00:00-04:00" } });
    expect(res.status).toBe(200);
    expect(res.body.appointment).toMatchObject({
      startsAt: "2026-03-11T14:00:00.000Z",
      status: "booked",
      rescheduledFrom: booked.id,
      service: { name: "Botox" },
    });
    const old = (await t.admin.query("select status, cancellation_reason from appointments where id = $1", [booked.id])).rows[0];
    expect(old).toEqual({ status: "cancelled", cancellation_reason: "rescheduled" });
    const known = await toolReply(
      http,
      t.config.vapiWebhookSecret,
      toolCallsMessage(identity as never, [{ name: "lookupCaller", args: {} }], { caller: PATIENT }).body,
    );
    expect(known.instructions).toMatch(/Upcoming: Wednesday, March 11 at 10:00 AM \(Botox\)\.$/);
    expect((await audit(staff.orgId, "appointment.rescheduled"))[0]).toMatchObject({ actor_user_id: staff.userId, target_id: res.body.appointment.id });

    // Moving the old (cancelled) one again is refused.
    const again = await http.request("PATCH", `/api/appointments/${booked.id}`, { headers: staff.bearer, body: { start: "2026-03-12T10:00:00-04:00" } });
    expect(again.status).toBe(409);
  });

  it("moving onto a taken time is a 409 with alternatives and keeps the old booking", async () => {
    const { staff, identity } = await clinic();
    await voice(identity, "bookClinicAppointment", { name: "Maria Lopez", start: "2026-03-10T10:00:00-04:00" });
    await voice(identity, "bookClinicAppointment", { name: "Noah Kim", start: "2026-03-10T11:00:00-04:00" }, "+12125553002");
    const [maria] = (await t.admin.query("select id from appointments where org_id = $1 and starts_at = '2026-03-10T14:00:00Z'", [staff.orgId])).rows;
    const res = await http.request("PATCH", `/api/appointments/${maria.id}`, { headers: staff.bearer, body: { start: "2026-03-10T11:00:00-04:00" } });
    expect(res.status).toBe(409);
    expect(res.body.error.alternatives[0]).toBe("2026-03-10T11:30:00-04:00");
    expect((await t.admin.query("select status from appointments where id = $1", [maria.id])).rows[0].status).toBe("booked");
  });

  it("cancel frees the slot and is audited", async () => {
    const { staff, identity } = await clinic();
    await voice(identity, "bookClinicAppointment", { name: "Maria Lopez", start: "2026-03-10T10:00:00-04:00" });
    const [row] = (await t.admin.query("select id from appointments where org_id = $1", [staff.orgId])).rows;
    const res = await http.request("POST", `/api/appointments/${row.id}/cancel`, { headers: staff.bearer, body: { reason: "patient called" } });
    expect(res.status).toBe(200);
    expect(res.body.appointment).toMatchObject({ status: "cancelled", cancellationReason: "patient called" });
    const slots = await http.request("GET", "/api/appointments/slots?day=2026-03-10", { headers: staff.bearer });
    expect(slots.body.slots).toContain("2026-03-10T10:00:00-04:00");
    expect(await audit(staff.orgId, "appointment.cancelled")).toHaveLength(1);
  });
});

describe("reminders", () => {
  it("without Twilio the SMS is recorded not_sent with the reason, and confirmation_sent stays false", async () => {
    const { staff, identity } = await clinic();
    await voice(identity, "bookClinicAppointment", { name: "Maria Lopez", service: "botox", start: "2026-03-10T10:00:00-04:00" });
    const [row] = (await t.admin.query("select id from appointments where org_id = $1", [staff.orgId])).rows;
    const res = await http.request("POST", `/api/appointments/${row.id}/send-reminder`, { headers: staff.bearer, body: { method: "sms" } });
    expect(res.status).toBe(200);
    expect(res.body.message).toMatchObject({
      method: "sms",
      status: "not_sent",
      reason: "Not sent: Twilio is not connected. Connect your Twilio account under Integrations to text patients.",
      recipient: PATIENT,
    });
    expect(res.body.appointment.confirmationSent).toBe(false);
    const [message] = (await t.admin.query("select purpose, status, content, contact_id from messages where org_id = $1", [staff.orgId])).rows;
    expect(message).toMatchObject({ purpose: "reminder", status: "not_sent" });
    expect(message.content).toMatch(/^Reminder: your Botox appointment at .+ is Tuesday, March 10 at 10:00 AM\. Reply STOP to opt out\.$/);
    expect((await audit(staff.orgId, "appointment.reminder_sent"))[0].data).toMatchObject({ method: "sms", status: "not_sent" });

    const email = await http.request("POST", `/api/appointments/${row.id}/send-reminder`, { headers: staff.bearer, body: { method: "email" } });
    expect(email.body.message).toMatchObject({
      method: "email",
      status: "not_sent",
      reason: expect.stringMatching(/email address on file|Email is not available/),
    });
  });

  it("with Twilio connected the reminder is queued for the patient-sms job and confirmation_sent is set", async () => {
    const { staff, identity } = await clinic();
    await voice(identity, "bookClinicAppointment", { name: "Maria Lopez", start: "2026-03-10T10:00:00-04:00" });
    await t.db.asService(staff.orgId, (tx) =>
      saveCredential(tx, t.config.encryptionKeys, staff.orgId, "twilio", { accountSid: `AC${"a".repeat(32)}`, authToken: "test-token" }),
    );
    const [row] = (await t.admin.query("select id from appointments where org_id = $1", [staff.orgId])).rows;
    sent.length = 0;
    const res = await http.request("POST", `/api/appointments/${row.id}/send-reminder`, { headers: staff.bearer, body: {} });
    expect(res.body.message).toMatchObject({ status: "queued", reason: null });
    expect(res.body.appointment.confirmationSent).toBe(true);
    expect(sent).toEqual([{ name: "patient-sms", data: { orgId: staff.orgId, messageId: res.body.message.id } }]);
  });
});
