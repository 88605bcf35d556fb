/**
 * Appointment confirmations and reminders with a fixed clock: bookings, reschedules and cancels
 * made through the Vapi tools queue the follow-up job, which schedules reminder jobs at the
 * clinic's offsets (default 24 h and 2 h before) and texts the patient through the fake Twilio.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { twilioSmsSender } from "../src/integrations/twilio/sms";
import { productJobs } from "../src/jobs/registry";
import { JobRunner } from "../src/jobs/runner";
import { saveCredential } from "../src/modules/credentials/service";
import { APPOINTMENT_REMINDER_JOB } from "../src/modules/reminders/service";
import { createTestApp, type TestApp } from "./helpers/app";
import { type FakeTwilio, startFakeTwilio } from "./helpers/fake-twilio";
import { listen, type TestHttp } from "./helpers/http";
import { eventually } from "./helpers/postcall";
import { createClinic, TestClock, type TestClinic, toolCallsMessage, toolText } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York (EST, UTC-5). Default cancel notice: 24 hours.
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
let twilio: FakeTwilio;
let t: TestApp;
let http: TestHttp;
let jobs: JobRunner;
const CALLER = "+12125553001";

beforeAll(async () => {
  twilio = await startFakeTwilio();
  t = await createTestApp({ clock, config: { TWILIO_API_BASE_URL: twilio.url, PUBLIC_API_URL: "https://api.clinic.example" } });
  jobs = new JobRunner({
    connectionString: t.url,
    db: t.db,
    logger: t.deps.logger,
    clock,
    jobs: productJobs,
    services: { smsSender: twilioSmsSender(t.config) },
    pollingIntervalSeconds: 0.5,
  });
  await jobs.start();
  http = await listen(createApp({ ...t.deps, jobs }));
});
afterAll(async () => {
  await jobs?.stop();
  await twilio?.close();
});

let seq = 0;
/** A clinic whose Twilio account holds its number, connected (credentials sealed in the vault). */
async function twilioClinic(): Promise<TestClinic> {
  const number = `+1646555${String(2000 + seq++).padStart(4, "0")}`;
  const clinic = await createClinic(t.admin, { clinicNumber: number });
  const account = twilio.addAccount({ numbers: [number] });
  await t.db.asService(clinic.orgId, (tx) =>
    saveCredential(
      tx,
      t.config.encryptionKeys,
      clinic.orgId,
      "twilio",
      { accountSid: account.sid, authToken: account.authToken },
      {
        accountSid: account.sid,
        authMode: "auth_token",
        phoneNumber: number,
      },
    ),
  );
  return clinic;
}

const tool = (clinic: TestClinic, name: string, args: Record<string, unknown>) =>
  toolText(http, t.config.vapiWebhookSecret, toolCallsMessage(clinic, [{ name, args }], { caller: CALLER }).body);

type Reminder = { appointment_id: string; offset_minutes: number; send_at: Date; status: string; job_id: string | null };
const reminders = async (orgId: string): Promise<Reminder[]> =>
  (
    await t.admin.query(
      "select appointment_id, offset_minutes, send_at, status, job_id from appointment_reminders where org_id = $1 order by created_at, offset_minutes desc",
      [orgId],
    )
  ).rows;
const appointmentIds = async (orgId: string): Promise<string[]> =>
  (await t.admin.query("select id from appointments where org_id = $1 order by created_at", [orgId])).rows.map((r) => r.id);
const jobState = async (id: string) => (await t.admin.query("select state, start_after from pgboss.job where id = $1", [id])).rows[0];
const completed = (ids: (string | null)[]) =>
  eventually(async () => {
    const { rows } = await t.admin.query("select count(*)::int as n from pgboss.job where id = any($1) and state = 'completed'", [ids]);
    return rows[0].n === ids.length;
  });
const textsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone).map((m) => m.body);

/** How far after real "now" pg-boss will start a job due at `at` on the test clock. */
const expectStartsAfter = (startAfter: Date, at: string) =>
  expect(Math.abs(new Date(startAfter).getTime() - Date.now() - (Date.parse(at) - clock.now().getTime()))).toBeLessThan(60_000);

