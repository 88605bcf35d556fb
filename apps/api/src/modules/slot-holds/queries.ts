import { prepared, queryWithGenericPlan, type Db } from "../../db/database";
import type { BusyRange } from "../booking/availability";
import { activeStatusesSql } from "../booking/statuses";

const ACTIVE = activeStatusesSql();

/** Other calls' live holds overlapping [from, to), as busy spans (epoch ms). */
export async function heldRanges(db: Db, orgId: string, from: Date, to: Date, exceptCallId: string | null): Promise<BusyRange[]> {
  const { rows } = await db.query<{ s: number; e: number }>(
    prepared(`select (extract(epoch from lower(busy_range)) * 1000)::float8 as s, (extract(epoch from upper(busy_range)) * 1000)::float8 as e
       from public.slot_holds
      where org_id = $1 and expires_at > now() and busy_range && tstzrange($2, $3, '[)')
        and vapi_call_id is distinct from $4`),
    [orgId, from, to, exceptCallId],
  );
  return rows.map((r) => ({ start: r.s, end: r.e }));
}

/** Whether another call holds any part of this appointment's busy span. */
export async function heldByAnotherCall(
  db: Db,
  orgId: string,
  callId: string | null,
  span: { start: Date; end: Date; bufferBefore: number; bufferAfter: number },
): Promise<boolean> {
  const { rows } = await db.query<{ held: boolean }>(
    prepared(`select exists (select 1 from public.slot_holds
                     where org_id = $1 and expires_at > now() and vapi_call_id is distinct from $2
                       and busy_range && public.appointment_busy_range($3, $4, $5, $6)) as held`),
    [orgId, callId, span.start, span.end, span.bufferBefore, span.bufferAfter],
  );
  return rows[0]!.held;
}

/**
 * Replaces this call's holds with holds on `starts` (each `durationMinutes` long, with the
 * clinic's buffers) for `minutes`. A start another call already holds is skipped (the exclusion
 * constraint decides, so concurrent callers never hold the same time), and so is one an
 * appointment now covers; returns the starts held. Call it under the days' booking locks.
 */
export async function replaceCallHolds(
  db: Db,
  orgId: string,
  callId: string,
  hold: { starts: Date[]; durationMinutes: number; bufferBefore: number; bufferAfter: number; minutes: number },
): Promise<Date[]> {
  // One statement: the call's old holds (and expired ones) go first — the aggregate over `gone`
  // makes the insert wait for the delete, and rows this transaction deleted never conflict.
  // Its custom plans look cheaper, so PostgreSQL planned it at every call (0.5 ms, more than it
  // runs); the generic plan probes the no-overlap index per start (bench/tools.bench.ts).
  const { rows } = await queryWithGenericPlan<{ starts_at: Date }>(
    db,
    prepared(`with gone as (
       delete from public.slot_holds where org_id = $1 and (vapi_call_id = $2 or expires_at <= now()) returning 1
     )
     insert into public.slot_holds (org_id, vapi_call_id, starts_at, busy_range, expires_at)
     select $1, $2, s, r, clock_timestamp() + make_interval(mins => $7)
       from (select count(*) from gone) as deleted,
            unnest($3::timestamptz[]) as s,
            lateral public.appointment_busy_range(s, s + make_interval(mins => $4), $5, $6) as r
      -- Read after the day locks: an appointment committed since the offer was computed wins.
      -- A scalar subquery, so each start probes the no-overlap index with its range (as NOT
      -- EXISTS it became an anti-join that read every appointment the clinic ever had).
      where (select true from public.appointments a
              where a.org_id = $1 and coalesce(a.provider, '') = '' and a.status in ${ACTIVE} and a.busy_range && r
              limit 1) is null
     on conflict do nothing
     returning starts_at`),
    [orgId, callId, hold.starts, hold.durationMinutes, hold.bufferBefore, hold.bufferAfter, hold.minutes],
  );
  return rows.map((r) => r.starts_at);
}

/** Releases every hold of one call (it booked, or it ended). */
export async function releaseCallHolds(db: Db, orgId: string, callId: string): Promise<number> {
  const { rowCount } = await db.query(prepared("delete from public.slot_holds where org_id = $1 and vapi_call_id = $2"), [orgId, callId]);
  return rowCount ?? 0;
}

/** Releases an ended call's holds, whichever clinic it was (Vapi call ids are unique). */
export async function releaseEndedCallHolds(db: Db, callId: string): Promise<number> {
  const { rowCount } = await db.query(prepared("delete from public.slot_holds where vapi_call_id = $1"), [callId]);
  return rowCount ?? 0;
}
