import { UNKNOWN_CLINIC } from "../src/integrations/vapi/tool-calls";
import type { ToolReply } from "@voxanne/contracts";
import { describe, expect, it } from "vitest";
import { createTestApp } from "./helpers/app";
import { listen } from "./helpers/http";
import { callTools, createClinic, TestClock, toolCallsMessage, toolReply, type TestClinic } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York.
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
const t = await createTestApp({ clock });
const http = await listen(t.app);
const secret = t.config.vapiWebhookSecret;

const A_CALLER = "+12125556001";
const B_PATIENT = "+12125556002";
const a = await createClinic(t.admin, { name: "Clinic Alpha" });
const b = await createClinic(t.admin, { name: "Clinic Beta" });

/** Everything the assistant gets: what it says, then [its instructions] (privacy checks cover both). */
const heard = (r: ToolReply & { error: boolean }) => `${r.error ? "ERROR: " : ""}${r.say}${r.instructions ? ` [${r.instructions}]` : ""}`;

const tool = async (
  clinic: Pick<TestClinic, "assistantId" | "phoneNumberId" | "clinicNumber">,
  name: string,
  args: Record<string, unknown>,
  caller = A_CALLER,
  identity?: Record<string, unknown>,
) => heard(await toolReply(http, secret, toolCallsMessage(clinic, [{ name, args }], { caller, identity }).body));

const snapshot = async (orgId: string) =>
  (
    await t.admin.query(
      `select (select json_agg(a order by a.id) from public.appointments a where a.org_id = $1) as appointments,
              (select json_agg(c order by c.id) from public.contacts c where c.org_id = $1) as contacts,
              (select json_agg(s order by s.id) from public.services s where s.org_id = $1) as services`,
      [orgId],
    )
  ).rows[0];

// Clinic B has a patient with an appointment and a service A doesn't offer.
expect(await tool(b, "bookClinicAppointment", { name: "Beatrice Secret", service: "botox", start: "2026-03-10T14:00:00-04:00" }, B_PATIENT)).toMatch(
  /^You're booked/,
);
await t.admin.query("insert into public.services (org_id, name, price, duration_minutes, keywords) values ($1, 'Hydrafacial', 275, 45, array['hydrafacial'])", [
  b.orgId,
]);
const bBefore = await snapshot(b.orgId);
const [{ id: bAppointmentId }] = (await t.admin.query("select id from public.appointments where org_id = $1", [b.orgId])).rows;
const [{ id: bServiceId }] = (await t.admin.query("select id from public.services where org_id = $1 and name = 'Hydrafacial'", [b.orgId])).rows;

describe("an assistant of clinic A cannot reach clinic B", () => {
  it("cannot read B's patient even when the arguments give B's patient's number", async () => {
    expect(await tool(a, "lookupCaller", { phone: B_PATIENT, orgId: b.orgId })).toBe("May I have your name? [New caller: there is no record for this number.]");
    expect(await tool(a, "lookupCaller", {}, B_PATIENT)).toBe("May I have your name? [New caller: there is no record for this number.]");
    // The same caller through B's assistant is known.
    expect(await tool(b, "lookupCaller", {}, B_PATIENT)).toMatch(/\[Returning caller: Beatrice Secret\./);
  });

  it("cannot cancel or reschedule B's appointment by naming B's patient, number or ids", async () => {
    const args = { phone: B_PATIENT, name: "Beatrice Secret", appointmentId: bAppointmentId, orgId: b.orgId, _assistantId: b.assistantId };
    expect(await tool(a, "cancelAppointment", args, B_PATIENT)).toMatch(/^I couldn't find an upcoming appointment under this phone number/);
    expect(await tool(a, "rescheduleAppointment", { ...args, newStart: "2026-03-12T10:00:00-04:00" }, B_PATIENT)).toMatch(
      /^I couldn't find an upcoming appointment/,
    );
  });

  it("does not see B's appointments as busy, and books into A only", async () => {
    expect(await tool(a, "checkAvailability", { date: "March 10 at 2pm", orgId: b.orgId })).toMatch(/^Yes, Tuesday, March 10 at 2 PM is available/);
    expect(
      await tool(a, "bookClinicAppointment", {
        name: "Alan Alpha",
        start: "2026-03-10T14:00:00-04:00",
        serviceId: bServiceId,
        orgId: b.orgId,
        organizationId: b.orgId,
      }),
    ).toMatch(/^You're booked for Consultation on Tuesday, March 10 at 2 PM, under Alan Alpha/);
    const { rows } = await t.admin.query("select org_id from public.appointments where starts_at = '2026-03-10T18:00:00Z' order by org_id");
    expect(rows.map((r) => r.org_id).sort()).toEqual([a.orgId, b.orgId].sort());
  });

  it("cannot price B's own services", async () => {
    expect(await tool(a, "getServicePrice", { service: "hydrafacial", orgId: b.orgId })).toMatch(
      /^I don't have a price for that\. The clinic offers (?!.*Hydrafacial)/,
    );
    expect(await tool(b, "getServicePrice", { service: "hydrafacial" })).toBe("Hydrafacial costs $275, and a hydrafacial consultation takes about 45 minutes.");
  });

  it("leaves every row of B untouched", async () => {
    expect(await snapshot(b.orgId)).toEqual(bBefore);
  });
});

describe("org resolution", () => {
  it("uses call.assistantId first, then the phone number id, then the clinic line's number", async () => {
    // A's assistant on B's phone line: the assistant decides.
    const mixed = { assistantId: a.assistantId, phoneNumberId: b.phoneNumberId, clinicNumber: b.clinicNumber };
    expect(await tool(mixed, "lookupCaller", {}, B_PATIENT)).toMatch(/\[New caller/);
    // No assistant id: B's phone number id.
    expect(
      await tool({ assistantId: null as unknown as string, phoneNumberId: b.phoneNumberId, clinicNumber: "+10000000000" }, "lookupCaller", {}, B_PATIENT),
    ).toMatch(/\[Returning caller: Beatrice/);
    // Unknown assistant and phone number id: the clinic line's number.
    expect(await tool({ assistantId: "asst_unknown", phoneNumberId: "pn_unknown", clinicNumber: b.clinicNumber }, "lookupCaller", {}, B_PATIENT)).toMatch(
      /\[Returning caller: Beatrice/,
    );
  });

  it("answers an unknown assistant with a speakable error and logs it — arguments never choose the org", async () => {
    const stranger = { assistantId: "asst_stranger", phoneNumberId: "pn_stranger", clinicNumber: "+13125550000" };
    const res = await callTools(
      http,
      secret,
      toolCallsMessage(stranger, [
        { id: "u1", name: "bookClinicAppointment", args: { name: "X", start: "2026-03-10T15:00:00-04:00", orgId: a.orgId, assistantId: a.assistantId } },
      ]).body,
    );
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      {
        toolCallId: "u1",
        name: "bookClinicAppointment",
        error: UNKNOWN_CLINIC,
      },
    ]);
    expect(t.logs.text()).toContain("vapi tool call for an unknown assistant / phone number");
    const { rows } = await t.admin.query("select count(*)::int as n from public.appointments where starts_at = '2026-03-10T19:00:00Z'");
    expect(rows[0].n).toBe(0);
  });
});
