import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { findSlots } from "../src/modules/booking/availability";
import { createTestApp } from "./helpers/app";
import { listen } from "./helpers/http";
import { createClinic, TestClock, toolCallsMessage, toolReply, toolText, type ClinicOptions, type TestClinic } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York (EST, UTC-5). DST starts Sunday 8 March.
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
const t = await createTestApp({ clock });
const http = await listen(t.app);
const secret = t.config.vapiWebhookSecret;

const tool = (clinic: TestClinic, name: string, args: Record<string, unknown>, o: { callId?: string; caller?: string } = {}) =>
  toolText(http, secret, toolCallsMessage(clinic, [{ name, args }], o).body);

/** What the caller hears from checkAvailability, and the starts it hands the assistant to book with. */
const offer = async (clinic: TestClinic, args: Record<string, unknown>, o: { caller?: string } = {}) => {
  const reply = await toolReply(http, secret, toolCallsMessage(clinic, [{ name: "checkAvailability", args }], o).body);
  return { say: reply.say, starts: (reply.slots ?? []).map((h) => h.start) };
};

const activeAppointments = async (orgId: string) =>
  (
    await t.admin.query(
      "select starts_at, ends_at, status, buffer_before_minutes, buffer_after_minutes from public.appointments where org_id = $1 and status in ('booked','confirmed') order by starts_at",
      [orgId],
    )
  ).rows;

const allWeek = (start: string, end: string) => Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ start, end }]]));

async function clinicAt(now: string, o: ClinicOptions = {}) {
  clock.set(now);
  return createClinic(t.admin, o);
}

