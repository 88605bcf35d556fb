import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { DashboardStats } from "@voxanne/contracts";
import { createTestApp, type TestApp } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";
import { TestClock } from "./helpers/vapi";

/**
 * The dashboard's call_stats_daily rollup (supabase/migrations/20261223000100_call_stats_daily.sql)
 * must always equal what the raw call_logs rows say, per clinic and local day, whatever wrote the
 * calls: inserts, status updates, end-of-call reports moving a call's start across local midnight,
 * the same report delivered twice, deletes, concurrent writers, and a change of time zone.
 */

// Tuesday 1 December 2026, 11:00 in New York (16:00 UTC).
const NOW = new Date("2026-12-01T16:00:00Z");
const clock = new TestClock(NOW);

let t: TestApp;
let http: TestHttp;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp({ clock });
  http = await listen(t.app);
});

type Counts = Record<string, number | string>;

/** Per local day, written independently of the migration: what the raw rows add up to. */
async function rawDays(orgId: string): Promise<Record<string, Counts>> {
  const { rows } = await t.admin.query(
    `select to_char((cl.started_at at time zone o.timezone)::date, 'YYYY-MM-DD') as day,
            count(*)::int as calls,
            count(*) filter (where cl.direction = 'inbound')::int as inbound,
            count(*) filter (where cl.direction = 'outbound')::int as outbound,
            count(*) filter (where cl.booking_confirmed)::int as booked,
            count(*) filter (where cl.booking_confirmed and cl.direction = 'inbound')::int as booked_inbound,
            sum(cl.financial_value)::text as value,
            count(*) filter (where cl.status = 'ended' and cl.duration_seconds is not null)::int as timed_calls,
            coalesce(sum(cl.duration_seconds) filter (where cl.status = 'ended'), 0)::int as duration_seconds,
            count(*) filter (where cl.lead_temperature = 'hot')::int as hot,
            count(*) filter (where cl.is_emergency)::int as emergencies,
            count(*) filter (where cl.sentiment_label = 'positive')::int as positive,
            count(*) filter (where cl.sentiment_label = 'neutral')::int as neutral,
            count(*) filter (where cl.sentiment_label = 'negative')::int as negative
       from call_logs cl join organizations o on o.id = cl.org_id
      where cl.org_id = $1 group by 1 order by 1`,
    [orgId],
  );
  return Object.fromEntries(rows.map(({ day, ...r }) => [day, r]));
}

/** The rollup's days, leaving out days whose every call has gone (all zeros). */
async function rollupDays(orgId: string): Promise<Record<string, Counts>> {
  const { rows } = await t.admin.query(
    // A day is split over up to 8 shard rows (one per connection slot); its counts are their sum.
    `select to_char(day, 'YYYY-MM-DD') as day, sum(calls)::int as calls, sum(inbound)::int as inbound, sum(outbound)::int as outbound,
            sum(booked)::int as booked, sum(booked_inbound)::int as booked_inbound, sum(value)::text as value,
            sum(timed_calls)::int as timed_calls, sum(duration_seconds)::int as duration_seconds, sum(hot)::int as hot,
            sum(emergencies)::int as emergencies, sum(positive)::int as positive, sum(neutral)::int as neutral, sum(negative)::int as negative
       from call_stats_daily where org_id = $1 group by day order by day`,
    [orgId],
  );
  return Object.fromEntries(
    rows
      .filter((r) => Object.entries(r).some(([k, v]) => k !== "day" && Number(v) !== 0))
      .map(({ day, ...r }) => [day, { ...r, value: String(Number(r.value).toFixed(2)) }]),
  );
}

const normalise = (days: Record<string, Counts>) => Object.fromEntries(Object.entries(days).map(([d, r]) => [d, { ...r, value: Number(r.value).toFixed(2) }]));

async function expectExact(orgId: string) {
  expect(await rollupDays(orgId)).toEqual(normalise(await rawDays(orgId)));
}

