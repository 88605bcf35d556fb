/**
 * Slot holds (supabase/migrations/20261215000100_slot_holds.sql, modules/slot-holds): the times
 * checkAvailability offers a call are held for it, so another caller or a web booking cannot take
 * them while the caller decides. Races use real concurrent HTTP requests and connections.
 */
import { parseToolReply } from "@voxanne/contracts";
import { describe, expect, it } from "vitest";
import { createTestApp } from "./helpers/app";
import { listen } from "./helpers/http";
import { callTools, createClinic, TestClock, type TestClinic, toolCallsMessage } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York.
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
const t = await createTestApp({ clock, config: { SLOT_HOLD_MINUTES: 5 } });
const http = await listen(t.app);
const secret = t.config.vapiWebhookSecret;

async function ask(clinic: TestClinic, callId: string, name: string, args: Record<string, unknown>, caller = "+12125559876") {
  const res = await callTools(http, secret, toolCallsMessage(clinic, [{ name, args }], { callId, caller }).body);
  expect(res.status).toBe(200);
  const first = res.body.results[0];
  return parseToolReply(first.result ?? first.error);
}

const holdsOf = async (orgId: string) =>
  (await t.admin.query("select vapi_call_id, starts_at from public.slot_holds where org_id = $1 and expires_at > now() order by starts_at", [orgId])).rows;

/** Pairs of live holds of different calls that overlap: the database must never have any. */
const overlappingHolds = async (orgId: string) =>
  (
    await t.admin.query(
      `select count(*)::int as n from public.slot_holds a join public.slot_holds b
         on a.org_id = b.org_id and a.id < b.id and a.vapi_call_id <> b.vapi_call_id and a.busy_range && b.busy_range
        where a.org_id = $1`,
      [orgId],
    )
  ).rows[0].n as number;

describe("slot holds", () => {
  it("20 callers asking for the same time at once: one is offered it, and no time is offered to two of them", async () => {
    const clinic = await createClinic(t.admin);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ask(clinic, `race-call-${i}`, "checkAvailability", { date: "tomorrow at 2pm" }, `+1212555${String(3000 + i).padStart(4, "0")}`),
      ),
    );
    const offered = replies.flatMap((r) => (r.slots ?? []).map((s) => s.start));
    expect(new Set(offered).size).toBe(offered.length);
    expect(replies.filter((r) => r.say.startsWith("Yes, Friday, March 6 at 2 PM is available"))).toHaveLength(1);
    expect(offered.filter((s) => s === "2026-03-06T14:00:00-05:00")).toHaveLength(1);
    expect(await overlappingHolds(clinic.orgId)).toBe(0);
    // Every offer is held for the call it was offered to.
    expect((await holdsOf(clinic.orgId)).length).toBe(offered.length);
  });

  it("a caller asking again is offered the times it already holds, and still holds exactly its latest offer", async () => {
    const clinic = await createClinic(t.admin);
    const first = await ask(clinic, "again-call", "checkAvailability", { date: "tomorrow at 2pm" });
    expect(first.say).toMatch(/^Yes, Friday, March 6 at 2 PM is available/);
    const second = await ask(clinic, "again-call", "checkAvailability", { date: "tomorrow at 2pm" });
    expect(second.say).toBe(first.say);
    const held = (await holdsOf(clinic.orgId)).map((h) => h.starts_at.toISOString());
    expect(held).toEqual((second.slots ?? []).map((s) => new Date(s.start).toISOString()).sort());
    expect((await holdsOf(clinic.orgId)).every((h) => h.vapi_call_id === "again-call")).toBe(true);
  });

  it("a held time cannot be booked by another caller or written past the engine; the holder books it and its other holds go", async () => {
    const clinic = await createClinic(t.admin);
    const offer = await ask(clinic, "holder", "checkAvailability", { date: "March 10 at 2pm" });
    expect(offer.say).toMatch(/^Yes, Tuesday, March 10 at 2 PM is available/);

    const other = await ask(clinic, "other-caller", "bookClinicAppointment", { name: "Sam Other", start: "2026-03-10T14:00:00-04:00" }, "+12125550001");
    expect(other.say).toMatch(/^Sorry, Tuesday, March 10 at 2 PM was just taken\. The nearest free times are/);
    expect(other.slots?.map((s) => s.start)).not.toContain("2026-03-10T14:00:00-04:00");
    // A dashboard booking, or any writer that skips the engine: the database refuses it.
    await expect(
      t.admin.query(
        "insert into public.appointments (org_id, starts_at, ends_at, status, source) values ($1, '2026-03-10T18:15:00Z', '2026-03-10T18:45:00Z', 'booked', 'dashboard')",
        [clinic.orgId],
      ),
    ).rejects.toMatchObject({ code: "23P01", constraint: "appointments_slot_held" });

    const booked = await ask(clinic, "holder", "bookClinicAppointment", { name: "Holly Holder", start: "2026-03-10T14:00:00-04:00" });
    expect(booked.say).toMatch(/^You're booked for Consultation on Tuesday, March 10 at 2 PM/);
    expect(await holdsOf(clinic.orgId)).toEqual([]);
  });

  it("a hold racing a booking of the same time: never both the offer and the booking", async () => {
    for (let week = 0; week < 6; week++) {
      // A clinic per round: an earlier round's offers (and their holds) reach into later weeks.
      const clinic = await createClinic(t.admin, { businessHours: { mon: [], tue: [{ start: "09:00", end: "09:30" }] } });
      const day = ["March 10", "March 17", "March 24", "March 31", "April 7", "April 14"][week]!;
      const iso = ["2026-03-10", "2026-03-17", "2026-03-24", "2026-03-31", "2026-04-07", "2026-04-14"][week]!;
      const [offer, booking] = await Promise.all([
        ask(clinic, `asker-${week}`, "checkAvailability", { date: `${day} at 9am` }, "+12125550101"),
        ask(clinic, `booker-${week}`, "bookClinicAppointment", { name: "Bo Booker", start: `${iso}T09:00:00-04:00` }, "+12125550102"),
      ]);
      const offered = (offer.slots ?? []).some((s) => s.start === `${iso}T09:00:00-04:00`);
      const bookedIt = booking.say.startsWith("You're booked");
      expect(offered !== bookedIt, `${day}: offered ${offered}, booked ${bookedIt}: ${offer.say} / ${booking.say}`).toBe(true);
    }
  });

  it("an expired hold, or the holder's call ending, frees the time for others", async () => {
    const clinic = await createClinic(t.admin);
    await ask(clinic, "slow-decider", "checkAvailability", { date: "March 11 at 10am" });
    await t.admin.query("update public.slot_holds set expires_at = now() - interval '1 second' where vapi_call_id = 'slow-decider'");
    const after = await ask(clinic, "quick", "bookClinicAppointment", { name: "Quinn Quick", start: "2026-03-11T10:00:00-04:00" }, "+12125550201");
    expect(after.say).toMatch(/^You're booked/);

    await ask(clinic, "hangs-up", "checkAvailability", { date: "March 12 at 10am" });
    expect((await holdsOf(clinic.orgId)).map((h) => h.vapi_call_id)).toContain("hangs-up");
    const ended = await callTools(
      http,
      secret,
      { message: { type: "status-update", status: "ended", endedReason: "customer-ended-call", call: { id: "hangs-up", assistantId: clinic.assistantId } } },
      "/api/vapi/webhook",
    );
    expect(ended.status).toBe(200);
    expect(await holdsOf(clinic.orgId)).toEqual([]);
  });
});
