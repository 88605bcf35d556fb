import { prepared, type Db } from "../../db/database";
import { bookingContactParams, bookingContactUpsertSql, type BookingContactInput } from "../contacts/queries";
import type { BusyRange } from "./availability";
import { activeStatusesSql } from "./statuses";

/** Statuses that hold a slot, as SQL (a literal list, so the partial indexes' predicates match). */
const ACTIVE = activeStatusesSql();

/** Busy spans of active clinic-wide appointments (provider null) overlapping [from, to). */
export async function busyRanges(db: Db, orgId: string, from: Date, to: Date, excludeId?: string): Promise<BusyRange[]> {
  const { rows } = await db.query<{ s: number; e: number }>(
    prepared(`select (extract(epoch from lower(busy_range)) * 1000)::float8 as s, (extract(epoch from upper(busy_range)) * 1000)::float8 as e
       from public.appointments
      where org_id = $1 and coalesce(provider, '') = '' and status in ${ACTIVE}
        and busy_range && tstzrange($2, $3, '[)')
        and ($4::uuid is null or id <> $4)
      order by lower(busy_range)`),
    [orgId, from, to, excludeId ?? null],
  );
  return rows.map((r) => ({ start: r.s, end: r.e }));
}

/**
 * What slot search treats as busy in [from, to), in one round trip: busyRanges, plus the times
 * other calls hold (modules/slot-holds; a call's own holds are free to it).
 */
export async function busyAndHeldRanges(db: Db, orgId: string, from: Date, to: Date, exceptCallId: string | null): Promise<BusyRange[]> {
  // One JSON value of [start, end] epoch-ms pairs, not a row per range: a two-week search reads a
  // few hundred ranges, and decoding them row by row was a tenth of a checkAvailability's CPU.
  const { rows } = await db.query<{ ranges: [number, number][] }>(
    prepared(`select coalesce(json_agg(json_build_array(r.s, r.e)), '[]') as ranges from (
       select (extract(epoch from lower(busy_range)) * 1000)::float8 as s, (extract(epoch from upper(busy_range)) * 1000)::float8 as e
         from public.appointments
        where org_id = $1 and coalesce(provider, '') = '' and status in ${ACTIVE}
          and busy_range && tstzrange($2, $3, '[)')
       union all
       select (extract(epoch from lower(busy_range)) * 1000)::float8, (extract(epoch from upper(busy_range)) * 1000)::float8
         from public.slot_holds
        where org_id = $1 and expires_at > now() and busy_range && tstzrange($2, $3, '[)')
          and vapi_call_id is distinct from $4) r`),
    [orgId, from, to, exceptCallId],
  );
  return rows[0]!.ranges.map(([start, end]) => ({ start, end }));
}

/**
 * Serialises bookings of one clinic on the given local days until the transaction ends, so
 * competing callers queue and each sees the previous one's booking. Several days are locked in
 * a fixed order, so two reschedules crossing the same days cannot deadlock.
 */
export async function lockBookingDays(db: Db, orgId: string, localDays: string[]): Promise<void> {
  const days = [...new Set(localDays)].sort();
  await db.query(
    prepared(`select pg_advisory_xact_lock(hashtextextended('booking:' || $1::text || ':' || d, 0))
       from unnest($2::text[]) as d order by d`),
    [orgId, days],
  );
}

/**
 * Under the day lock: an active appointment this call already holds at `start` (idempotency per
 * (call, slot)), whether the requested span collides with anything else, and whether a call other
 * than `holderCallId` holds part of it (modules/slot-holds) — one round trip.
 */
export async function slotState(
  db: Db,
  orgId: string,
  input: { callId: string | null; start: Date; end: Date; bufferBefore: number; bufferAfter: number; excludeId?: string; holderCallId: string | null },
): Promise<{ existingId: string | null; conflict: boolean; heldElsewhere: boolean }> {
  const { rows } = await db.query(
    prepared(`select
       (select id from public.appointments
         where org_id = $1 and $2::text is not null and vapi_call_id = $2 and starts_at = $3 and status in ${ACTIVE}) as existing_id,
       exists (select 1 from public.appointments
                where org_id = $1 and coalesce(provider, '') = '' and status in ${ACTIVE}
                  and ($7::uuid is null or id <> $7)
                  and busy_range && public.appointment_busy_range($3, $4, $5, $6)) as conflict,
       exists (select 1 from public.slot_holds
                where org_id = $1 and expires_at > now() and vapi_call_id is distinct from $8
                  and busy_range && public.appointment_busy_range($3, $4, $5, $6)) as held_elsewhere`),
    [orgId, input.callId, input.start, input.end, input.bufferBefore, input.bufferAfter, input.excludeId ?? null, input.holderCallId],
  );
  const row = rows[0]!;
  return { existingId: row.existing_id, conflict: row.conflict, heldElsewhere: row.held_elsewhere };
}

