import { describe, expect, it } from "vitest";
import { storeToolInvocationAndCommit } from "../src/integrations/vapi/queries";
import { createTestApp } from "./helpers/app";
import { listen } from "./helpers/http";
import { callTools, createClinic, TestClock, toolCallsMessage, toolText, type TestClinic } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York. Default cancel/reschedule notice: 24 hours.
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
const t = await createTestApp({ clock });
const http = await listen(t.app);
const secret = t.config.vapiWebhookSecret;
const CALLER = "+12125553000";

const tool = (clinic: TestClinic, name: string, args: Record<string, unknown>, caller = CALLER) =>
  toolText(http, secret, toolCallsMessage(clinic, [{ name, args }], { caller }).body);

const appointments = async (orgId: string) =>
  (
    await t.admin.query(
      "select id, starts_at, status, cancellation_reason, rescheduled_from, vapi_call_id from public.appointments where org_id = $1 order by created_at, starts_at",
      [orgId],
    )
  ).rows;

async function bookedClinic(starts: string[], options = {}) {
  clock.set("2026-03-05T15:00:00Z");
  const clinic = await createClinic(t.admin, options);
  for (const start of starts) {
    expect(await tool(clinic, "bookClinicAppointment", { name: "Maria Lopez", service: "botox", start })).toMatch(/^You're booked/);
  }
  return clinic;
}

describe("cancelAppointment", () => {
  it("finds the caller's upcoming appointment by their number and cancels it", async () => {
    const clinic = await bookedClinic(["2026-03-10T14:00:00-04:00"]);
    expect(await tool(clinic, "cancelAppointment", { reason: "feeling better" })).toBe("I've cancelled the Botox appointment on Tuesday, March 10 at 2 PM.");
    const [row] = await appointments(clinic.orgId);
    expect(row).toMatchObject({ status: "cancelled", cancellation_reason: "feeling better" });
    // The slot is free again.
    expect(await tool(clinic, "checkAvailability", { date: "March 10 at 2pm" })).toMatch(/^Yes, Tuesday, March 10 at 2 PM is available/);
    expect(await tool(clinic, "cancelAppointment", {})).toMatch(/^I couldn't find an upcoming appointment under this phone number/);
  });

  it("refuses inside the minimum cancel notice, with the reason, and changes nothing", async () => {
    const clinic = await bookedClinic(["2026-03-06T09:30:00-05:00"]); // 23.5 hours away
    expect(await tool(clinic, "cancelAppointment", {})).toBe(
      "I can't cancel this appointment: changes need at least 24 hours notice, and it starts Friday, March 6 at 9:30 AM.",
    );
    expect((await appointments(clinic.orgId))[0].status).toBe("booked");
  });

  it("asks which one when the caller has several, and cancels the one they name", async () => {
    const clinic = await bookedClinic(["2026-03-10T14:00:00-04:00", "2026-03-12T10:00:00-04:00"]);
    expect(await tool(clinic, "cancelAppointment", {})).toBe(
      "You have 2 upcoming appointments: Botox on Tuesday, March 10 at 2 PM and Botox on Thursday, March 12 at 10 AM. Which one should I cancel?",
    );
    expect(await tool(clinic, "cancelAppointment", { appointmentStart: "Thursday" })).toBe(
      "I've cancelled the Botox appointment on Thursday, March 12 at 10 AM.",
    );
    const rows = await appointments(clinic.orgId);
    expect(rows.map((r) => r.status)).toEqual(["booked", "cancelled"]);
  });

  it("does not let a caller cancel someone else's appointment by reciting their number", async () => {
    const clinic = await bookedClinic(["2026-03-10T14:00:00-04:00"]);
    const stranger = "+12125554444";
    // Security issue "verified callers": another number needs the full name AND date of birth on file
    // (test/vapi-caller-verification.test.ts covers every branch); the name alone no longer works.
    expect(await tool(clinic, "cancelAppointment", { phone: CALLER }, stranger)).toMatch(
      /^For privacy, to cancel a booking made under another number I need the patient's full name and date of birth/,
    );
    expect(await tool(clinic, "cancelAppointment", { phone: CALLER, name: "Someone Else" }, stranger)).toMatch(/^For privacy/);
    expect(await tool(clinic, "cancelAppointment", { phone: "(212) 555-3000", name: "maria lopez", dateOfBirth: "May 1, 1980" }, stranger)).toMatch(
      /^For your privacy I can't cancel that booking from this number/,
    );
    expect((await appointments(clinic.orgId))[0].status).toBe("booked");
  });
});

describe("rescheduleAppointment", () => {
  it("moves the appointment atomically: a new booking linked to the cancelled old one", async () => {
    const clinic = await bookedClinic(["2026-03-10T14:00:00-04:00"]);
    expect(await tool(clinic, "rescheduleAppointment", { newStart: "2026-03-12T10:00:00-04:00" })).toBe(
      "Done: your appointment has moved from Tuesday, March 10 at 2 PM to Thursday, March 12 at 10 AM.",
    );
    const [old, moved] = await appointments(clinic.orgId);
    expect(old).toMatchObject({ status: "cancelled", cancellation_reason: "rescheduled" });
    expect(moved).toMatchObject({ status: "booked", rescheduled_from: old.id, starts_at: new Date("2026-03-12T14:00:00Z") });
    // The service and contact carry over.
    const { rows } = await t.admin.query(
      "select s.name, c.phone from public.appointments a join public.services s on s.id = a.service_id join public.contacts c on c.id = a.contact_id where a.id = $1",
      [moved.id],
    );
    expect(rows[0]).toEqual({ name: "Botox", phone: CALLER });
  });

  it("can move an appointment to a time overlapping its own old slot", async () => {
    const clinic = await bookedClinic(["2026-03-10T14:00:00-04:00"], { slotMinutes: 15 });
    expect(await tool(clinic, "rescheduleAppointment", { newStart: "2026-03-10T14:15:00-04:00" })).toMatch(
      /^Done: your appointment has moved from .* 2 PM to Tuesday, March 10 at 2:15 PM\.$/,
    );
  });

  it("keeps the old appointment when the new time is taken, and offers alternatives", async () => {
    const clinic = await bookedClinic(["2026-03-10T14:00:00-04:00"]);
    expect(await tool(clinic, "bookClinicAppointment", { name: "Other Patient", start: "2026-03-12T10:00:00-04:00" }, "+12125558888")).toMatch(
      /^You're booked/,
    );
    expect(await tool(clinic, "rescheduleAppointment", { newStart: "2026-03-12T10:00:00-04:00" })).toMatch(
      /^Sorry, Thursday, March 12 at 10 AM was just taken\. Your appointment stays at Tuesday, March 10 at 2 PM\. The nearest free times are Thursday, March 12 at 10:30 AM/,
    );
    const rows = await appointments(clinic.orgId);
    expect(rows.map((r) => r.status)).toEqual(["booked", "booked"]);
  });

  it("rolls back the cancellation when the new booking fails in the database", async () => {
    const clinic = await bookedClinic(["2026-03-10T14:00:00-04:00"]);
    const callId = "vcall-reschedule-conflict";
    // A row the availability check does not consider (another room) but the per-call unique index
    // does: the reschedule's insert is rejected after the old appointment was already cancelled.
    await t.admin.query(
      "insert into public.appointments (org_id, provider, vapi_call_id, starts_at, ends_at) values ($1, 'room-2', $2, '2026-03-12T14:00:00Z', '2026-03-12T14:30:00Z')",
      [clinic.orgId, callId],
    );
    const res = await callTools(
      http,
      secret,
      toolCallsMessage(clinic, [{ name: "rescheduleAppointment", args: { newStart: "2026-03-12T10:00:00-04:00" } }], { callId, caller: CALLER }).body,
    );
    expect(res.status).toBe(200);
    expect(res.body.results[0].error).toMatch(/^\{"say":"Sorry, I couldn't complete that just now/);
    const rows = await appointments(clinic.orgId);
    expect(rows.map((r) => [r.starts_at.toISOString(), r.status])).toEqual([
      ["2026-03-10T18:00:00.000Z", "booked"],
      ["2026-03-12T14:00:00.000Z", "booked"],
    ]);
  });

  it("refuses inside the notice window with the reason", async () => {
    const clinic = await bookedClinic(["2026-03-05T16:00:00-05:00"]);
    expect(await tool(clinic, "rescheduleAppointment", { newStart: "2026-03-12T10:00:00-04:00" })).toBe(
      "I can't change this appointment: changes need at least 24 hours notice, and it starts Thursday, March 5 at 4 PM.",
    );
    const rows = await appointments(clinic.orgId);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe("booked");
  });

  it("asks for a readable new time", async () => {
    const clinic = await bookedClinic(["2026-03-10T14:00:00-04:00"]);
    expect(await tool(clinic, "rescheduleAppointment", {})).toBe("ERROR: What new day and time would you like?");
    expect(await tool(clinic, "rescheduleAppointment", { newStart: "sometime soon" })).toBe("ERROR: Sorry, which day and time was that?");
  });
});

describe("the caller becomes a contact", () => {
  it("creates the contact in E.164 on booking and updates it on the next one", async () => {
    clock.set("2026-03-05T15:00:00Z");
    const clinic = await createClinic(t.admin);
    expect(
      await tool(clinic, "bookClinicAppointment", {
        name: "Dana White",
        phone: "(646) 555-0142",
        email: "Dana@Example.com",
        start: "2026-03-10T14:00:00-04:00",
      }),
    ).toMatch(/^You're booked/);
    expect(
      await tool(clinic, "bookClinicAppointment", {
        name: "Dana White-Smith",
        phone: "+1 646 555 0142",
        service: "fillers",
        start: "2026-03-11T14:00:00-04:00",
      }),
    ).toMatch(/^You're booked/);
    const { rows } = await t.admin.query("select phone, name, email, lead_status, service_interests from public.contacts where org_id = $1", [clinic.orgId]);
    expect(rows).toEqual([
      { phone: "+16465550142", name: "Dana White-Smith", email: "dana@example.com", lead_status: "booked", service_interests: ["Consultation", "Fillers"] },
    ]);
    expect(await tool(clinic, "bookClinicAppointment", { name: "Dana", phone: "12", start: "2026-03-12T14:00:00-04:00" })).toMatch(
      /^ERROR: Sorry, I didn't catch that number\. Could you repeat it with the area code\?/,
    );
    expect(await tool(clinic, "bookClinicAppointment", { start: "2026-03-12T14:00:00-04:00" })).toBe(
      "ERROR: May I have the patient's full name for the booking?",
    );
    expect(await tool(clinic, "bookClinicAppointment", { name: "Dana", service: "tattoo removal", start: "2026-03-12T14:00:00-04:00" })).toMatch(
      /^ERROR: I'm not sure which treatment you mean\. The clinic offers Consultation, Botox, Fillers/,
    );
  });

  it("books from a date and time given separately", async () => {
    clock.set("2026-03-05T15:00:00Z");
    const clinic = await createClinic(t.admin);
    expect(await tool(clinic, "bookClinicAppointment", { name: "Sol Reyes", date: "March 10", time: "2:30 PM" })).toMatch(
      /^You're booked.* on Tuesday, March 10 at 2:30 PM/,
    );
    expect(await tool(clinic, "bookClinicAppointment", { name: "Tam Reyes", start: "March 11", time: "3pm" }, "+12125553001")).toMatch(
      /^You're booked.* on Wednesday, March 11 at 3 PM/,
    );
    expect(await tool(clinic, "bookClinicAppointment", { name: "Tam Reyes", start: "Thursday" }, "+12125553001")).toMatch(
      /^ERROR: Sorry, which day and time was that\?/,
    );
  });
});

describe("replays", () => {
  it("returns the same results for a replayed tool-calls message and creates nothing new", async () => {
    clock.set("2026-03-05T15:00:00Z");
    const clinic = await createClinic(t.admin);
    const { body } = toolCallsMessage(
      clinic,
      [
        { id: "r1", name: "checkAvailability", args: { date: "March 10" } },
        { id: "r2", name: "bookClinicAppointment", args: { name: "Ike Ono", start: "2026-03-10T09:00:00-04:00" } },
        { id: "r3", name: "checkAvailability", args: { date: "March 10" } },
      ],
      { caller: CALLER },
    );
    const first = await callTools(http, secret, body);
    expect(first.body.results[1].result).toMatch(/^\{"say":"You're booked.* on Tuesday, March 10 at 9 AM/);
    // r3 ran after the booking in the same message: 9:00 is gone.
    expect(first.body.results[2].result).toMatch(/^\{"say":"I have openings on Tuesday, March 10 at 9:30 AM/);
    const counts = async () =>
      (
        await t.admin.query(
          "select (select count(*) from public.appointments where org_id = $1)::int as a, (select count(*) from public.contacts where org_id = $1)::int as c, (select count(*) from public.tool_invocations where org_id = $1)::int as i",
          [clinic.orgId],
        )
      ).rows[0];
    const before = await counts();
    expect(before).toEqual({ a: 1, c: 1, i: 3 });
    for (let i = 0; i < 3; i++) {
      const again = await callTools(http, secret, body);
      expect(again.body).toEqual(first.body);
    }
    // Ten simultaneous redeliveries too.
    const parallel = await Promise.all(Array.from({ length: 10 }, () => callTools(http, secret, body)));
    for (const p of parallel) expect(p.body).toEqual(first.body);
    expect(await counts()).toEqual(before);
  });

  it("a message and its redeliveries sent at once all hear the answers stored first, and book once", async () => {
    clock.set("2026-03-05T15:00:00Z");
    const clinic = await createClinic(t.admin);
    const { body } = toolCallsMessage(
      clinic,
      [
        { id: "s1", name: "checkAvailability", args: { date: "March 10" } },
        { id: "s2", name: "bookClinicAppointment", args: { name: "Ada Lund", start: "2026-03-10T09:00:00-04:00" } },
      ],
      { caller: CALLER },
    );
    // None has been answered yet, so several deliveries run the tools before any answer is stored.
    const deliveries = await Promise.all(Array.from({ length: 8 }, () => callTools(http, secret, body)));
    const { rows: stored } = await t.admin.query<{ tool_call_id: string; result: string }>(
      "select tool_call_id, result from public.tool_invocations where org_id = $1 order by tool_call_id",
      [clinic.orgId],
    );
    expect(stored.map((r) => r.tool_call_id)).toEqual(["s1", "s2"]);
    expect(stored[1]!.result).toMatch(/^\{"say":"You're booked.* on Tuesday, March 10 at 9 AM/);
    for (const d of deliveries) expect(d.body.results.map((r: { result: string }) => r.result)).toEqual(stored.map((r) => r.result));
    const { rows } = await t.admin.query("select count(*)::int as n from public.appointments where org_id = $1", [clinic.orgId]);
    expect(rows[0].n).toBe(1);
  });

  it("storing an answer that was stored already returns the first one and changes nothing", async () => {
    const clinic = await createClinic(t.admin);
    const invocation = (result: string) => ({
      orgId: clinic.orgId,
      callId: "vcall-stored-twice",
      toolCallId: "tc-1",
      toolName: "checkAvailability",
      args: {},
      result,
      error: null,
      outcome: null,
      emergency: false,
      appointmentId: null,
      durationMs: 1,
    });
    expect(await t.db.asSystem((db) => storeToolInvocationAndCommit(db, invocation("first answer")))).toBe("inserted");
    expect(await t.db.asSystem((db) => storeToolInvocationAndCommit(db, invocation("second answer")))).toEqual({ result: "first answer", error: null });
    const { rows } = await t.admin.query("select result from public.tool_invocations where org_id = $1", [clinic.orgId]);
    expect(rows).toEqual([{ result: "first answer" }]);
  });

  it("never books the same (call, start) twice, even under a new toolCallId", async () => {
    clock.set("2026-03-05T15:00:00Z");
    const clinic = await createClinic(t.admin);
    const callId = "vcall-interrupted-speech";
    const book = (id: string) =>
      callTools(
        http,
        secret,
        toolCallsMessage(clinic, [{ id, name: "bookClinicAppointment", args: { name: "Uma Ode", start: "2026-03-10T11:00:00-04:00" } }], { callId }).body,
      );
    const [a, b] = await Promise.all([book("t1"), book("t2")]);
    const texts = [a.body.results[0].result, b.body.results[0].result];
    expect(texts.every((x: string) => x.includes("Tuesday, March 10 at 11 AM"))).toBe(true);
    const { rows } = await t.admin.query("select outcome from public.tool_invocations where org_id = $1 order by outcome", [clinic.orgId]);
    expect(rows.map((r) => r.outcome)).toEqual(["already_booked", "booked"]);
    expect(await appointments(clinic.orgId)).toHaveLength(1);
  });
});
