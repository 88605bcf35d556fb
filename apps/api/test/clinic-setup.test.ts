/**
 * Clinic setup from the dashboard: GET/PATCH /api/settings and the services API, and what the
 * receptionist says on the very next tool call (no cache between the Settings page and a call).
 */
import { describe, expect, it } from "vitest";
import { createTestApp } from "./helpers/app";
import { addTeamMember, browserHeaders, signUpClinic, signUpOverHttp, type TestUser } from "./helpers/auth";
import { listen } from "./helpers/http";
import { addVapiIdentity, TestClock, toolCallsMessage, toolText, type VapiIdentity } from "./helpers/vapi";

// Monday 2 March 2026, 10:00 in New York (EST, UTC-5).
const clock = new TestClock(new Date("2026-03-02T15:00:00Z"));
const t = await createTestApp({ clock });
const http = await listen(t.app);
const secret = t.config.vapiWebhookSecret;

const tool = (line: VapiIdentity, name: string, args: Record<string, unknown>) => toolText(http, secret, toolCallsMessage(line, [{ name, args }]).body);
const patch = (user: TestUser, body: unknown) => http.request("PATCH", "/api/settings", { body, headers: user.bearer });
const get = (user: TestUser, path = "/api/settings") => http.request("GET", path, { headers: user.bearer });
const audit = async (orgId: string, action: string) =>
  (
    await t.admin.query("select actor_user_id, action, target_type, target_id, data from audit_events where org_id = $1 and action = $2 order by created_at", [
      orgId,
      action,
    ])
  ).rows;

const WEEKDAY_9_TO_5 = { start: "09:00", end: "17:00" };
const OPEN_WEEKDAYS = {
  mon: [WEEKDAY_9_TO_5],
  tue: [WEEKDAY_9_TO_5],
  wed: [WEEKDAY_9_TO_5],
  thu: [WEEKDAY_9_TO_5],
  fri: [WEEKDAY_9_TO_5],
  sat: [],
  sun: [],
};

async function clinicWithLine(): Promise<{ owner: TestUser; staff: TestUser; line: VapiIdentity }> {
  const owner = await signUpClinic(t, { clinicName: "Harbour Health", timezone: "America/New_York" });
  const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
  const line = await addVapiIdentity(t.admin, owner.orgId);
  return { owner, staff, line };
}

