import { parseToolReply } from "@voxanne/contracts";
import { describe, expect, it } from "vitest";
import { detectEmergency } from "../src/modules/emergency/detect";
import { createTestApp } from "./helpers/app";
import { listen } from "./helpers/http";
import { callTools, createClinic, TestClock, toolCallsMessage, toolReply, toolText, type ClinicOptions, type TestClinic } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York (open).
const OPEN = "2026-03-05T15:00:00Z";
const clock = new TestClock(new Date(OPEN));
const t = await createTestApp({ clock });
const http = await listen(t.app);
const secret = t.config.vapiWebhookSecret;

const tool = (clinic: TestClinic, name: string, args: Record<string, unknown>, o: { caller?: string; callId?: string } = {}) =>
  toolText(http, secret, toolCallsMessage(clinic, [{ name, args }], o).body);

describe("emergency phrases", () => {
  const emergencies = [
    "I have chest pain",
    "my husband can't breathe",
    "she is bleeding heavily and it won't stop",
    "my mother is unconscious",
    "I think he took an overdose",
    "I'm feeling suicidal",
    "her face is drooping and her speech is slurred — a stroke?",
    "my throat is closing after the filler, anaphylaxis",
    "he's having a seizure",
  ];
  const ordinary = [
    "I'd like Botox for my forehead lines",
    "Can I come in next Tuesday afternoon?",
    "How much is a nose job?",
    "I had some bruising after fillers last time",
    "My chest is fine, I want a breast augmentation consult",
  ];

  it("recognises the listed emergencies and not ordinary requests", () => {
    for (const text of emergencies) expect(detectEmergency([text]), text).not.toBeNull();
    for (const text of ordinary) expect(detectEmergency([text]), text).toBeNull();
  });

  it("tells the caller to hang up and dial 911, books nothing, and flags the call", async () => {
    clock.set(OPEN);
    const clinic = await createClinic(t.admin);
    const { body, callId } = toolCallsMessage(
      clinic,
      [
        {
          id: "em1",
          name: "bookClinicAppointment",
          args: { name: "Joe Bloggs", start: "2026-03-10T14:00:00-04:00", notes: "He has crushing chest pain right now" },
        },
      ],
      { caller: "+12125557001" },
    );
    const res = await callTools(http, secret, body);
    // The caller hears: hang up and dial 911; the assistant is told to transfer to the clinic's number.
    expect(parseToolReply(res.body.results[0].result)).toEqual({
      say: "This sounds like it could be an emergency. Please hang up now and dial 911. If you can't, stay on the line and I'll connect you to the clinic right away.",
      instructions: "Possible medical emergency. Say this, do not book or give medical advice, then transfer the call to +12125550100.",
    });
    const appts = await t.admin.query("select count(*)::int as n from public.appointments where org_id = $1", [clinic.orgId]);
    expect(appts.rows[0].n).toBe(0);
    // Where the post-call pipeline reads the flag:
    const flagged = await t.admin.query("select tool_name, outcome from public.tool_invocations where org_id = $1 and vapi_call_id = $2 and emergency", [
      clinic.orgId,
      callId,
    ]);
    expect(flagged.rows).toEqual([{ tool_name: "bookClinicAppointment", outcome: "emergency" }]);
    const audit = await t.admin.query("select action, actor_type, target_id, data from public.audit_events where org_id = $1", [clinic.orgId]);
    expect(audit.rows).toEqual([
      {
        action: "call.emergency_flagged",
        actor_type: "vapi",
        target_id: callId,
        data: { tool: "bookClinicAppointment", toolCallId: "em1", phrase: "chest pain" },
      },
    ]);
  });

  it("uses the clinic's country's emergency number (999 in the UK)", async () => {
    clock.set("2026-03-05T10:00:00Z");
    const clinic = await createClinic(t.admin, { timezone: "Europe/London", clinicNumber: "+442079460999", transferNumber: null });
    expect(await tool(clinic, "checkAvailability", { date: "today", reason: "my dad collapsed and is not breathing" }, { caller: "+447700900123" })).toBe(
      "This sounds like it could be an emergency. Please hang up now and dial 999 for emergency services.",
    );
  });

  it("uses 000 in Australia and 112 where no national number is known", async () => {
    clock.set("2026-03-05T00:00:00Z");
    const sydney = await createClinic(t.admin, { timezone: "Australia/Sydney", clinicNumber: "+61291234567", transferNumber: null });
    expect(await tool(sydney, "getServicePrice", { service: "botox", note: "my friend is unconscious" }, { caller: "+61412345678" })).toMatch(
      /dial 000 for emergency services/,
    );
    const berlin = await createClinic(t.admin, { timezone: "Europe/Berlin", clinicNumber: "+4930123456789", transferNumber: null });
    expect(await tool(berlin, "getServicePrice", { service: "botox", note: "I think it's anaphylaxis" }, { caller: "+4915112345678" })).toMatch(
      /dial 112 for emergency services/,
    );
  });

  it("does not flag ordinary calls", async () => {
    clock.set(OPEN);
    const clinic = await createClinic(t.admin);
    expect(await tool(clinic, "getServicePrice", { service: "botox" })).toMatch(/^Botox costs/);
    const { rows } = await t.admin.query("select count(*)::int as n from public.tool_invocations where org_id = $1 and emergency", [clinic.orgId]);
    expect(rows[0].n).toBe(0);
  });
});

