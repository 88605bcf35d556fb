import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { dailySummaryJob } from "../src/jobs/daily-summary";
import { createLogger } from "../src/logger";
import { testConfig } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { createTestDatabase } from "./helpers/db";

/**
 * The morning summary, with a fixed clock: the job runs at 12:00 UTC on 2 December 2026, which is
 * 07:00 in New York (EST, UTC−5), so a New York clinic's owners get 1 December (local) summed up.
 */

const { db, admin } = await createTestDatabase();
const config = testConfig();
const target = { db, config };
const logger = createLogger({ level: "silent" });

async function runJobAt(iso: string) {
  await dailySummaryJob.handler({}, { db, logger, clock: { now: () => new Date(iso) }, jobId: randomUUID(), services: { email: { config } } });
}

async function call(orgId: string, startedAt: string, extra: { hot?: boolean; emergency?: boolean } = {}) {
  await admin.query(
    `insert into public.call_logs (org_id, vapi_call_id, started_at, status, lead_temperature, is_emergency)
     values ($1, $2, $3, 'ended', $4, $5)`,
    [orgId, randomUUID(), startedAt, extra.hot ? "hot" : "cold", extra.emergency ?? false],
  );
}

let slot = 0;
async function booking(orgId: string, createdAt: string) {
  const startsAt = new Date(Date.UTC(2026, 11, 10, 14 + slot++));
  const contact = await admin.query<{ id: string }>("insert into public.contacts (org_id, phone, name) values ($1, $2, 'Pat') returning id", [
    orgId,
    `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`,
  ]);
  const service = await admin.query<{ id: string }>("select id from public.services where org_id = $1 limit 1", [orgId]);
  const serviceId =
    service.rows[0]?.id ??
    (
      await admin.query<{ id: string }>("insert into public.services (org_id, name, price, duration_minutes) values ($1, 'Check-up', 80, 30) returning id", [
        orgId,
      ])
    ).rows[0]!.id;
  await admin.query(
    `insert into public.appointments (org_id, contact_id, service_id, starts_at, ends_at, status, source, created_at)
     values ($1, $2, $3, $4, $5, 'booked', 'voice', $6)`,
    [orgId, contact.rows[0]!.id, serviceId, startsAt, new Date(startsAt.getTime() + 30 * 60_000), createdAt],
  );
}

const summaries = async (orgId: string) =>
  (await admin.query("select recipient, subject, content, status from public.messages where org_id = $1 and purpose = 'daily_summary'", [orgId])).rows;

let ny: TestUser;
let optedOut: TestUser;
let london: TestUser;

beforeAll(async () => {
  ny = await signUpClinic(target, { clinicName: "Hudson Dental", fullName: "Maya Chen", timezone: "America/New_York" });
  optedOut = await signUpClinic(target, { timezone: "America/New_York" });
  london = await signUpClinic(target, { timezone: "Europe/London" });
  await admin.query("update public.profiles set daily_summary = true where user_id = any($1)", [[ny.userId, london.userId]]);

  // 1 December in New York is [05:00Z 1 Dec, 05:00Z 2 Dec).
  await call(ny.orgId, "2026-12-01T04:59:00Z"); // 30 November, 23:59 local: not yesterday
  await call(ny.orgId, "2026-12-01T05:00:00Z");
  await call(ny.orgId, "2026-12-01T14:00:00Z", { hot: true });
  await call(ny.orgId, "2026-12-01T20:00:00Z", { hot: true });
  await call(ny.orgId, "2026-12-02T04:30:00Z", { emergency: true }); // 23:30 local, 1 December
  await call(ny.orgId, "2026-12-02T05:30:00Z"); // 2 December local: today, not yesterday
  await booking(ny.orgId, "2026-12-01T15:00:00Z");
  await booking(ny.orgId, "2026-12-01T03:00:00Z"); // 30 November local
});

describe("daily summary", () => {
  it("at 07:00 clinic time an opted-in owner gets yesterday's calls, bookings, hot leads and emergencies; nobody else", async () => {
    await runJobAt("2026-12-02T12:00:00Z");
    const sent = await summaries(ny.orgId);
    expect(sent).toHaveLength(1);
    expect(sent[0].recipient).toBe(ny.email);
    expect(sent[0].subject).toBe("Hudson Dental: 4 calls, 1 booking yesterday");
    expect(sent[0].content).toContain("Good morning, Maya Chen. Here is Hudson Dental on Tuesday 1 December 2026:");
    expect(sent[0].content).toContain("- 4 calls answered");
    expect(sent[0].content).toContain("- 1 booking made");
    expect(sent[0].content).toContain("- 2 hot leads (call them back today)");
    expect(sent[0].content).toContain("- 1 emergency flagged: check the calls");
    expect(sent[0].content).toContain("http://localhost:3002/overview");
    // Opted out: nothing. London: 12:00 there, not 07:00.
    expect(await summaries(optedOut.orgId)).toEqual([]);
    expect(await summaries(london.orgId)).toEqual([]);
  });

  it("running again (a retry, a second process) sends nothing more; the next morning sends the next day", async () => {
    await runJobAt("2026-12-02T12:00:00Z");
    await runJobAt("2026-12-02T12:20:00Z");
    expect(await summaries(ny.orgId)).toHaveLength(1);
    await runJobAt("2026-12-02T13:00:00Z"); // 08:00 in New York: not the hour
    expect(await summaries(ny.orgId)).toHaveLength(1);
    await runJobAt("2026-12-03T12:00:00Z");
    const next = await summaries(ny.orgId);
    expect(next).toHaveLength(2);
    expect(next.map((m) => m.content).join("\n")).toContain("Wednesday 2 December 2026");
  });

  it("London's owner gets theirs at 07:00 London time, with a quiet day said plainly", async () => {
    await runJobAt("2026-12-02T07:00:00Z");
    const sent = await summaries(london.orgId);
    expect(sent).toHaveLength(1);
    expect(sent[0].content).toContain("- 0 calls answered");
    expect(sent[0].content).toContain("- 0 hot leads\n");
  });
});
