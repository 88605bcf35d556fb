import type { ToolReply } from "@voxanne/contracts";
/**
 * Verified callers (docs/SECURITY.md): a patient's record is read or changed on the strength of
 * caller ID, or of the full name AND date of birth on file — never a recited number or a first
 * name. Every branch of the policy, through the real tool endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import type { JobRunner } from "../src/jobs/runner";
import { parseDateOfBirth, verifyCaller } from "../src/modules/booking/caller-verification";
import { TWILIO_NOT_CONNECTED } from "../src/modules/messages/sms";
import { createTestApp, type TestApp } from "./helpers/app";
import { listen, type TestHttp } from "./helpers/http";
import { eventually, startTestJobs } from "./helpers/postcall";
import { createClinic, TestClock, type TestClinic, toolCallsMessage, toolReply } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York.
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
const PATIENT = "+12125553000";
const STRANGER = "+12125554444";
const ALERT_NUMBER = "+12125550148";

let t: TestApp;
let http: TestHttp;
let jobs: JobRunner;

beforeAll(async () => {
  t = await createTestApp({ clock });
  jobs = await startTestJobs(t);
  http = await listen(createApp({ ...t.deps, jobs }));
});
afterAll(async () => {
  await jobs?.stop();
});

/** Everything the assistant gets: what it says, then [its instructions] (privacy checks cover both). */
const heard = (r: ToolReply & { error: boolean }) => `${r.error ? "ERROR: " : ""}${r.say}${r.instructions ? ` [${r.instructions}]` : ""}`;

const tool = async (clinic: TestClinic, name: string, args: Record<string, unknown>, caller: string | null, callId?: string) =>
  heard(await toolReply(http, t.config.vapiWebhookSecret, toolCallsMessage(clinic, [{ name, args }], { caller, callId }).body));

const statuses = async (orgId: string) =>
  (await t.admin.query("select status from appointments where org_id = $1 order by starts_at", [orgId])).rows.map((r) => r.status);

