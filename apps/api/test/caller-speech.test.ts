/**
 * What the caller hears (issue "the caller's words"): arguments a person could have given, grammar
 * and durations a patient won't misread, and the line between what is spoken (`say`) and what only
 * the assistant reads (`instructions`, `slots`). Expected sentences are written by hand.
 */
import { type ToolReply, VAPI_TOOL_NAMES, vapiFunctionDefinition, vapiTools, type VapiToolDefinition } from "@voxanne/contracts";
import { describe, expect, it } from "vitest";
import { createTestApp } from "./helpers/app";
import { listen } from "./helpers/http";
import { callTools, createClinic, TestClock, toolCallsMessage, toolReply, type TestClinic } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York.
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
const t = await createTestApp({ clock });
const http = await listen(t.app);
const secret = t.config.vapiWebhookSecret;

const reply = (clinic: TestClinic, name: string, args: Record<string, unknown>, caller?: string | null) =>
  toolReply(http, secret, toolCallsMessage(clinic, [{ name, args }], caller === undefined ? {} : { caller }).body);

const appointmentCount = async (orgId: string) =>
  (await t.admin.query("select count(*)::int as n from public.appointments where org_id = $1", [orgId])).rows[0].n as number;

const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
/** Words only an assistant is told: tool names, the caller in the third person, imperatives to the assistant. */
const INSTRUCTION = new RegExp(
  [
    ...VAPI_TOOL_NAMES,
    "\\bthe caller\\b",
    "\\b(Ask|Tell|Offer|Call|Use|Transfer|Take|Say|Follow|Check)\\b (the|them|a|to|this|these|once)\\b",
    "\\binstructions?\\b",
    "\\bslots?\\b",
    "\\bstart codes?\\b",
    "dateOfBirth",
  ].join("|"),
);

describe("arguments a person could have given", () => {
  it("refuses a 5,000-character name with a request to repeat it, and books nothing", async () => {
    const clinic = await createClinic(t.admin);
    const r = await reply(clinic, "bookClinicAppointment", { name: "A".repeat(5000), start: "2026-03-10T14:00:00-04:00" });
    expect(r).toMatchObject({ error: true, say: "Sorry, I didn't catch the name. Could you tell me the patient's full name again?" });
    expect(await appointmentCount(clinic.orgId)).toBe(0);
  });

  it("takes names in any script with hyphens and apostrophes, and refuses ones that are not names", async () => {
    const clinic = await createClinic(t.admin);
    for (const name of ["12345", "<script>alert(1)</script>", "Robert'); DROP TABLE contacts;--", "R2-D2", "@maria"]) {
      const r = await reply(clinic, "bookClinicAppointment", { name, start: "2026-03-10T14:00:00-04:00" });
      expect(r.say, name).toBe("Sorry, I didn't catch the name. Could you tell me the patient's full name again?");
    }
    expect(await appointmentCount(clinic.orgId)).toBe(0);
    const ok = await reply(clinic, "bookClinicAppointment", { name: "Zoë O'Brien-Nguyễn", start: "2026-03-10T14:00:00-04:00" });
    expect(ok.say).toMatch(/^You're booked for Consultation on Tuesday, March 10 at 2 PM, under Zoë O'Brien-Nguyễn\./);
  });

  it("answers every tool's too-long value for every field with a spoken request to repeat it (HTTP 200)", async () => {
    const clinic = await createClinic(t.admin);
    for (const def of Object.values(vapiTools) as VapiToolDefinition[]) {
      const { properties } = vapiFunctionDefinition(def).parameters as { properties: Record<string, { maxLength: number }> };
      for (const [field, prop] of Object.entries(properties)) {
        const res = await callTools(http, secret, toolCallsMessage(clinic, [{ name: def.name, args: { [field]: "x".repeat(prop.maxLength + 1) } }]).body);
        expect(res.status).toBe(200);
        const r = JSON.parse(res.body.results[0].error) as ToolReply;
        expect(r.say, `${def.name}.${field}`).toMatch(/^(Sorry|Could|Would)[^{}]*\?$/);
        expect(r.say).not.toMatch(INSTRUCTION);
        expect(r.instructions).toContain(def.name);
      }
    }
    expect(await appointmentCount(clinic.orgId)).toBe(0);
  });

  it("a phone number that is not one is asked for again", async () => {
    const clinic = await createClinic(t.admin);
    const r = await reply(clinic, "bookClinicAppointment", { name: "Dana White", phone: "12", start: "2026-03-10T14:00:00-04:00" });
    expect(r).toMatchObject({ error: true, say: "Sorry, I didn't catch that number. Could you repeat it with the area code?" });
  });
});

