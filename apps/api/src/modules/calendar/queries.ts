import type { Db } from "../../db/database";
import { activeStatusesSql } from "../booking/statuses";

const ACTIVE = activeStatusesSql();

/** Redeems an OAuth state id once: true the first time, false for a reused one. */
export async function redeemOAuthState(db: Db, stateId: string, expiresAt: Date): Promise<boolean> {
  const { rowCount } = await db.query("insert into public.oauth_state_uses (state_id, expires_at) values ($1, $2) on conflict do nothing", [
    stateId,
    expiresAt,
  ]);
  return rowCount === 1;
}

/** Forgets redeemed states that would have expired anyway. */
export async function sweepOAuthStates(db: Db, now: Date): Promise<number> {
  const { rowCount } = await db.query("delete from public.oauth_state_uses where expires_at < $1", [now]);
  return rowCount ?? 0;
}

/** What a calendar event is built from: the appointment as it is now. */
export type AppointmentForSync = {
  id: string;
  status: string;
  active: boolean;
  startsAt: Date;
  endsAt: Date;
  googleEventId: string | null;
  rescheduledFrom: string | null;
  /** Another appointment was booked in its place (a reschedule): that one carries the event on. */
  replaced: boolean;
  serviceName: string | null;
  contactName: string | null;
  timezone: string;
};

export async function appointmentForSync(db: Db, orgId: string, id: string): Promise<AppointmentForSync | null> {
  const { rows } = await db.query(
    `select a.id, a.status, a.status in ${ACTIVE} as active, a.starts_at, a.ends_at, a.google_event_id, a.rescheduled_from,
            exists (select 1 from public.appointments n where n.org_id = a.org_id and n.rescheduled_from = a.id) as replaced,
            s.name as service_name, c.name as contact_name, o.timezone
       from public.appointments a
       join public.organizations o on o.id = a.org_id
       left join public.services s on s.id = a.service_id
       left join public.contacts c on c.id = a.contact_id
      where a.org_id = $1 and a.id = $2`,
    [orgId, id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    status: r.status,
    active: r.active,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    googleEventId: r.google_event_id,
    rescheduledFrom: r.rescheduled_from,
    replaced: r.replaced,
    serviceName: r.service_name,
    contactName: r.contact_name,
    timezone: r.timezone,
  };
}

/** The calendar holds what the appointment says (event written, moved or deleted). */
export async function recordCalendarSynced(db: Db, orgId: string, id: string, eventId: string | null, now: Date): Promise<void> {
  await db.query(
    `update public.appointments
        set google_event_id = coalesce($3, google_event_id), google_sync_status = 'synced', google_sync_error = null, google_synced_at = $4
      where org_id = $1 and id = $2`,
    [orgId, id, eventId, now],
  );
}

/** A calendar write failed: visible on the appointment until a retry succeeds. */
export async function recordCalendarFailed(db: Db, orgId: string, id: string, error: string): Promise<void> {
  await db.query("update public.appointments set google_sync_status = 'failed', google_sync_error = $3 where org_id = $1 and id = $2", [
    orgId,
    id,
    error.slice(0, 500),
  ]);
}

export async function recordCalendarPending(db: Db, orgId: string, id: string): Promise<void> {
  await db.query(
    "update public.appointments set google_sync_status = 'pending' where org_id = $1 and id = $2 and google_sync_status is distinct from 'synced'",
    [orgId, id],
  );
}

/** Upcoming active appointments whose event is not known to be written (after a reconnect, or failed writes). */
export async function upcomingUnsynced(db: Db, orgId: string, now: Date, limit = 500): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select id from public.appointments
      where org_id = $1 and status in ${ACTIVE} and starts_at > $2 and google_sync_status is distinct from 'synced'
      order by starts_at limit $3`,
    [orgId, now, limit],
  );
  return rows.map((r) => r.id);
}

export async function auditCalendarEvent(
  db: Db,
  e: { orgId: string; actorUserId: string | null; action: string; data: Record<string, unknown> },
): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_user_id, actor_type, action, target_type, target_id, data)
     values ($1, $2, $3, $4, 'integration', 'google', $5)`,
    [e.orgId, e.actorUserId, e.actorUserId ? "user" : "system", e.action, e.data],
  );
}

/** Upcoming active appointments whose calendar write failed (shown on the Google card). */
export async function countFailedUpcoming(db: Db, orgId: string, now: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from public.appointments
      where org_id = $1 and status in ${ACTIVE} and starts_at > $2 and google_sync_status = 'failed'`,
    [orgId, now],
  );
  return rows[0]!.n;
}