/** A clinic where Maria Lopez (born 14 March 1985) booked Botox from her own phone. */
async function clinicWithMaria(o: { withDateOfBirth?: boolean } = {}): Promise<TestClinic> {
  const clinic = await createClinic(t.admin, { minCancelNoticeMinutes: 0 });
  await t.admin.query("update organizations set hot_lead_alert_number = $2 where id = $1", [clinic.orgId, ALERT_NUMBER]);
  const args = {
    name: "Maria Lopez",
    service: "botox",
    start: "2026-03-10T14:00:00-04:00",
    ...(o.withDateOfBirth === false ? {} : { dateOfBirth: "March 14, 1985" }),
  };
  expect(await tool(clinic, "bookClinicAppointment", args, PATIENT)).toMatch(/^You're booked/);
  return clinic;
}

describe("the policy, decision by decision", () => {
  const now = new Date("2026-03-05T15:00:00Z");
  const onFile = { name: "Maria Lopez", dateOfBirth: "1985-03-14" };
  const base = { callerNumber: STRANGER, requestedNumber: PATIENT, now, country: "US" as const };

  it("trusts caller ID for the caller's own record, and nothing else", () => {
    expect(verifyCaller({ ...base, callerNumber: PATIENT, requestedNumber: null, givenName: undefined, givenDateOfBirth: undefined }, null).kind).toBe(
      "caller_id",
    );
    expect(verifyCaller({ ...base, callerNumber: PATIENT, requestedNumber: PATIENT, givenName: undefined, givenDateOfBirth: undefined }, null).kind).toBe(
      "caller_id",
    );
  });

  it("asks for what is missing, without looking at the record", () => {
    expect(verifyCaller({ ...base, givenName: undefined, givenDateOfBirth: undefined }, onFile)).toEqual({
      kind: "needs_details",
      missing: ["name", "date of birth"],
    });
    expect(verifyCaller({ ...base, givenName: "Maria", givenDateOfBirth: "March 14 1985" }, onFile)).toEqual({ kind: "needs_details", missing: ["name"] });
    expect(verifyCaller({ ...base, callerNumber: null, givenName: "Maria Lopez", givenDateOfBirth: undefined }, onFile)).toEqual({
      kind: "needs_details",
      missing: ["date of birth"],
    });
  });

  it("verifies only the full name and the date of birth together", () => {
    const v = (givenName: string, givenDateOfBirth: string, file = onFile) => verifyCaller({ ...base, givenName, givenDateOfBirth }, file).kind;
    expect(v("maria lopez", "March 14, 1985")).toBe("verified");
    expect(v("Lopez, Maria Elena", "14 March 1985")).toBe("verified");
    expect(v("Maria Lopez", "1985-03-14")).toBe("verified");
    expect(v("Maria Lopez", "3/14/85")).toBe("verified");
    expect(v("Maria Garcia", "March 14, 1985")).toBe("refused");
    expect(v("Maria Lopez", "March 15, 1985")).toBe("refused");
    expect(v("Maria Lopez", "sometime in the eighties")).toBe("refused");
    expect(v("Maria Lopez", "March 14, 1985", { name: "Maria Lopez", dateOfBirth: null as unknown as string })).toBe("refused");
    expect(verifyCaller({ ...base, givenName: "Maria Lopez", givenDateOfBirth: "March 14, 1985" }, null).kind).toBe("refused");
  });

  it("reads dates of birth in the caller's words, day first where the clinic writes dates that way", () => {
    expect(parseDateOfBirth("March 14, 1985", now, "US")).toBe("1985-03-14");
    expect(parseDateOfBirth("the 14th of March 1985", now, "US")).toBe("1985-03-14");
    expect(parseDateOfBirth("03/04/1985", now, "US")).toBe("1985-03-04");
    expect(parseDateOfBirth("03/04/1985", now, "GB")).toBe("1985-04-03");
    expect(parseDateOfBirth("March 14", now, "US")).toBeNull(); // no year
    expect(parseDateOfBirth("March 14, 2030", now, "US")).toBeNull(); // the future
  });
});

describe("cancel and reschedule", () => {
  it("acts on the caller's own booking by caller ID alone", async () => {
    const clinic = await clinicWithMaria();
    expect(await tool(clinic, "cancelAppointment", {}, PATIENT)).toMatch(/^I've cancelled the Botox appointment/);
  });

  it("from another number, asks for the full name and date of birth and discloses nothing", async () => {
    const clinic = await clinicWithMaria();
    const asked = await tool(clinic, "cancelAppointment", { phone: PATIENT }, STRANGER);
    expect(asked).toBe(
      "For privacy, to cancel a booking made under another number I need the patient's full name and date of birth as the clinic has them. Could you give me the patient's full name and their date of birth? [When the caller answers, call cancelAppointment again with name and dateOfBirth.]",
    );
    // A first name is not enough either.
    expect(await tool(clinic, "cancelAppointment", { phone: PATIENT, name: "Maria", dateOfBirth: "March 14, 1985" }, STRANGER)).toMatch(
      /^For privacy, .*Could you give me the patient's full name\? \[/,
    );
    expect(await statuses(clinic.orgId)).toEqual(["booked"]);
  });

  it("from another number with the wrong details: refuses in the same words whether or not a booking exists, and the clinic is texted", async () => {
    const clinic = await clinicWithMaria();
    const callId = `vcall-wrong-${Date.now()}`;
    const refused = await tool(
      clinic,
      "rescheduleAppointment",
      { phone: PATIENT, name: "Maria Lopez", dateOfBirth: "April 1, 1990", newStart: "2026-03-12T10:00:00-04:00" },
      STRANGER,
      callId,
    );
    expect(refused).toBe("For your privacy I can't change that booking from this number. The clinic will call the patient back on the number on file.");
    const nobody = await tool(
      clinic,
      "rescheduleAppointment",
      { phone: "+12125559999", name: "Maria Lopez", dateOfBirth: "April 1, 1990", newStart: "2026-03-12T10:00:00-04:00" },
      STRANGER,
    );
    expect(nobody).toBe(refused);
    expect(await statuses(clinic.orgId)).toEqual(["booked"]);
    // The clinic hears about it: an audit row without names or dates, and an SMS (not sent: Twilio is not connected).
    const audit = (
      await t.admin.query("select data from audit_events where org_id = $1 and action = 'call.caller_not_verified' and target_id = $2", [clinic.orgId, callId])
    ).rows;
    expect(audit).toEqual([{ data: { request: "reschedule", callerId: true } }]);
    const sms = await eventually(async () => {
      const { rows } = await t.admin.query(
        "select recipient, content, status, status_reason from messages where org_id = $1 and purpose = 'caller_callback' and content like $2",
        [clinic.orgId, "%(212) 555-3000%"],
      );
      return rows[0]?.status === "not_sent" ? rows[0] : null;
    });
    expect(sms).toEqual({
      recipient: ALERT_NUMBER,
      content: "Voxanne: a caller from (212) 555-4444 asked to move a booking under (212) 555-3000 but was not verified. Call the patient back.",
      status: "not_sent",
      status_reason: TWILIO_NOT_CONNECTED,
    });
  });

  it("from another number with the full name and date of birth on file (a relative calling), it works", async () => {
    const clinic = await clinicWithMaria();
    expect(await tool(clinic, "cancelAppointment", { phone: "(212) 555-3000", name: "maria lopez", dateOfBirth: "14 March 1985" }, STRANGER)).toMatch(
      /^I've cancelled the Botox appointment/,
    );
  });

  it("without caller ID, the same check applies to any number named", async () => {
    const clinic = await clinicWithMaria();
    expect(await tool(clinic, "cancelAppointment", { phone: PATIENT }, null)).toMatch(/^For privacy, to cancel a booking on a call without caller ID I need/);
    expect(await tool(clinic, "cancelAppointment", { phone: PATIENT, name: "Maria Lopez", dateOfBirth: "1985-03-15" }, null)).toMatch(
      /^For your privacy I can't cancel/,
    );
    expect(await statuses(clinic.orgId)).toEqual(["booked"]);
    expect(await tool(clinic, "cancelAppointment", { phone: PATIENT, name: "Maria Lopez", dateOfBirth: "1985-03-14" }, null)).toMatch(/^I've cancelled/);
  });

  it("cannot be verified when no date of birth is on file: the clinic calls back instead", async () => {
    const clinic = await clinicWithMaria({ withDateOfBirth: false });
    expect(await tool(clinic, "cancelAppointment", { phone: PATIENT, name: "Maria Lopez", dateOfBirth: "March 14, 1985" }, STRANGER)).toMatch(
      /^For your privacy/,
    );
    expect(await statuses(clinic.orgId)).toEqual(["booked"]);
  });

  it("a date of birth given while booking under someone else's number is not kept, and never replaces one on file", async () => {
    const clinic = await clinicWithMaria();
    // A stranger books under Maria's number and tries to plant a date of birth they know.
    expect(
      await tool(
        clinic,
        "bookClinicAppointment",
        { name: "Maria Lopez", phone: PATIENT, dateOfBirth: "January 1, 1970", start: "2026-03-11T10:00:00-04:00" },
        STRANGER,
      ),
    ).toMatch(/^You're booked/);
    // Maria herself, again, with another date: the first one stays.
    expect(
      await tool(clinic, "bookClinicAppointment", { name: "Maria Lopez", dateOfBirth: "January 2, 1971", start: "2026-03-12T10:00:00-04:00" }, PATIENT),
    ).toMatch(/^You're booked/);
    const { rows } = await t.admin.query("select to_char(date_of_birth, 'YYYY-MM-DD') as dob from contacts where org_id = $1 and phone = $2", [
      clinic.orgId,
      PATIENT,
    ]);
    expect(rows).toEqual([{ dob: "1985-03-14" }]);
    expect(
      await tool(clinic, "cancelAppointment", { phone: PATIENT, name: "Maria Lopez", dateOfBirth: "January 1, 1970", currentStart: "March 10" }, STRANGER),
    ).toMatch(/^For your privacy/);
  });
});

describe("lookupCaller", () => {
  it("with caller ID reads only the caller's own record, whatever number the arguments name", async () => {
    const clinic = await clinicWithMaria();
    expect(await tool(clinic, "lookupCaller", { phone: PATIENT }, STRANGER)).toBe("May I have your name? [New caller: there is no record for this number.]");
    expect(await tool(clinic, "lookupCaller", {}, PATIENT)).toMatch(/\[Returning caller: Maria Lopez\./);
  });

  it("without caller ID, a recited number alone reads nothing", async () => {
    const clinic = await clinicWithMaria();
    const answer = await tool(clinic, "lookupCaller", { phone: PATIENT }, null);
    expect(answer).toMatch(/\[There is no caller ID on this call\./);
    expect(answer).not.toMatch(/Maria|Botox|March 10/);
  });

  it("without caller ID, wrong details read nothing, in the same words as an unknown number", async () => {
    const clinic = await clinicWithMaria();
    const wrong = await tool(clinic, "lookupCaller", { phone: PATIENT, name: "Maria Lopez", dateOfBirth: "May 5, 1985" }, null);
    const unknown = await tool(clinic, "lookupCaller", { phone: "+12125559999", name: "Maria Lopez", dateOfBirth: "May 5, 1985" }, null);
    expect(wrong).toMatch(/^I can't confirm those details/);
    expect(unknown).toBe(wrong);
    expect(wrong).not.toMatch(/Maria|Botox/);
  });

  it("without caller ID, the full name and date of birth on file read the record", async () => {
    const clinic = await clinicWithMaria();
    expect(await tool(clinic, "lookupCaller", { phone: "212 555 3000", name: "Maria Lopez", dateOfBirth: "March 14th, 1985" }, null)).toMatch(
      /\[Returning caller: Maria Lopez\. .*Upcoming: Tuesday, March 10 at 2:00 PM \(Botox\)\./,
    );
  });
});

describe("what is stored", () => {
  it("never keeps a date of birth given to a tool in the tool-call record", async () => {
    const clinic = await clinicWithMaria();
    await tool(clinic, "lookupCaller", { phone: PATIENT, name: "Maria Lopez", dob: "March 14, 1985" }, null);
    const { rows } = await t.admin.query("select arguments::text as a from tool_invocations where org_id = $1", [clinic.orgId]);
    const text = rows.map((r) => r.a).join("\n");
    expect(text).not.toMatch(/1985/);
    expect(text).toContain("[REDACTED DOB]");
  });
});