describe("transfers", () => {
  const transferRequest = (clinic: TestClinic) =>
    callTools(
      http,
      secret,
      { message: { type: "transfer-destination-request", call: { id: "tr-1", assistantId: clinic.assistantId, phoneNumberId: clinic.phoneNumberId } } },
      "/api/vapi/webhook",
    );
  const clinicWith = async (now: string, o: ClinicOptions) => {
    clock.set(now);
    return createClinic(t.admin, o);
  };

  it("puts the caller through to the transfer number during opening hours", async () => {
    const clinic = await clinicWith(OPEN, { transferNumber: "+12125550123" });
    expect(await toolReply(http, secret, toolCallsMessage(clinic, [{ name: "transferCall", args: { reason: "billing question" } }]).body)).toEqual({
      say: "I'll connect you to the front desk now.",
      instructions: "Transfer approved: transfer the call to +12125550123.",
      error: false,
    });
    const res = await transferRequest(clinic);
    expect(res.body).toEqual({
      destination: { type: "number", number: "+12125550123", message: "Connecting you to the front desk now." },
      message: { type: "request-start", message: "Transferring you now." },
    });
  });

  it("prefers the agent's own transfer number, and refuses when the agent has transfers off", async () => {
    const clinic = await clinicWith(OPEN, { transferNumber: "+12125550123" });
    await t.admin.query("update public.agents set transfer_number = '+12125550777' where org_id = $1", [clinic.orgId]);
    expect((await transferRequest(clinic)).body.destination.number).toBe("+12125550777");
    await t.admin.query("update public.agents set transfer_enabled = false where org_id = $1", [clinic.orgId]);
    expect((await transferRequest(clinic)).body).toEqual({
      error: "No one is available to take your call right now. I can take a message and the clinic will call you back.",
    });
  });

  it("takes a message after hours (take_message)", async () => {
    // Thursday 19:00 in New York: closed until Friday 9:00.
    const clinic = await clinicWith("2026-03-06T00:00:00Z", { afterHoursMode: "take_message" });
    const expected = "The front desk is closed right now; it opens Friday, March 6 at 9 AM. I can take a message and the clinic will call you back.";
    expect(await tool(clinic, "transferCall", {})).toBe(expected);
    expect((await transferRequest(clinic)).body).toEqual({ error: expected });
  });

  it("offers the next open slots after hours (offer_slots)", async () => {
    const clinic = await clinicWith("2026-03-06T00:00:00Z", { afterHoursMode: "offer_slots" });
    expect(await tool(clinic, "transferCall", {})).toMatch(
      /^The front desk is closed right now; it opens Friday, March 6 at 9 AM\. I can book you an appointment instead\. The nearest free times are Friday, March 6 at 9 AM/,
    );
  });

  it("still transfers after hours when the clinic chose after_hours_mode = transfer", async () => {
    const clinic = await clinicWith("2026-03-06T00:00:00Z", { afterHoursMode: "transfer", transferNumber: "+12125550999" });
    expect((await transferRequest(clinic)).body.destination.number).toBe("+12125550999");
  });

  it("takes a message when no transfer number is configured", async () => {
    const clinic = await clinicWith(OPEN, { transferNumber: null });
    expect(await tool(clinic, "transferCall", {})).toBe(
      "No one is available to take your call right now. I can take a message and the clinic will call you back.",
    );
  });
});

describe("lookupCaller", () => {
  it("recognises a returning caller with their last visit, last call and upcoming appointments", async () => {
    clock.set("2026-03-02T15:00:00Z");
    const clinic = await createClinic(t.admin);
    const caller = "+12125557777";
    expect(await tool(clinic, "bookClinicAppointment", { name: "Maria Lopez", service: "botox", start: "2026-03-03T14:00:00-05:00" }, { caller })).toMatch(
      /^You're booked/,
    );
    expect(await tool(clinic, "bookClinicAppointment", { name: "Maria Lopez", service: "fillers", start: "2026-03-10T11:00:00-04:00" }, { caller })).toMatch(
      /^You're booked/,
    );
    clock.set("2026-03-05T15:00:00Z");
    // What the caller hears is a greeting; what the assistant knows about them is context, never read out.
    expect(await toolReply(http, secret, toolCallsMessage(clinic, [{ name: "lookupCaller", args: {} }], { caller }).body)).toEqual({
      say: "Welcome back, Maria.",
      instructions:
        "Returning caller: Maria Lopez. Last visit: Tuesday, March 3. Last call: Monday, March 2. Upcoming: Tuesday, March 10 at 11:00 AM (Fillers).",
      error: false,
    });
    expect(await tool(clinic, "lookupCaller", {}, { caller: "+12125550000" })).toBe("May I have your name?");
  });
});