async function insertCall(
  orgId: string,
  startedAt: string,
  o: { status?: string; direction?: string } = {},
  client: Pick<import("pg").ClientBase, "query"> = t.admin,
): Promise<string> {
  const { rows } = await client.query(
    "insert into call_logs (org_id, vapi_call_id, direction, status, started_at) values ($1, $2, $3, $4, $5) returning vapi_call_id",
    [orgId, `rollup-${++seq}`, o.direction ?? "inbound", o.status ?? "ringing", startedAt],
  );
  return rows[0].vapi_call_id;
}

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * What an end-of-call report writes (integrations/vapi → pipeline): Vapi's own start, the end, the
 * analysis. `query` defaults to a superuser connection; the concurrency test passes the server's
 * own service-role transactions.
 */
async function endOfCallReport(
  vapiCallId: string,
  r: { startedAt: string; duration: number; booked: boolean; value: number; sentiment: string; temperature: string; emergency?: boolean },
  query: Query = (sql, params) => t.admin.query(sql, params),
) {
  await query(
    `update call_logs set status = 'ended', started_at = $2, ended_at = $2::timestamptz + make_interval(secs => $3), duration_seconds = $3,
            booking_confirmed = $4, financial_value = $5, sentiment_label = $6, lead_temperature = $7, is_emergency = $8,
            transcript = 'AI: Hello. User: Hi.', summary = 'A call.'
      where vapi_call_id = $1`,
    [vapiCallId, r.startedAt, r.duration, r.booked, r.value, r.sentiment, r.temperature, r.emergency ?? false],
  );
}