describe("default services", () => {
  it("seeds the seven default services for every new organization, with keyword pricing", async () => {
    const clinic = await createClinic(t.admin);
    const { rows } = await t.admin.query("select name, price, duration_minutes from public.services where org_id = $1 order by price", [clinic.orgId]);
    expect(rows.map((r) => [r.name, Number(r.price)])).toEqual([
      ["Consultation", 150],
      ["Botox", 400],
      ["Fillers", 500],
      ["Liposuction", 5000],
      ["Rhinoplasty", 6000],
      ["Breast Augmentation", 7500],
      ["Facelift", 8000],
    ]);
    const price = async (k: string) =>
      (await t.admin.query("select service_name, price from public.get_service_price_by_keyword($1, $2)", [clinic.orgId, k])).rows[0] ?? null;
    expect(await price("Nose Job")).toMatchObject({ service_name: "Rhinoplasty", price: 6000 });
    expect(await price("how much would a nose job cost?")).toMatchObject({ service_name: "Rhinoplasty" });
    expect(await price("botox")).toMatchObject({ service_name: "Botox", price: 400 });
    expect(await price("I'd like lip filler")).toMatchObject({ service_name: "Fillers" });
    expect(await price("tattoo removal")).toBeNull();
    expect(await price("")).toBeNull();
  });

  it("books a service for its own duration", async () => {
    const clinic = await clinicAt("2026-03-05T15:00:00Z");
    const text = await tool(clinic, "bookClinicAppointment", { name: "Ana Diaz", service: "facelift", start: "2026-03-06T13:00:00-05:00" });
    expect(text).toMatch(/^You're booked for Facelift on Friday, March 6 at 1 PM, under Ana Diaz\. Your reference is( [0-9A-F]){6}\.$/);
    const [appt] = await activeAppointments(clinic.orgId);
    expect(appt.ends_at.getTime() - appt.starts_at.getTime()).toBe(60 * 60_000);
  });

  it("offers and books the clinic's consultation length when no service is named", async () => {
    const clinic = await clinicAt("2026-03-05T15:00:00Z");
    await t.admin.query("update public.services set duration_minutes = 60 where org_id = $1 and name = 'Consultation'", [clinic.orgId]);
    // A 60-minute consultation at 4:30 PM would run past 5:00 PM closing.
    const late = await offer(clinic, { date: "March 6 at 4:30pm" });
    expect(late.say).toMatch(/^Friday, March 6 at 4:30 PM isn't available\. The nearest free times are .*4 PM\.$/);
    expect(late.starts).toContain("2026-03-06T16:00:00-05:00");
    expect(await tool(clinic, "bookClinicAppointment", { name: "Nia Brown", start: "2026-03-06T16:00:00-05:00" })).toMatch(
      /^You're booked for Consultation on Friday, March 6 at 4 PM/,
    );
    const [appt] = await activeAppointments(clinic.orgId);
    expect(appt.ends_at.toISOString()).toBe("2026-03-06T22:00:00.000Z");
  });
});

describe("availability rules", () => {
  it("offers slots on the clinic's grid in its time zone, with a machine-usable start", async () => {
    const clinic = await clinicAt("2026-03-05T15:00:00Z");
    expect(await offer(clinic, { date: "tomorrow" })).toEqual({
      say: "I have openings on Friday, March 6 at 9 AM, 9:30 AM, 10 AM, 10:30 AM or 11 AM.",
      starts: ["2026-03-06T09:00:00-05:00", "2026-03-06T09:30:00-05:00", "2026-03-06T10:00:00-05:00", "2026-03-06T10:30:00-05:00", "2026-03-06T11:00:00-05:00"],
    });
    const afternoon = await offer(clinic, { date: "tomorrow afternoon" });
    expect(afternoon.say).toMatch(/^I have openings on Friday, March 6 at noon, 12:30 PM/);
    expect(afternoon.starts[0]).toBe("2026-03-06T12:00:00-05:00");
    const twoPm = await offer(clinic, { date: "Friday at 2pm" });
    expect(twoPm.say).toBe("Yes, Friday, March 6 at 2 PM is available. I also have Friday, March 6 at 1:30 PM or 2:30 PM.");
    expect(twoPm.starts[0]).toBe("2026-03-06T14:00:00-05:00");
    // A range spreads over several days (at most three a day).
    const week = await offer(clinic, { date: "next week" });
    expect(week.say).toMatch(/^I have openings on Monday, March 9 at 9 AM, 9:30 AM or 10 AM, or Tuesday, March 10 at 9 AM/);
    expect(week.starts[0]).toBe("2026-03-09T09:00:00-04:00");
    for (const words of ["Tuesday to Thursday", "between Tuesday and Thursday", "from March 10 until March 12"]) {
      const range = await offer(clinic, { date: words });
      expect(range.say, words).toMatch(/^I have openings on Tuesday, March 10 at 9 AM, 9:30 AM or 10 AM, or Wednesday, March 11 at 9 AM.*\.$/);
    }
    expect(await tool(clinic, "checkAvailability", { date: "gibberish" })).toBe("ERROR: Which day would you like? For example tomorrow, or March 10.");
  });

  it("respects the minimum booking notice", async () => {
    // Now 10:00 with 60 minutes' notice: 10:30 is too soon, 11:00 is the first offer.
    const clinic = await clinicAt("2026-03-05T15:00:00Z", { minBookingNoticeMinutes: 60 });
    const today = await offer(clinic, { date: "today" });
    expect(today.say).toMatch(/^I have openings on Thursday, March 5 at 11 AM/);
    expect(today.starts[0]).toBe("2026-03-05T11:00:00-05:00");
    const tooSoon = await tool(clinic, "bookClinicAppointment", { name: "Sam Lee", start: "2026-03-05T10:30:00-05:00" });
    expect(tooSoon).toMatch(
      /^Thursday, March 5 at 10:30 AM is too soon: appointments need at least 1 hour notice\. The nearest free times are Thursday, March 5 at 11 AM/,
    );
    const past = await tool(clinic, "bookClinicAppointment", { name: "Sam Lee", start: "2026-03-04T10:30:00-05:00" });
    expect(past).toMatch(/^Wednesday, March 4 at 10:30 AM has already passed\. The nearest free times are Thursday, March 5 at 11 AM/);
    expect(await activeAppointments(clinic.orgId)).toHaveLength(0);
  });

  it("keeps buffers around appointments, in the offers and in the database", async () => {
    const clinic = await clinicAt("2026-03-05T15:00:00Z", { bufferAfterMinutes: 15 });
    expect(await tool(clinic, "bookClinicAppointment", { name: "Kim Park", start: "2026-03-06T10:00:00-05:00" })).toMatch(
      /^You're booked for Consultation on Friday, March 6 at 10 AM/,
    );
    // Busy 10:00–10:45 (15 min cleanup). 9:30 would end at 10:00 but needs its own 15 min after; 10:30 overlaps the cleanup.
    const buffered = await offer(clinic, { date: "March 6" });
    expect(buffered.say).toMatch(/^I have openings on Friday, March 6 at 9 AM, 11 AM, 11:30 AM/);
    expect(buffered.starts[1]).toBe("2026-03-06T11:00:00-05:00");
    expect(await tool(clinic, "bookClinicAppointment", { name: "Lee Chan", start: "2026-03-06T10:30:00-05:00" })).toMatch(
      /^Sorry, Friday, March 6 at 10:30 AM was just taken\. The nearest free times are Friday, March 6 at 11 AM/,
    );
    const [appt] = await activeAppointments(clinic.orgId);
    expect(appt).toMatchObject({ buffer_before_minutes: 0, buffer_after_minutes: 15 });

    // The exclusion constraint holds even for writers that skip the engine, buffers included.
    const insert = (start: string, end: string, status = "booked", before = 0, after = 0) =>
      t.admin.query(
        "insert into public.appointments (org_id, starts_at, ends_at, status, buffer_before_minutes, buffer_after_minutes, cancelled_at) values ($1, $2, $3, $4, $5, $6, case when $4 = 'cancelled' then now() end)",
        [clinic.orgId, start, end, status, before, after],
      );
    await expect(insert("2026-03-06T15:40:00Z", "2026-03-06T16:10:00Z")).rejects.toMatchObject({ code: "23P01" }); // inside 10:00–10:45 EST busy span
    await expect(insert("2026-03-06T15:45:00Z", "2026-03-06T16:15:00Z")).resolves.toBeTruthy(); // starts when the cleanup ends
    await expect(insert("2026-03-06T17:00:00Z", "2026-03-06T17:30:00Z", "booked", 0, 30)).resolves.toBeTruthy();
    await expect(insert("2026-03-06T17:45:00Z", "2026-03-06T18:00:00Z", "booked", 0, 0)).rejects.toMatchObject({ code: "23P01" }); // inside the previous one's 30-minute buffer
    await expect(insert("2026-03-06T17:45:00Z", "2026-03-06T18:00:00Z", "cancelled")).resolves.toBeTruthy(); // cancelled rows hold nothing
    await expect(insert("2026-03-06T18:00:00Z", "2026-03-06T18:30:00Z", "booked", 1, 0)).rejects.toMatchObject({ code: "23P01" }); // its own prep buffer overlaps
  });

  it("says when the clinic is closed and offers the next open day", async () => {
    const clinic = await clinicAt("2026-03-05T15:00:00Z");
    expect(await offer(clinic, { date: "Sunday" })).toEqual({
      say: "The clinic is closed on Sunday, March 8. The nearest free times are Monday, March 9 at 9 AM, 9:30 AM or 10 AM.",
      starts: ["2026-03-09T09:00:00-04:00", "2026-03-09T09:30:00-04:00", "2026-03-09T10:00:00-04:00"],
    });
    const weekend = await tool(clinic, "bookClinicAppointment", { name: "Jo Ray", start: "2026-03-07T10:00:00-05:00" });
    expect(weekend).toMatch(/^The clinic is closed on Saturday, March 7\. The nearest free times are Monday, March 9 at 9 AM/);
    const closing = await tool(clinic, "bookClinicAppointment", { name: "Jo Ray", service: "facelift", start: "2026-03-06T16:30:00-05:00" });
    expect(closing).toMatch(/^The clinic is open 9 AM to 5 PM on Friday, so an appointment at 4:30 PM doesn't fit\./);
    expect(await activeAppointments(clinic.orgId)).toHaveLength(0);
  });
});

describe("daylight saving time (America/New_York)", () => {
  it("moves the UTC instants of opening hours across the March change", async () => {
    const clinic = await clinicAt("2026-03-05T15:00:00Z");
    expect((await offer(clinic, { date: "Friday" })).starts).toContain("2026-03-06T09:00:00-05:00");
    expect((await offer(clinic, { date: "Monday" })).starts).toContain("2026-03-09T09:00:00-04:00");
    expect(await tool(clinic, "bookClinicAppointment", { name: "Pat Doe", start: "2026-03-09T09:00:00-04:00" })).toMatch(
      /^You're booked.* on Monday, March 9 at 9 AM/,
    );
    expect(await tool(clinic, "bookClinicAppointment", { name: "Pat Doe", start: "2026-03-06T09:00:00-05:00" })).toMatch(
      /^You're booked.* on Friday, March 6 at 9 AM/,
    );
    const rows = await activeAppointments(clinic.orgId);
    expect(rows.map((r) => r.starts_at.toISOString())).toEqual(["2026-03-06T14:00:00.000Z", "2026-03-09T13:00:00.000Z"]);
  });

  it("skips the hour that does not exist on the spring-forward night", async () => {
    const clinic = await clinicAt("2026-03-07T05:00:00Z", { businessHours: allWeek("00:00", "04:00"), minBookingNoticeMinutes: 0 });
    expect(await offer(clinic, { date: "March 8" })).toEqual({
      say: "I have openings on Sunday, March 8 at 12 AM, 12:30 AM, 1 AM, 1:30 AM or 3 AM.",
      starts: ["2026-03-08T00:00:00-05:00", "2026-03-08T00:30:00-05:00", "2026-03-08T01:00:00-05:00", "2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00"],
    });
  });

  it("offers both 1:00 AMs on the fall-back night and books them as different instants", async () => {
    const clinic = await clinicAt("2026-10-30T16:00:00Z", { businessHours: allWeek("00:00", "03:00"), minBookingNoticeMinutes: 0 });
    const rules = {
      timezone: "America/New_York",
      businessHours: allWeek("00:00", "03:00"),
      slotMinutes: 30,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minBookingNoticeMinutes: 0,
    };
    const day = DateTime.fromISO("2026-11-01", { zone: "America/New_York" });
    const slots = findSlots(rules, { fromDay: day, toDay: day, durationMinutes: 30, busy: [], now: new Date("2026-10-30T16:00:00Z"), limit: 20 });
    // 00:00–03:00 on this night is four real hours: eight half-hour slots.
    expect(slots.map((s) => s.toISO({ suppressMilliseconds: true }))).toEqual([
      "2026-11-01T00:00:00-04:00",
      "2026-11-01T00:30:00-04:00",
      "2026-11-01T01:00:00-04:00",
      "2026-11-01T01:30:00-04:00",
      "2026-11-01T01:00:00-05:00",
      "2026-11-01T01:30:00-05:00",
      "2026-11-01T02:00:00-05:00",
      "2026-11-01T02:30:00-05:00",
    ]);
    expect(await tool(clinic, "bookClinicAppointment", { name: "Early Bird", start: "2026-11-01T01:00:00-04:00" })).toMatch(
      /^You're booked.* on Sunday, November 1 at 1 AM/,
    );
    expect(await tool(clinic, "bookClinicAppointment", { name: "Late Owl", start: "2026-11-01T01:00:00-05:00" })).toMatch(
      /^You're booked.* on Sunday, November 1 at 1 AM/,
    );
    const rows = await activeAppointments(clinic.orgId);
    expect(rows.map((r) => r.starts_at.toISOString())).toEqual(["2026-11-01T05:00:00.000Z", "2026-11-01T06:00:00.000Z"]);
  });
});

describe("clinics outside the US", () => {
  it("uses Europe/London, including its own (later) DST change", async () => {
    const clinic = await clinicAt("2026-03-26T10:00:00Z", { timezone: "Europe/London", clinicNumber: "+442079460958" });
    const friday = await offer(clinic, { date: "tomorrow" }, { caller: "+447700900123" });
    expect(friday.say).toMatch(/^I have openings on Friday, March 27 at 9 AM/);
    expect(friday.starts[0]).toBe("2026-03-27T09:00:00+00:00");
    expect((await offer(clinic, { date: "Monday" }, { caller: "+447700900123" })).starts[0]).toBe("2026-03-30T09:00:00+01:00");
    // A number said without the country code is read as a UK number (the clinic line's country).
    expect(await tool(clinic, "bookClinicAppointment", { name: "Olivia Smith", phone: "07700 900456", start: "2026-03-30T09:00:00+01:00" })).toMatch(
      /^You're booked.* on Monday, March 30 at 9 AM/,
    );
    const { rows } = await t.admin.query(
      "select c.phone, a.starts_at from public.appointments a join public.contacts c on c.id = a.contact_id where a.org_id = $1",
      [clinic.orgId],
    );
    expect(rows).toEqual([{ phone: "+447700900456", starts_at: new Date("2026-03-30T08:00:00Z") }]);
  });

  it("uses a half-hour offset zone (Asia/Kolkata) and speaks any ISO instant in clinic time", async () => {
    const clinic = await clinicAt("2026-03-05T04:00:00Z", { timezone: "Asia/Kolkata" });
    const kolkata = await offer(clinic, { date: "tomorrow" });
    expect(kolkata.say).toMatch(/^I have openings on Friday, March 6 at 9 AM/);
    expect(kolkata.starts[0]).toBe("2026-03-06T09:00:00+05:30");
    expect(await tool(clinic, "bookClinicAppointment", { name: "Ravi Kumar", start: "2026-03-06T04:00:00Z" })).toMatch(
      /^You're booked.* on Friday, March 6 at 9:30 AM/,
    );
    const [appt] = await activeAppointments(clinic.orgId);
    expect(appt.starts_at.toISOString()).toBe("2026-03-06T04:00:00.000Z");
  });
});
