import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "./helpers/db";

/**
 * The call and contact live events come from statement triggers
 * (supabase/migrations/20261225000100_live_events_per_statement.sql): one event per changed row
 * of a multi-row statement, none for a row whose visible fields did not change, and one
 * "resync" per org when a transaction's events overflow the buffer.
 */
const { url, admin, db } = await createTestDatabase();
let listener: pg.Client;
let events: { type: string; orgId: string; data?: Record<string, unknown> }[] = [];
let orgA: string;
let orgB: string;

beforeAll(async () => {
  orgA = (await admin.query("insert into organizations (name) values ('Trigger Clinic A') returning id")).rows[0].id;
  orgB = (await admin.query("insert into organizations (name) values ('Trigger Clinic B') returning id")).rows[0].id;
  listener = new pg.Client({ connectionString: url });
  await listener.connect();
  listener.on("notification", (n) => events.push(JSON.parse(n.payload!)));
  await listener.query("listen voxanne_events");
});
afterAll(async () => {
  await listener.end();
});

/** The events of `write`, once its notifications have arrived (a marker NOTIFY comes after them). */
async function eventsOf(write: () => Promise<unknown>) {
  events = [];
  await write();
  await admin.query(`select pg_notify('voxanne_events', '{"type":"marker","orgId":"-"}')`);
  for (let i = 0; i < 200 && !events.some((e) => e.type === "marker"); i++) await new Promise((r) => setTimeout(r, 10));
  return events.filter((e) => e.type !== "marker");
}

describe("live events from statement triggers", () => {
  it("a statement writing contacts of two clinics sends one contact.updated per contact, each to its own clinic", async () => {
    const sent = await eventsOf(() =>
      admin.query(
        `insert into contacts (org_id, phone, name) values ($1, '+12125550111', 'Ada Byron'), ($1, '+12125550112', 'Grace Hopper'), ($2, '+12125550113', 'Alan Turing')`,
        [orgA, orgB],
      ),
    );
    expect(sent.map((e) => [e.type, e.orgId, e.data?.name]).sort()).toEqual(
      [
        ["contact.updated", orgA, "Ada Byron"],
        ["contact.updated", orgA, "Grace Hopper"],
        ["contact.updated", orgB, "Alan Turing"],
      ].sort(),
    );
  });

  it("an update that changes nothing a dashboard shows sends nothing; one that does, one event per changed row", async () => {
    expect(await eventsOf(() => admin.query("update contacts set name = name, updated_at = now() where org_id = $1", [orgA]))).toEqual([]);
    const sent = await eventsOf(() =>
      admin.query("update contacts set lead_score = case when phone = '+12125550111' then 80 else lead_score end where org_id = $1", [orgA]),
    );
    expect(sent.map((e) => [e.type, e.data?.phone, e.data?.leadScore])).toEqual([["contact.updated", "+12125550111", 80]]);
  });

  it("calls: started when inserted ringing, ended when inserted or moved to ended, updated on other changes, silent on bookkeeping", async () => {
    const inserted = await eventsOf(() =>
      admin.query("insert into call_logs (org_id, vapi_call_id, status) values ($1, 'trig-1', 'ringing'), ($1, 'trig-2', 'ended')", [orgA]),
    );
    expect(inserted.map((e) => [e.type, e.data?.vapiCallId]).sort()).toEqual([
      ["call.ended", "trig-2"],
      ["call.started", "trig-1"],
    ]);
    const updated = await eventsOf(() =>
      admin.query(
        "update call_logs set status = case vapi_call_id when 'trig-1' then 'ended' else status end, summary = 'Asked about parking' where vapi_call_id in ('trig-1', 'trig-2')",
      ),
    );
    expect(updated.map((e) => [e.type, e.data?.vapiCallId, e.data?.status]).sort()).toEqual([
      ["call.ended", "trig-1", "ended"],
      ["call.updated", "trig-2", "ended"],
    ]);
    expect(await eventsOf(() => admin.query("update call_logs set updated_at = now() where org_id = $1", [orgA]))).toEqual([]);
  });

  it("a transaction whose events overflow the buffer sends one resync for its clinic after commit, and no partial list", async () => {
    const sent = await eventsOf(() =>
      db.asService(orgB, (q) =>
        q.query(
          `insert into contacts (org_id, phone, name)
           select $1, '+1646555' || lpad(i::text, 4, '0'), 'Imported Patient ' || i from generate_series(1, 2500) i`,
          [orgB],
        ),
      ),
    );
    expect(sent).toEqual([expect.objectContaining({ type: "resync", orgId: orgB })]);
  });
});
