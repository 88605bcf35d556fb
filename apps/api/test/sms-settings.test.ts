/**
 * The clinic's text-message settings on GET/PATCH /api/settings: quiet hours, the hourly cap, the
 * booking confirmation and the reminder times. Owners and admins change them (audited with before
 * and after), staff only read them, bad values are 400s naming the field, and the reminders
 * scheduled for the next booking use the new times.
 */
import { describe, expect, it } from "vitest";
import { appointmentForTexts } from "../src/modules/reminders/queries";
import { scheduleReminders } from "../src/modules/reminders/service";
import { createTestApp } from "./helpers/app";
import { addTeamMember, signUpClinic } from "./helpers/auth";
import { listen } from "./helpers/http";
import { TestClock } from "./helpers/vapi";

const clock = new TestClock(new Date("2026-03-02T15:00:00Z"));
const t = await createTestApp({ clock });
const http = await listen(t.app);

const settingsOf = async (orgId: string) =>
  (
    await t.admin.query(
      `select sms_quiet_start::text, sms_quiet_end::text, sms_hourly_limit, sms_booking_confirmation, sms_reminder_offsets_minutes
         from organizations where id = $1`,
      [orgId],
    )
  ).rows[0];

describe("text message settings", () => {
  it("start at the defaults, and an owner's change is stored, returned and audited with before and after", async () => {
    const owner = await signUpClinic(t, { timezone: "America/New_York" });
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    const first = await http.request("GET", "/api/settings", { headers: staff.bearer });
    expect(first.body.sms).toEqual({ quietStart: "21:00", quietEnd: "08:00", hourlyLimit: 60, bookingConfirmation: true, reminderOffsetsMinutes: [1440, 120] });

    const res = await http.request("PATCH", "/api/settings", {
      headers: owner.bearer,
      body: { sms: { quietStart: "22:30", quietEnd: "07:00", hourlyLimit: 120, bookingConfirmation: false, reminderOffsetsMinutes: [60, 2880] } },
    });
    expect(res.status).toBe(200);
    // Stored longest first, the order the reminders go out.
    expect(res.body.sms).toEqual({ quietStart: "22:30", quietEnd: "07:00", hourlyLimit: 120, bookingConfirmation: false, reminderOffsetsMinutes: [2880, 60] });
    expect(await settingsOf(owner.orgId)).toEqual({
      sms_quiet_start: "22:30:00",
      sms_quiet_end: "07:00:00",
      sms_hourly_limit: 120,
      sms_booking_confirmation: false,
      sms_reminder_offsets_minutes: [2880, 60],
    });
    const audit = (await t.admin.query("select actor_user_id, data from audit_events where org_id = $1 and action = 'settings.updated'", [owner.orgId])).rows;
    expect(audit).toEqual([
      {
        actor_user_id: owner.userId,
        data: {
          changed: ["sms_quiet_start", "sms_quiet_end", "sms_hourly_limit", "sms_booking_confirmation", "sms_reminder_offsets_minutes"],
          before: {
            sms_quiet_start: "21:00",
            sms_quiet_end: "08:00",
            sms_hourly_limit: 60,
            sms_booking_confirmation: true,
            sms_reminder_offsets_minutes: [1440, 120],
          },
          after: {
            sms_quiet_start: "22:30",
            sms_quiet_end: "07:00",
            sms_hourly_limit: 120,
            sms_booking_confirmation: false,
            sms_reminder_offsets_minutes: [2880, 60],
          },
        },
      },
    ]);

    // The same reminders in another order, and the same times, are no change: nothing more audited.
    const again = await http.request("PATCH", "/api/settings", {
      headers: owner.bearer,
      body: { sms: { quietStart: "22:30", reminderOffsetsMinutes: [60, 2880] } },
    });
    expect(again.status).toBe(200);
    expect((await t.admin.query("select 1 from audit_events where org_id = $1 and action = 'settings.updated'", [owner.orgId])).rowCount).toBe(1);
    // No reminders at all is a choice too.
    expect(
      (await http.request("PATCH", "/api/settings", { headers: owner.bearer, body: { sms: { reminderOffsetsMinutes: [] } } })).body.sms.reminderOffsetsMinutes,
    ).toEqual([]);
  });

  it("the database holds the same limits as the settings form, whoever writes", async () => {
    const owner = await signUpClinic(t, { timezone: "America/New_York" });
    // Straight to the table as the owner, past the API's own validation: refused by the constraints.
    const write = (set: string) =>
      t.db
        .asUser(owner.claims, (q) => q.query(`update public.organizations set ${set} where id = $1`, [owner.orgId]))
        .then(
          () => "stored",
          (err: { code?: string }) => err.code,
        );
    expect(await write("sms_hourly_limit = 500")).toBe("stored");
    expect(await write("sms_hourly_limit = 501")).toBe("23514");
    expect(await write("sms_reminder_offsets_minutes = '{10080,1440,15}'")).toBe("stored");
    expect(await write("sms_reminder_offsets_minutes = '{10081}'")).toBe("23514");
    expect(await write("sms_reminder_offsets_minutes = '{2880,1440,120,60}'")).toBe("23514");
    expect(await write("sms_reminder_offsets_minutes = '{14}'")).toBe("23514");
  });

  it("the next booking's reminders are scheduled at the new times", async () => {
    const owner = await signUpClinic(t, { timezone: "America/New_York" });
    await http.request("PATCH", "/api/settings", { headers: owner.bearer, body: { sms: { reminderOffsetsMinutes: [30, 4320] } } });
    await t.admin.query(
      `update organizations set business_hours = '{"mon":[],"tue":[],"wed":[],"thu":[],"fri":[{"start":"09:00","end":"17:00"}],"sat":[],"sun":[]}', min_booking_notice_minutes = 0 where id = $1`,
      [owner.orgId],
    );
    const booked = await http.request("POST", "/api/appointments", {
      headers: owner.bearer,
      body: { name: "Ana Ruiz", phone: "(212) 555-3010", start: "2026-03-06T10:00:00-05:00" },
    });
    expect(booked.status).toBe(201);
    const queued: { name: string; startAfterSeconds?: number }[] = [];
    const jobs = {
      send: async (name: string, _data: object, options?: { startAfterSeconds?: number }) => {
        queued.push({ name, startAfterSeconds: options?.startAfterSeconds });
        return `job-${queued.length}`;
      },
    };
    const reminders = await t.db.asService(owner.orgId, async (tx) =>
      scheduleReminders(tx, jobs, owner.orgId, (await appointmentForTexts(tx, owner.orgId, booked.body.appointment.id))!, clock.now()),
    );
    // Friday 10:00 New York: 3 days before is Tuesday 10:00, 30 minutes before is 9:30.
    expect(reminders.map((r) => [r.offset_minutes, new Date(r.send_at).toISOString()])).toEqual([
      [4320, "2026-03-03T15:00:00.000Z"],
      [30, "2026-03-06T14:30:00.000Z"],
    ]);
  });

  it("refuses values a person can fix, naming the field, and lets staff only read", async () => {
    const owner = await signUpClinic(t, { timezone: "America/New_York" });
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    const cases: [unknown, { path: string; message: string }][] = [
      [{ quietStart: "9pm" }, { path: "sms.quietStart", message: "Use a 24-hour time like 21:00" }],
      [{ quietEnd: "24:00" }, { path: "sms.quietEnd", message: "Use a 24-hour time like 08:00" }],
      [{ hourlyLimit: 0 }, { path: "sms.hourlyLimit", message: "Allow at least 1 text an hour" }],
      [{ hourlyLimit: 501 }, { path: "sms.hourlyLimit", message: "At most 500 texts an hour" }],
      [{ hourlyLimit: 2.5 }, { path: "sms.hourlyLimit", message: "Whole numbers only" }],
      [{ reminderOffsetsMinutes: [10] }, { path: "sms.reminderOffsetsMinutes.0", message: "A reminder goes at least 15 minutes before the appointment" }],
      [
        { reminderOffsetsMinutes: [1440, 10081] },
        { path: "sms.reminderOffsetsMinutes.1", message: "A reminder goes at most 7 days (10,080 minutes) before the appointment" },
      ],
      [{ reminderOffsetsMinutes: [60, 120, 1440, 2880] }, { path: "sms.reminderOffsetsMinutes", message: "At most 3 reminders per appointment" }],
      [{ reminderOffsetsMinutes: [120, 120] }, { path: "sms.reminderOffsetsMinutes", message: "Each reminder time only once: remove the repeated one" }],
      [{ bookingConfirmation: "yes" }, { path: "sms.bookingConfirmation", message: "Choose whether a booking is confirmed by text" }],
    ];
    for (const [sms, field] of cases) {
      const res = await http.request("PATCH", "/api/settings", { headers: owner.bearer, body: { sms } });
      expect(res.status, JSON.stringify(sms)).toBe(400);
      expect(res.body.error.fields, JSON.stringify(sms)).toEqual([field]);
    }
    const refused = await http.request("PATCH", "/api/settings", { headers: staff.bearer, body: { sms: { hourlyLimit: 10 } } });
    expect(refused.status).toBe(403);
    expect(await settingsOf(owner.orgId)).toMatchObject({ sms_hourly_limit: 60, sms_reminder_offsets_minutes: [1440, 120] });
  });
});