export type NewAppointment = {
  contactId: string;
  serviceId: string | null;
  callId: string | null;
  start: Date;
  end: Date;
  bufferBefore: number;
  bufferAfter: number;
  idempotencyKey: string | null;
  notes: string | null;
  rescheduledFrom?: string | null;
  /** voice (default) or dashboard */
  source?: "voice" | "dashboard";
};

/**
 * Inserts the appointment, or returns null when the exclusion constraint (or the per-call
 * unique index) rejects it. ON CONFLICT DO NOTHING covers exclusion constraints too.
 */
export async function insertAppointment(db: Db, orgId: string, a: NewAppointment): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    prepared(`insert into public.appointments
       (org_id, contact_id, service_id, vapi_call_id, starts_at, ends_at, buffer_before_minutes, buffer_after_minutes,
        idempotency_key, notes, rescheduled_from, source)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     on conflict do nothing
     returning id`),
    [
      orgId,
      a.contactId,
      a.serviceId,
      a.callId,
      a.start,
      a.end,
      a.bufferBefore,
      a.bufferAfter,
      a.idempotencyKey,
      a.notes,
      a.rescheduledFrom ?? null,
      a.source ?? "voice",
    ],
  );
  return rows[0]?.id ?? null;
}

/**
 * The caller's contact upsert and the appointment insert in one statement (one round trip on
 * the booking path). Returns null when the no-overlap constraint rejects the appointment; the
 * caller then rolls the transaction back, contact change included.
 */
export async function insertAppointmentWithContact(
  db: Db,
  orgId: string,
  contact: BookingContactInput,
  a: Omit<NewAppointment, "contactId">,
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    prepared(`with contact as (${bookingContactUpsertSql(11)})
     insert into public.appointments
       (org_id, contact_id, service_id, vapi_call_id, starts_at, ends_at, buffer_before_minutes, buffer_after_minutes,
        idempotency_key, notes, source)
     select $1, contact.id, $2, $3, $4, $5, $6, $7, $8, $9, $10 from contact
     on conflict do nothing
     returning id`),
    [
      orgId,
      a.serviceId,
      a.callId,
      a.start,
      a.end,
      a.bufferBefore,
      a.bufferAfter,
      a.idempotencyKey,
      a.notes,
      a.source ?? "voice",
      ...bookingContactParams(orgId, contact),
    ],
  );
  return rows[0]?.id ?? null;
}

export type UpcomingAppointment = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  serviceId: string | null;
  serviceName: string | null;
  contactId: string;
  contactName: string | null;
  bufferBefore: number;
  bufferAfter: number;
  notes?: string | null;
};

/** A contact's active appointments that have not started yet, soonest first. */
export async function upcomingByPhone(db: Db, orgId: string, phone: string, now: Date): Promise<UpcomingAppointment[]> {
  const { rows } = await db.query(
    prepared(`select a.id, a.starts_at, a.ends_at, a.service_id, s.name as service_name, c.id as contact_id, c.name as contact_name,
            a.buffer_before_minutes, a.buffer_after_minutes
       from public.contacts c
       join public.appointments a on a.org_id = c.org_id and a.contact_id = c.id
       left join public.services s on s.id = a.service_id
      where c.org_id = $1 and c.phone = $2 and a.status in ${ACTIVE} and a.starts_at > $3
      order by a.starts_at
      limit 10`),
    [orgId, phone, now],
  );
  return rows.map((r) => ({
    id: r.id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    serviceId: r.service_id,
    serviceName: r.service_name,
    contactId: r.contact_id,
    contactName: r.contact_name,
    bufferBefore: r.buffer_before_minutes,
    bufferAfter: r.buffer_after_minutes,
  }));
}

/** Cancels an active appointment; false when it was no longer active (someone else got there first). */
export async function cancelActiveAppointment(db: Db, orgId: string, id: string, reason: string, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    prepared(`update public.appointments
        set status = 'cancelled', cancelled_at = $3, cancellation_reason = $4
      where org_id = $1 and id = $2 and status in ${ACTIVE}`),
    [orgId, id, now, reason],
  );
  return rowCount === 1;
}

/** One active appointment of the clinic by id, in the shape the engine changes (null: none, or no longer active). */
export async function activeAppointmentById(db: Db, orgId: string, id: string): Promise<UpcomingAppointment | null> {
  const { rows } = await db.query(
    prepared(`select a.id, a.starts_at, a.ends_at, a.service_id, s.name as service_name, a.contact_id, c.name as contact_name,
            a.buffer_before_minutes, a.buffer_after_minutes, a.notes
       from public.appointments a
       left join public.services s on s.id = a.service_id
       left join public.contacts c on c.id = a.contact_id
      where a.org_id = $1 and a.id = $2 and a.status in ${ACTIVE}`),
    [orgId, id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    serviceId: r.service_id,
    serviceName: r.service_name,
    contactId: r.contact_id,
    contactName: r.contact_name,
    bufferBefore: r.buffer_before_minutes,
    bufferAfter: r.buffer_after_minutes,
    notes: r.notes,
  };
}