describe("call_stats_daily rollup", () => {
  let clinic: TestUser;
  beforeAll(async () => {
    clinic = await signUpClinic(t, { clinicName: "Rollup clinic", timezone: "America/New_York" });
  });

  it("follows a call from ringing to its end-of-call report across the clinic's midnight, redelivered twice", async () => {
    // 23:58 on 29 Nov in New York is 04:58 UTC on the 30th: first seen on the 29th, local time.
    const id = await insertCall(clinic.orgId, "2026-11-30T04:58:00Z");
    await t.admin.query("update call_logs set status = 'in-progress' where vapi_call_id = $1", [id]);
    expect(Object.keys(await rollupDays(clinic.orgId))).toEqual(["2026-11-29"]);
    await expectExact(clinic.orgId);

    // Vapi's startedAt is two minutes later: 00:00:30 on the 30th in New York. The call moves days.
    const report = { startedAt: "2026-11-30T05:00:30Z", duration: 240, booked: true, value: 400, sentiment: "positive", temperature: "hot" };
    await endOfCallReport(id, report);
    await endOfCallReport(id, report);
    await endOfCallReport(id, report);
    expect(await rollupDays(clinic.orgId)).toEqual({
      "2026-11-30": {
        calls: 1,
        inbound: 1,
        outbound: 0,
        booked: 1,
        booked_inbound: 1,
        value: "400.00",
        timed_calls: 1,
        duration_seconds: 240,
        hot: 1,
        emergencies: 0,
        positive: 1,
        neutral: 0,
        negative: 0,
      },
    });
    await expectExact(clinic.orgId);

    // A corrected start alone (everything else unchanged) moves the call back to the 29th.
    await t.admin.query("update call_logs set started_at = '2026-11-30T04:59:30Z' where vapi_call_id = $1", [id]);
    expect(Object.keys(await rollupDays(clinic.orgId))).toEqual(["2026-11-29"]);
    await expectExact(clinic.orgId);

    // Updates that change nothing the stats count (a recording arriving) leave the rollup alone.
    await t.admin.query("update call_logs set recording_status = 'completed', recording_url = 'https://example.com/r.wav' where vapi_call_id = $1", [id]);
    await expectExact(clinic.orgId);
    await t.admin.query("delete from call_logs where vapi_call_id = $1", [id]);
    expect(await rollupDays(clinic.orgId)).toEqual({});
  });

  it("stays exact under any sequence of inserts, reports, corrections and deletes (property)", async () => {
    const org = await signUpClinic(t, { clinicName: "Rollup property clinic", timezone: "Australia/Sydney" });
    // Starts within a few hours of Sydney midnights, so calls keep crossing local days.
    const start = fc.integer({ min: 0, max: 3 * 24 * 60 }).map((m) => new Date(Date.parse("2026-11-29T10:00:00Z") + m * 60_000).toISOString());
    const op = fc.oneof(
      fc.record({ kind: fc.constant("insert" as const), at: start, direction: fc.constantFrom("inbound", "outbound", "web") }),
      fc.record({
        kind: fc.constant("report" as const),
        target: fc.nat(),
        at: start,
        duration: fc.integer({ min: 0, max: 3600 }),
        booked: fc.boolean(),
        value: fc.integer({ min: 0, max: 900_000 }).map((c) => c / 100),
        sentiment: fc.constantFrom("positive", "neutral", "negative"),
        temperature: fc.constantFrom("hot", "warm", "cold"),
        emergency: fc.boolean(),
      }),
      fc.record({ kind: fc.constant("clear" as const), target: fc.nat() }),
      fc.record({ kind: fc.constant("move" as const), target: fc.nat(), at: start }),
      fc.record({ kind: fc.constant("delete" as const), target: fc.nat() }),
    );
    await fc.assert(
      // Half the runs write the whole sequence in one transaction: the deferred triggers then
      // see several changes of one call before the commit.
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), fc.boolean(), async (ops, oneTransaction) => {
        await t.admin.query("delete from call_logs where org_id = $1", [org.orgId]);
        const c = await t.admin.connect();
        if (oneTransaction) await c.query("begin");
        const ids: string[] = [];
        try {
          for (const o of ops) {
            if (o.kind === "insert") {
              ids.push(await insertCall(org.orgId, o.at, { direction: o.direction }, c));
              continue;
            }
            const id = ids[o.target % Math.max(1, ids.length)];
            if (!id) continue;
            if (o.kind === "report") {
              await endOfCallReport(id, { startedAt: o.at, ...o }, (sql, params) => c.query(sql, params));
            } else if (o.kind === "move") {
              // A corrected start keeps the call's length (an end before the start is refused by call_logs).
              await c.query("update call_logs set ended_at = ended_at + ($2::timestamptz - started_at), started_at = $2 where vapi_call_id = $1", [id, o.at]);
            } else if (o.kind === "clear") {
              // A correction: sentiment and temperature unknown again, the duration lost.
              await c.query("update call_logs set sentiment_label = null, lead_temperature = null, duration_seconds = null where vapi_call_id = $1", [id]);
            } else {
              await c.query("delete from call_logs where vapi_call_id = $1", [id]);
              ids.splice(ids.indexOf(id), 1);
            }
          }
          if (oneTransaction) await c.query("commit");
        } finally {
          // A failed statement must not leave its transaction holding locks the next run waits on.
          if (oneTransaction) await c.query("rollback").catch(() => {});
          c.release();
        }
        await expectExact(org.orgId);
      }),
      { numRuns: 25 },
    );
  });

  it("stays exact with 20 connections writing the same clinic's day at once", async () => {
    // Each lane is its own pooled connection and transaction (db.asSystem), as concurrent webhooks are.
    const org = await signUpClinic(t, { clinicName: "Rollup concurrent clinic", timezone: "America/New_York" });
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => insertCall(org.orgId, `2026-11-30T${String(14 + (i % 8)).padStart(2, "0")}:00:00Z`)));
    const lanes = Array.from({ length: 20 }, (_, lane) =>
      (async () => {
        for (let i = lane; i < ids.length; i += 20) {
          const report = {
            startedAt: `2026-11-30T15:${String(i).padStart(2, "0")}:00Z`,
            duration: 60 + i,
            booked: i % 3 === 0,
            value: 100 + i,
            sentiment: "neutral",
            temperature: i % 2 ? "hot" : "cold",
          };
          const asServer: Query = (sql, params) => t.db.asSystem((tx) => tx.query(sql, params));
          await endOfCallReport(ids[i]!, report, asServer);
          await endOfCallReport(ids[i]!, report, asServer); // redelivered
        }
      })(),
    );
    await Promise.all(lanes);
    await expectExact(org.orgId);
    expect((await rollupDays(org.orgId))["2026-11-30"]).toMatchObject({ calls: 40, booked: 14, timed_calls: 40 });
  });

  it("is rebuilt in the clinic's new days when its time zone changes", async () => {
    const org = await signUpClinic(t, { clinicName: "Rollup moving clinic", timezone: "America/New_York" });
    // 03:00 UTC on 1 Dec: 30 Nov in New York, 1 Dec in London.
    await insertCall(org.orgId, "2026-12-01T03:00:00Z", { status: "ended" });
    expect(Object.keys(await rollupDays(org.orgId))).toEqual(["2026-11-30"]);
    await t.admin.query("update organizations set timezone = 'Europe/London' where id = $1", [org.orgId]);
    expect(Object.keys(await rollupDays(org.orgId))).toEqual(["2026-12-01"]);
    await expectExact(org.orgId);
  });

  it("the stats of any window, whole days from the rollup and partial days from raw rows, equal the raw rows' stats", async () => {
    const org = await signUpClinic(t, { clinicName: "Rollup window clinic", timezone: "America/New_York" });
    // Calls every 7 hours for 12 days up to now, with varied outcomes.
    for (let i = 0; i < 40; i++) {
      const at = new Date(NOW.getTime() - (i * 7 + 1) * 3_600_000).toISOString();
      const id = await insertCall(org.orgId, at, { direction: i % 5 === 0 ? "outbound" : "inbound" });
      await endOfCallReport(id, {
        startedAt: at,
        duration: 30 + i * 11,
        booked: i % 3 === 0,
        value: i % 3 === 0 ? 150 + i : 0,
        sentiment: ["positive", "neutral", "negative"][i % 3]!,
        temperature: ["hot", "warm", "cold"][i % 3]!,
        emergency: i === 7,
      });
    }
    const windows: [string, string][] = [
      ["2026-11-22T05:00:00Z", "2026-12-01T16:00:00Z"], // local midnight to now
      ["2026-11-21T13:17:00Z", "2026-11-29T09:45:00Z"], // partial first and last days
      ["2026-11-25T06:00:00Z", "2026-11-25T20:00:00Z"], // inside one day
      ["2026-11-24T05:00:00Z", "2026-11-26T05:00:00Z"], // exactly two whole days
    ];
    for (const [from, to] of windows) {
      const res = await http.request<DashboardStats>("GET", `/api/dashboard/stats?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, {
        headers: org.bearer,
      });
      expect(res.status).toBe(200);
      const raw = (
        await t.admin.query(
          `select count(*)::int as total, count(*) filter (where direction = 'inbound')::int as inbound,
                  count(*) filter (where booking_confirmed)::int as booked, coalesce(sum(financial_value), 0)::float8 as value,
                  coalesce(round(avg(duration_seconds) filter (where status = 'ended')), 0)::int as avg,
                  count(*) filter (where lead_temperature = 'hot')::int as hot, count(*) filter (where is_emergency)::int as emergencies,
                  count(*) filter (where sentiment_label = 'negative')::int as negative
             from call_logs where org_id = $1 and started_at >= $2 and started_at < $3`,
          [org.orgId, from, to],
        )
      ).rows[0];
      expect(raw.total, `${from}…${to}`).toBeGreaterThan(0);
      expect(
        {
          total: res.body.totalCalls,
          inbound: res.body.inboundCalls,
          booked: res.body.bookedCalls,
          value: res.body.pipelineValue,
          avg: res.body.averageDurationSeconds,
          hot: res.body.hotLeads,
          emergencies: res.body.emergencies,
          negative: res.body.sentiment.negative,
        },
        `${from}…${to}`,
      ).toEqual(raw);
      expect(res.body.daily.reduce((n, d) => n + d.calls, 0)).toBe(raw.total);
    }
  });
});