describe("answers a person would say", () => {
  it("prices with the right verb and durations a patient won't misread", async () => {
    const clinic = await createClinic(t.admin);
    const said = async (service: string) => (await reply(clinic, "getServicePrice", { service })).say;
    expect(await said("fillers")).toBe("Fillers cost $500, and a fillers consultation takes about 45 minutes.");
    expect(await said("botox")).toBe("Botox costs $400, and a botox consultation takes about half an hour.");
    expect(await said("facelift")).toBe("Facelift costs $8,000, and a facelift consultation takes about an hour.");
    expect(await said("consultation")).toBe("Consultation costs $150, and a consultation takes about half an hour.");
    await t.admin.query("update public.services set duration_minutes = 90 where org_id = $1 and name = 'Rhinoplasty'", [clinic.orgId]);
    expect(await said("nose job")).toBe("Rhinoplasty costs $6,000, and a rhinoplasty consultation takes about an hour and a half.");
  });

  it("says the clinic is closed on a closed day, and that an appointment does not fit before closing", async () => {
    const clinic = await createClinic(t.admin);
    const sunday = await reply(clinic, "bookClinicAppointment", { name: "Jo Ray", start: "2026-03-08T11:00:00-04:00" });
    expect(sunday.say).toMatch(/^The clinic is closed on Sunday, March 8\. The nearest free times are Monday, March 9 at 9 AM/);
    const late = await reply(clinic, "bookClinicAppointment", { name: "Jo Ray", service: "facelift", start: "2026-03-06T16:30:00-05:00" });
    expect(late.say).toMatch(/^The clinic is open 9 AM to 5 PM on Friday, so an appointment at 4:30 PM doesn't fit\./);
  });

  it("offers the asked time on the next open days when the asked day is closed", async () => {
    const clinic = await createClinic(t.admin);
    const r = await reply(clinic, "checkAvailability", { date: "Sunday at 3" });
    expect(r.say).toBe(
      "The clinic is closed on Sunday, March 8. The nearest free times are Monday, March 9 at 3 PM, Tuesday, March 10 at 3 PM, or Wednesday, March 11 at 3 PM.",
    );
    expect(r.slots?.map((s) => s.start)).toEqual(["2026-03-09T15:00:00-04:00", "2026-03-10T15:00:00-04:00", "2026-03-11T15:00:00-04:00"]);
  });

  it('reads "at 3" as 3 PM today, inside the clinic\'s hours', async () => {
    const clinic = await createClinic(t.admin);
    const r = await reply(clinic, "checkAvailability", { date: "at 3" });
    expect(r.say).toMatch(/^Yes, Thursday, March 5 at 3 PM is available\./);
    expect(r.slots?.[0]).toEqual({ time: "Thursday, March 5 at 3 PM", start: "2026-03-05T15:00:00-05:00" });
  });
});

describe("what is spoken is kept apart from what the assistant is told", () => {
  it("no spoken sentence of any tool contains an ISO timestamp or an assistant instruction; offered starts are hints", async () => {
    const clinic = await createClinic(t.admin, { transferNumber: "+12125550100" });
    const caller = "+12125557001";
    const stranger = "+12125557999";
    const calls: [string, Record<string, unknown>, string | null][] = [
      ["checkAvailability", {}, caller],
      ["checkAvailability", { date: "tomorrow" }, caller],
      ["checkAvailability", { date: "Friday at 2pm" }, caller],
      ["checkAvailability", { date: "Sunday" }, caller],
      ["checkAvailability", { date: "Sunday at 3" }, caller],
      ["checkAvailability", { date: "yesterday" }, caller],
      ["checkAvailability", { date: "next week", timeOfDay: "after lunch" }, caller],
      ["checkAvailability", { date: "gibberish" }, caller],
      ["checkAvailability", { service: "tattoo removal" }, caller],
      ["bookClinicAppointment", { start: "2026-03-10T14:00:00-04:00" }, caller],
      ["bookClinicAppointment", { name: "Maria Lopez" }, caller],
      ["bookClinicAppointment", { name: "Maria Lopez", start: "sometime" }, caller],
      ["bookClinicAppointment", { name: "Maria Lopez", start: "2026-03-10T14:00:00-04:00", service: "botox" }, caller],
      ["bookClinicAppointment", { name: "Other Person", start: "2026-03-10T14:00:00-04:00" }, stranger],
      ["bookClinicAppointment", { name: "Maria Lopez", start: "2026-03-05T10:30:00-05:00" }, caller],
      ["bookClinicAppointment", { name: "Maria Lopez", start: "2026-03-04T10:30:00-05:00" }, caller],
      ["bookClinicAppointment", { name: "Maria Lopez", start: "2026-03-07T10:00:00-05:00" }, caller],
      ["bookClinicAppointment", { name: "Maria Lopez", start: "2026-03-11T10:00:00-04:00" }, null],
      ["lookupCaller", {}, caller],
      ["lookupCaller", {}, stranger],
      ["lookupCaller", {}, null],
      ["lookupCaller", { phone: caller, name: "Maria Lopez", dateOfBirth: "May 1, 1980" }, null],
      ["getServicePrice", { service: "botox" }, caller],
      ["getServicePrice", { service: "tattoo removal" }, caller],
      ["getServicePrice", {}, caller],
      ["rescheduleAppointment", {}, caller],
      ["rescheduleAppointment", { newStart: "2026-03-10T14:00:00-04:00" }, caller],
      ["rescheduleAppointment", { newStart: "2026-03-12T10:00:00-04:00", currentStart: "March 20" }, caller],
      ["rescheduleAppointment", { newStart: "2026-03-12T10:00:00-04:00", phone: caller }, stranger],
      ["rescheduleAppointment", { newStart: "2026-03-12T10:00:00-04:00" }, caller],
      ["cancelAppointment", {}, stranger],
      ["cancelAppointment", { phone: caller }, null],
      ["cancelAppointment", { reason: "feeling better" }, caller],
      ["cancelAppointment", {}, caller],
      ["transferCall", { reason: "billing" }, caller],
      ["bookClinicAppointment", { name: "Joe Bloggs", start: "2026-03-10T14:00:00-04:00", notes: "he has crushing chest pain" }, caller],
    ];
    let withHints = 0;
    for (const [name, args, from] of calls) {
      const r = await reply(clinic, name, args, from);
      expect(r.say, `${name} ${JSON.stringify(args)}`).not.toMatch(ISO_TIMESTAMP);
      expect(r.say, `${name} ${JSON.stringify(args)}: "${r.say}"`).not.toMatch(INSTRUCTION);
      expect(r.say.length).toBeGreaterThan(0);
      for (const hint of r.slots ?? []) {
        expect(hint.start).toMatch(ISO_TIMESTAMP);
        expect(hint.time).not.toMatch(ISO_TIMESTAMP);
        withHints++;
      }
    }
    expect(withHints).toBeGreaterThan(10);
  });

  it("the emergency answer tells the caller to hang up and dial, and tells the assistant to transfer", async () => {
    const clinic = await createClinic(t.admin, { transferNumber: "+12125550100" });
    const r = await reply(clinic, "checkAvailability", { date: "today", note: "my husband has chest pain right now" });
    expect(r.say).toBe(
      "This sounds like it could be an emergency. Please hang up now and dial 911. If you can't, stay on the line and I'll connect you to the clinic right away.",
    );
    expect(r.instructions).toMatch(/transfer the call to \+12125550100/);
  });
});