describe("business hours", () => {
  it("an owner closes Tuesdays: checkAvailability for Tuesday then answers closed and offers Wednesday", async () => {
    const { owner, line } = await clinicWithLine();
    expect(await tool(line, "checkAvailability", { date: "Tuesday" })).toMatch(/^I have openings on Tuesday, March 3 at 9 AM/);
    expect((await get(owner)).body.savedAt).toBeNull();

    const res = await patch(owner, { hours: { ...OPEN_WEEKDAYS, tue: [] } });
    expect(res.status).toBe(200);
    expect(res.body.hours.tue).toEqual([]);
    expect(res.body.hours.wed).toEqual([WEEKDAY_9_TO_5]);
    expect(res.body.savedAt).not.toBeNull();

    expect(await tool(line, "checkAvailability", { date: "Tuesday" })).toBe(
      "The clinic is closed on Tuesday, March 3. The nearest free times are Wednesday, March 4 at 9 AM, 9:30 AM or 10 AM.",
    );

    const [row] = await audit(owner.orgId, "settings.updated");
    expect(row).toMatchObject({ actor_user_id: owner.userId, target_type: "organization", target_id: owner.orgId });
    expect(row.data.changed).toEqual(["business_hours"]);
    expect(row.data.before.business_hours.tue).toEqual([WEEKDAY_9_TO_5]);
    expect(row.data.after.business_hours.tue).toEqual([]);
  });

  it("keeps several ranges a day (a lunch break) and offers no time inside the break", async () => {
    const { owner, line } = await clinicWithLine();
    const res = await patch(owner, {
      hours: {
        ...OPEN_WEEKDAYS,
        wed: [
          { start: "13:00", end: "14:00" },
          { start: "09:00", end: "10:00" },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(await tool(line, "checkAvailability", { date: "Wednesday" })).toBe("I have openings on Wednesday, March 4 at 9 AM, 9:30 AM, 1 PM or 1:30 PM.");
  });
});

describe("date overrides", () => {
  it("a holiday closes that date only, and special hours replace the weekday's", async () => {
    const { owner, line } = await clinicWithLine();
    const res = await patch(owner, {
      dateOverrides: [
        { date: "2026-03-05", hours: [{ start: "15:00", end: "16:00" }], note: "Short day" },
        { date: "2026-03-04", hours: [], note: "Founders' day" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.dateOverrides.map((o: { date: string }) => o.date)).toEqual(["2026-03-04", "2026-03-05"]);

    expect(await tool(line, "checkAvailability", { date: "March 4" })).toBe(
      "The clinic is closed on Wednesday, March 4. The nearest free times are Thursday, March 5 at 3 PM or 3:30 PM, or Friday, March 6 at 9 AM.",
    );
    expect(await tool(line, "bookClinicAppointment", { name: "Ana Diaz", start: "2026-03-04T10:00:00-05:00" })).not.toMatch(/^Booked/);
    // The Tuesday before and the week after keep their weekday hours.
    expect(await tool(line, "checkAvailability", { date: "Tuesday" })).toMatch(/^I have openings on Tuesday, March 3 at 9 AM/);
    expect(await tool(line, "checkAvailability", { date: "March 11" })).toMatch(/^I have openings on Wednesday, March 11 at 9 AM/);
  });
});

describe("who may change settings", () => {
  it("staff read the settings, and a staff PATCH is refused with 403 and changes nothing", async () => {
    const { owner, staff } = await clinicWithLine();
    const seen = await get(staff);
    expect(seen.status).toBe(200);
    expect(seen.body.profile).toMatchObject({ name: "Harbour Health", timezone: "America/New_York", clinicType: "med_spa", currency: "USD" });
    expect(seen.body.hours.mon).toEqual([WEEKDAY_9_TO_5]);

    const refused = await patch(staff, { hours: { ...OPEN_WEEKDAYS, tue: [] } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/^Only the clinic's owner or an admin can change the clinic's settings/);
    expect((await get(owner)).body.hours.tue).toEqual([WEEKDAY_9_TO_5]);
    expect(await audit(owner.orgId, "settings.updated")).toEqual([]);
  });

  it("an admin may change them; a demoted admin is refused at once, whatever their token says", async () => {
    const { owner } = await clinicWithLine();
    const admin = await addTeamMember(t, owner.orgId, { role: "admin" });
    expect((await patch(admin, { booking: { slotMinutes: 20 } })).status).toBe(200);
    await t.admin.query("update profiles set role = 'staff' where user_id = $1", [admin.userId]);
    const refused = await patch(admin, { booking: { slotMinutes: 45 } });
    expect(refused.status).toBe(403);
    expect((await get(owner)).body.booking.slotMinutes).toBe(20);
  });
});

describe("validation", () => {
  it("answers 400 naming the field and what to write, and stores nothing", async () => {
    const { owner } = await clinicWithLine();
    const cases: [unknown, string, RegExp][] = [
      [{ transfer: { transferNumber: "212 555 0100" } }, "transfer.transferNumber", /E\.164/],
      [{ transfer: { hotLeadAlertNumber: "+1555" } }, "transfer.hotLeadAlertNumber", /E\.164/],
      [{ transfer: { emergencyNumber: "call 911" } }, "transfer.emergencyNumber", /digits only/],
      [{ transfer: { afterHoursMode: "voicemail" } }, "transfer.afterHoursMode", /take a message/],
      [{ profile: { timezone: "Mars/Olympus" } }, "profile.timezone", /IANA/],
      [{ profile: { currency: "ABC" } }, "profile.currency", /ISO 4217/],
      [{ profile: { name: "X" } }, "profile.name", /at least 2/],
      [{ booking: { slotMinutes: 2 } }, "booking.slotMinutes", /at least 5/],
      [{ booking: { minBookingNoticeMinutes: -5 } }, "booking.minBookingNoticeMinutes", /negative/],
      [{ hours: { ...OPEN_WEEKDAYS, mon: [{ start: "17:00", end: "09:00" }] } }, "hours.mon.0.end", /after the opening time/],
      [
        {
          hours: {
            ...OPEN_WEEKDAYS,
            mon: [
              { start: "09:00", end: "13:00" },
              { start: "12:00", end: "17:00" },
            ],
          },
        },
        "hours.mon",
        /overlaps/,
      ],
      [{ hours: { mon: [] } }, "hours.tue", /./],
      [{ dateOverrides: [{ date: "2026-02-30", hours: [], note: null }] }, "dateOverrides.0.date", /does not exist/],
      [
        {
          dateOverrides: [
            { date: "2026-12-25", hours: [], note: null },
            { date: "2026-12-25", hours: [], note: null },
          ],
        },
        "dateOverrides.1.date",
        /listed twice/,
      ],
      [{}, "", /Nothing to change/],
    ];
    for (const [body, path, message] of cases) {
      const res = await patch(owner, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const field = res.body.error.fields?.find((f: { path: string }) => f.path === path);
      expect(field?.message ?? res.body.error.message, `${JSON.stringify(body)} → ${res.text}`).toMatch(message);
    }
    expect(await audit(owner.orgId, "settings.updated")).toEqual([]);
  });

  it("stores a valid change of every section", async () => {
    const { owner } = await clinicWithLine();
    const res = await patch(owner, {
      profile: { name: "Harbour Dental", timezone: "Europe/London", clinicType: "dental", currency: "gbp", address: "1 Quay St, Bristol" },
      booking: { slotMinutes: 15, bufferBeforeMinutes: 5, bufferAfterMinutes: 10, minBookingNoticeMinutes: 120, minCancelNoticeMinutes: 2880 },
      transfer: { transferNumber: "+442079460000", afterHoursMode: "offer_slots", hotLeadAlertNumber: null, emergencyNumber: "999" },
    });
    expect(res.status).toBe(200);
    expect(res.body.profile).toEqual({
      name: "Harbour Dental",
      timezone: "Europe/London",
      clinicType: "dental",
      currency: "GBP",
      address: "1 Quay St, Bristol",
    });
    expect(res.body.transfer).toEqual({ transferNumber: "+442079460000", afterHoursMode: "offer_slots", hotLeadAlertNumber: null, emergencyNumber: "999" });
    const [row] = await audit(owner.orgId, "settings.updated");
    expect(row.data.changed.sort()).toEqual(
      [
        "name",
        "timezone",
        "clinic_type",
        "currency",
        "address",
        "slot_minutes",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "min_booking_notice_minutes",
        "min_cancel_notice_minutes",
        "transfer_number",
        "after_hours_mode",
        "emergency_number",
      ].sort(),
    );
  });

  it("the emergency number override is what callers are told to dial", async () => {
    const { owner, line } = await clinicWithLine();
    expect((await patch(owner, { transfer: { emergencyNumber: "112" } })).status).toBe(200);
    expect(await tool(line, "checkAvailability", { date: "tomorrow", reason: "crushing chest pain" })).toMatch(/dial 112 for emergency services/);
  });
});

describe("service templates at sign-up", () => {
  it("a new dental clinic gets the dental services, and getServicePrice quotes in its currency", async () => {
    const signup = await signUpOverHttp(http, { clinicName: "Bright Smiles Dental", clinicType: "dental", currency: "GBP", timezone: "Europe/London" });
    const orgId = signup.body.organization.id;
    const list = await http.request("GET", "/api/services", { headers: browserHeaders(signup.cookies) });
    expect(list.status).toBe(200);
    expect(list.body.currency).toBe("GBP");
    expect(list.body.services.map((s: { name: string; price: number }) => [s.name, s.price]).sort()).toEqual(
      [
        ["Check-up and Cleaning", 60],
        ["Consultation", 50],
        ["Crown", 700],
        ["Filling", 120],
        ["Root Canal", 600],
        ["Teeth Whitening", 300],
        ["Toothache Visit", 80],
      ].sort(),
    );
    const line = await addVapiIdentity(t.admin, orgId);
    expect(await tool(line, "getServicePrice", { service: "a cleaning" })).toBe(
      "Check-up and Cleaning costs £60, and a check-up and cleaning consultation takes about half an hour.",
    );
    expect(await tool(line, "getServicePrice", { service: "botox" })).toMatch(/^I don't have a price for that\. The clinic offers /);
  });

  it("each clinic type starts with its own template; a sign-up without a type is a med spa in dollars", async () => {
    const firstService: Record<string, [string, string]> = {
      dermatology: ["mole check", "Skin Check costs €180, and a skin check consultation takes about half an hour."],
      physiotherapy: ["sports massage", "Sports Massage costs €65, and a sports massage consultation takes about 45 minutes."],
      general_practice: ["flu jab", "Vaccination costs €40, and a vaccination consultation takes about 15 minutes."],
    };
    for (const [clinicType, [words, quote]] of Object.entries(firstService)) {
      const signup = await signUpOverHttp(http, { clinicName: `Clinic ${clinicType}`, clinicType: clinicType as "dermatology", currency: "EUR" });
      const line = await addVapiIdentity(t.admin, signup.body.organization.id);
      expect(await tool(line, "getServicePrice", { service: words })).toBe(quote);
    }
    const medSpa = await signUpOverHttp(http, { clinicName: "Glow Med Spa" });
    const line = await addVapiIdentity(t.admin, medSpa.body.organization.id);
    expect(await tool(line, "getServicePrice", { service: "botox" })).toBe("Botox costs $400, and a botox consultation takes about half an hour.");
  });

  it("refuses an unknown clinic type or currency at sign-up", async () => {
    for (const body of [{ clinicType: "veterinary" }, { currency: "DOLLARS" }]) {
      const res = await http.request("POST", "/api/auth/signup", {
        body: { clinicName: "Nope Clinic", email: `nope-${Math.random().toString(36).slice(2)}@example.com`, password: "correct horse battery", ...body },
        headers: { origin: "http://localhost:3002" },
      });
      expect(res.status).toBe(400);
    }
  });
});

describe("services", () => {
  const services = (user: TestUser) => http.request("GET", "/api/services", { headers: user.bearer });
  const send = (user: TestUser, method: string, path: string, body?: unknown) => http.request(method, path, { body, headers: user.bearer });

  it("owners add, change and delete services; the receptionist quotes the change on the next call; each change is audited", async () => {
    const { owner, staff, line } = await clinicWithLine();
    expect((await services(owner)).body.changedAt).toBeNull();
    const created = await send(owner, "POST", "/api/services", {
      name: "Microneedling",
      price: 275,
      durationMinutes: 60,
      keywords: ["Micro Needling", "collagen induction"],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Microneedling",
      price: 275,
      durationMinutes: 60,
      keywords: ["collagen induction", "micro needling"],
      active: true,
    });
    expect(await tool(line, "getServicePrice", { service: "micro needling" })).toBe(
      "Microneedling costs $275, and a microneedling consultation takes about an hour.",
    );
    expect((await services(staff)).body.changedAt).not.toBeNull();

    const duplicate = await send(owner, "POST", "/api/services", { name: "microneedling", price: 1, durationMinutes: 30 });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.message).toMatch(/already a service called "microneedling"/);

    const id = created.body.id;
    const changed = await send(owner, "PATCH", `/api/services/${id}`, { price: 300 });
    expect(changed.status).toBe(200);
    expect(await tool(line, "getServicePrice", { service: "micro needling" })).toBe(
      "Microneedling costs $300, and a microneedling consultation takes about an hour.",
    );

    expect((await send(staff, "PATCH", `/api/services/${id}`, { price: 1 })).status).toBe(403);
    expect((await send(staff, "POST", "/api/services", { name: "Peel", price: 1, durationMinutes: 30 })).status).toBe(403);
    expect((await send(staff, "DELETE", `/api/services/${id}`)).status).toBe(403);
    expect((await send(staff, "GET", `/api/services/${id}`)).body.price).toBe(300);

    const bad = await send(owner, "PATCH", `/api/services/${id}`, { price: -1, durationMinutes: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { message: string }) => f.message).sort()).toEqual(["A price cannot be negative", "At least 5 minutes"]);

    const removed = await send(owner, "DELETE", `/api/services/${id}`);
    expect(removed.body).toEqual({ result: "deleted", id });
    expect((await send(owner, "GET", `/api/services/${id}`)).status).toBe(404);
    expect((await services(owner)).body.services.some((s: { id: string }) => s.id === id)).toBe(false);

    expect((await audit(owner.orgId, "service.created")).map((r) => r.target_id)).toEqual([id]);
    const [update] = await audit(owner.orgId, "service.updated");
    expect([update.data.before.price, update.data.after.price]).toEqual([275, 300]);
    expect((await audit(owner.orgId, "service.deleted")).map((r) => [r.actor_user_id, r.target_id])).toEqual([[owner.userId, id]]);
  });

  it("a service with an appointment ahead is archived, not deleted, and is no longer quoted", async () => {
    const { owner, line } = await clinicWithLine();
    const botox = (await services(owner)).body.services.find((s: { name: string }) => s.name === "Botox");
    await t.admin.query(
      `insert into appointments (org_id, service_id, starts_at, ends_at, source)
       values ($1, $2, now() + interval '2 days', now() + interval '2 days 30 minutes', 'dashboard')`,
      [owner.orgId, botox.id],
    );
    const removed = await send(owner, "DELETE", `/api/services/${botox.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.result).toBe("archived");
    expect(removed.body.service).toMatchObject({ id: botox.id, active: false, upcomingAppointments: 1 });
    expect(removed.body.service.archivedAt).not.toBeNull();
    expect((await t.admin.query("select service_id from appointments where org_id = $1", [owner.orgId])).rows).toEqual([{ service_id: botox.id }]);
    expect(await tool(line, "getServicePrice", { service: "botox" })).toMatch(/^I don't have a price for that\. The clinic offers /);
    expect((await audit(owner.orgId, "service.archived")).map((r) => r.target_id)).toEqual([botox.id]);

    // The database refuses the delete too, whoever asks.
    await expect(t.admin.query("delete from services where id = $1", [botox.id])).rejects.toThrow(/archive it instead/);

    // The name is free again for a new service, and the archived one stays listed, last.
    expect((await send(owner, "POST", "/api/services", { name: "Botox", price: 420, durationMinutes: 30, keywords: ["botox"] })).status).toBe(201);
    expect(await tool(line, "getServicePrice", { service: "botox" })).toBe("Botox costs $420, and a botox consultation takes about half an hour.");
    const list = (await services(owner)).body.services;
    expect(list.at(-1)).toMatchObject({ id: botox.id, archivedAt: expect.any(String) });
  });
});

describe("saving unchanged settings", () => {
  it("counts as reviewed (savedAt) but writes no audit row", async () => {
    const { owner } = await clinicWithLine();
    const res = await patch(owner, { hours: OPEN_WEEKDAYS });
    expect(res.status).toBe(200);
    expect(res.body.savedAt).not.toBeNull();
    expect(await audit(owner.orgId, "settings.updated")).toEqual([]);
  });
});