describe("reminders", () => {
  it("a booking schedules reminders 24 h and 2 h before, and texts a confirmation", async () => {
    clock.set("2026-03-05T15:00:00Z");
    const clinic = await twilioClinic();
    expect(await tool(clinic, "bookClinicAppointment", { name: "Maria Lopez", service: "botox", start: "2026-03-10T14:00:00-04:00" })).toMatch(
      /^You're booked for /,
    );
    const [appointmentId] = await appointmentIds(clinic.orgId);

    const rows = await eventually(async () => {
      const r = await reminders(clinic.orgId);
      return r.length === 2 ? r : null;
    });
    // Tuesday 10 March 2026, 2:00 PM EDT = 18:00Z (New York moved to summer time on 8 March).
    expect(rows.map((r) => [r.appointment_id, r.offset_minutes, r.send_at.toISOString(), r.status])).toEqual([
      [appointmentId, 1440, "2026-03-09T18:00:00.000Z", "scheduled"],
      [appointmentId, 120, "2026-03-10T16:00:00.000Z", "scheduled"],
    ]);
    const day = await jobState(rows[0]!.job_id!);
    expect(day.state).toBe("created");
    expectStartsAfter(day.start_after, "2026-03-09T18:00:00Z");
    expectStartsAfter((await jobState(rows[1]!.job_id!)).start_after, "2026-03-10T16:00:00Z");

    await eventually(async () => textsTo(CALLER).some((b) => b.includes(clinic.name)));
    expect(textsTo(CALLER).filter((b) => b.startsWith(`${clinic.name}:`))).toContain(
      `${clinic.name}: your Botox appointment is booked for Tue, Mar 10 at 2:00 PM. Reply STOP to opt out.`,
    );
    await eventually(async () => (await t.admin.query("select confirmation_sent from appointments where id = $1", [appointmentId])).rows[0].confirmation_sent);
  });

  it("a reschedule cancels the old reminders and their jobs and schedules new ones; a cancel removes them", async () => {
    clock.set("2026-03-05T15:00:00Z");
    const clinic = await twilioClinic();
    expect(await tool(clinic, "bookClinicAppointment", { name: "Maria Lopez", service: "botox", start: "2026-03-10T14:00:00-04:00" })).toMatch(
      /^You're booked for /,
    );
    const first = await eventually(async () => {
      const r = await reminders(clinic.orgId);
      return r.length === 2 ? r : null;
    });

    expect(await tool(clinic, "rescheduleAppointment", { newStart: "2026-03-12T10:00:00-04:00" })).toMatch(/Thursday, March 12 at 10 AM/);
    const [oldId, newId] = await appointmentIds(clinic.orgId);
    const moved = await eventually(async () => {
      const r = await reminders(clinic.orgId);
      return r.length === 4 ? r : null;
    });
    expect(moved.map((r) => [r.appointment_id, r.offset_minutes, r.send_at.toISOString(), r.status])).toEqual([
      [oldId, 1440, "2026-03-09T18:00:00.000Z", "cancelled"],
      [oldId, 120, "2026-03-10T16:00:00.000Z", "cancelled"],
      [newId, 1440, "2026-03-11T14:00:00.000Z", "scheduled"],
      [newId, 120, "2026-03-12T12:00:00.000Z", "scheduled"],
    ]);
    for (const r of first) expect((await jobState(r.job_id!)).state).toBe("cancelled");
    await eventually(async () => textsTo(CALLER).some((b) => b.includes("has moved to Thu, Mar 12 at 10:00 AM")));

    expect(await tool(clinic, "cancelAppointment", {})).toMatch(/^I've cancelled the Botox appointment on Thursday, March 12/);
    const after = await eventually(async () => {
      const r = await reminders(clinic.orgId);
      return r.every((x) => x.status === "cancelled") ? r : null;
    });
    for (const r of after.filter((x) => x.appointment_id === newId)) expect((await jobState(r.job_id!)).state).toBe("cancelled");
    await eventually(async () => textsTo(CALLER).some((b) => b.includes("on Thu, Mar 12 at 10:00 AM is cancelled")));
  });

  it("when its time comes a reminder is texted once; a reminder of a moved booking is never sent", async () => {
    clock.set("2026-03-05T15:00:00Z");
    const clinic = await twilioClinic();
    expect(await tool(clinic, "bookClinicAppointment", { name: "Maria Lopez", service: "botox", start: "2026-03-10T14:00:00-04:00" })).toMatch(
      /^You're booked for /,
    );
    await eventually(async () => ((await reminders(clinic.orgId)).length === 2 ? true : null));
    clock.set("2026-03-05T15:05:00Z");
    expect(await tool(clinic, "rescheduleAppointment", { newStart: "2026-03-12T10:00:00-04:00" })).toMatch(/March 12/);
    await eventually(async () => ((await reminders(clinic.orgId)).length === 4 ? true : null));
    const [oldId, newId] = await appointmentIds(clinic.orgId);
    const idOf = async (appointmentId: string, offset: number) =>
      (await t.admin.query("select id from appointment_reminders where appointment_id = $1 and offset_minutes = $2", [appointmentId, offset])).rows[0].id;

    // The old booking's 24-hour reminder, had its job fired anyway at its time, sends nothing.
    const before = twilio.messages.length;
    clock.set("2026-03-09T18:00:00Z");
    const oldReminder = await idOf(oldId!, 1440);
    await completed([await jobs.send(APPOINTMENT_REMINDER_JOB, { orgId: clinic.orgId, reminderId: oldReminder })]);
    expect(twilio.messages.slice(before).filter((m) => m.body.includes("reminder"))).toHaveLength(0);
    expect((await t.admin.query("select status from appointment_reminders where id = $1", [oldReminder])).rows[0].status).toBe("cancelled");

    // The new booking's 24-hour reminder at its time (Wednesday 11 March, 14:00Z), delivered twice by the queue: one text.
    clock.set("2026-03-11T14:00:00Z");
    const newReminder = await idOf(newId!, 1440);
    const runs = [
      await jobs.send(APPOINTMENT_REMINDER_JOB, { orgId: clinic.orgId, reminderId: newReminder }),
      await jobs.send(APPOINTMENT_REMINDER_JOB, { orgId: clinic.orgId, reminderId: newReminder }),
    ];
    await completed(runs);
    const reminderText = `${clinic.name}: reminder of your Botox appointment on Thu, Mar 12 at 10:00 AM. Reply STOP to opt out.`;
    await eventually(async () => textsTo(CALLER).includes(reminderText));
    expect(textsTo(CALLER).filter((b) => b === reminderText)).toHaveLength(1);
    expect((await t.admin.query("select status from appointment_reminders where id = $1", [newReminder])).rows[0].status).toBe("sent");
    await eventually(async () => (await t.admin.query("select reminder_sent_at from appointments where id = $1", [newId])).rows[0].reminder_sent_at);
  });
});
