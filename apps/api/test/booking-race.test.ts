import { parseToolReply } from "@voxanne/contracts";
import { describe, expect, it } from "vitest";
import { createTestApp } from "./helpers/app";
import { listen } from "./helpers/http";
import { callTools, createClinic, TestClock, toolCallsMessage } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York.
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
const t = await createTestApp({ clock });
const http = await listen(t.app);
const secret = t.config.vapiWebhookSecret;

/** Each caller is a different Vapi call from a different phone, all hitting the endpoint at once. */
async function race(clinic: Awaited<ReturnType<typeof createClinic>>, starts: string[]) {
  // Each request is its own HTTP connection (fetch with a fresh body each), so the server sees them concurrently.
  return Promise.all(
    starts.map(async (start, i) => {
      const { body } = toolCallsMessage(
        clinic,
        [{ name: "bookClinicAppointment", args: { name: `Caller ${String(i).replace(/\d/g, (d) => "abcdefghij"[Number(d)]!)}`, start } }],
        {
          caller: `+1212555${String(2000 + i).padStart(4, "0")}`,
        },
      );
      const res = await callTools(http, secret, body);
      expect(res.status).toBe(200);
      return res.body.results[0] as { result?: string; error?: string };
    }),
  );
}

const overlaps = async (orgId: string) =>
  (
    await t.admin.query(
      `select count(*)::int as n from public.appointments a join public.appointments b
         on a.org_id = b.org_id and a.id < b.id and a.busy_range && b.busy_range
        where a.org_id = $1 and a.status in ('booked','confirmed') and b.status in ('booked','confirmed')`,
      [orgId],
    )
  ).rows[0].n as number;

describe("concurrent bookings", () => {
  it("50 callers booking the same slot at once: exactly one appointment, 49 speakable alternatives", async () => {
    const clinic = await createClinic(t.admin);
    const results = await race(
      clinic,
      Array.from({ length: 50 }, () => "2026-03-06T14:00:00-05:00"),
    );

    const booked = results.filter((r) => r.result?.startsWith(`{"say":"You're booked`));
    const taken = results.filter((r) => r.result?.startsWith('{"say":"Sorry, Friday, March 6 at'));
    expect(booked).toHaveLength(1);
    expect(taken).toHaveLength(49);
    for (const r of taken) {
      expect(r.result).toMatch(/was just taken\. The nearest free times are Friday, March 6 at 2:30 PM/);
      expect(r.result).toContain('"start":"2026-03-06T14:30:00-05:00"');
      expect(parseToolReply(r.result!).say.length).toBeLessThanOrEqual(400);
    }
    const { rows } = await t.admin.query("select count(*)::int as n from public.appointments where org_id = $1", [clinic.orgId]);
    expect(rows[0].n).toBe(1);
    expect(await overlaps(clinic.orgId)).toBe(0);
    // Only the winner became a booked contact.
    const contacts = await t.admin.query("select count(*)::int as n from public.contacts where org_id = $1 and lead_status = 'booked'", [clinic.orgId]);
    expect(contacts.rows[0].n).toBe(1);
  });

  it("50 callers booking overlapping but different times: no overlap survives, and the free ones are booked", async () => {
    const clinic = await createClinic(t.admin, { bufferAfterMinutes: 10 });
    // 30-minute consultations starting every 5 minutes from 9:00 to 13:05: each overlaps several others.
    const starts = Array.from({ length: 50 }, (_, i) => {
      const minutes = 9 * 60 + i * 5;
      return `2026-03-06T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}:00-05:00`;
    });
    const results = await race(clinic, starts);
    const booked = results.filter((r) => r.result?.startsWith(`{"say":"You're booked`));
    const refused = results.filter((r) => r.result?.startsWith('{"say":"Sorry, Friday, March 6 at'));
    expect(booked.length + refused.length).toBe(50);
    // 9:00–13:35 holds at most six 40-minute spans; whatever order they arrived in, at least four fit.
    expect(booked.length).toBeGreaterThanOrEqual(4);
    expect(booked.length).toBeLessThanOrEqual(7);
    expect(await overlaps(clinic.orgId)).toBe(0);
    const { rows } = await t.admin.query("select count(*)::int as n from public.appointments where org_id = $1", [clinic.orgId]);
    expect(rows[0].n).toBe(booked.length);
  });

  it("bookings of different clinics and different days do not block each other", async () => {
    const a = await createClinic(t.admin);
    const b = await createClinic(t.admin);
    const [ra, rb] = await Promise.all([
      race(a, ["2026-03-06T14:00:00-05:00", "2026-03-09T14:00:00-04:00"]),
      race(b, ["2026-03-06T14:00:00-05:00", "2026-03-09T14:00:00-04:00"]),
    ]);
    for (const r of [...ra, ...rb]) expect(r.result, JSON.stringify(r)).toMatch(/^\{"say":"You're booked/);
  });
});
