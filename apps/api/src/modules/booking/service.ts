import { DateTime, type Zone } from "luxon";
import type { Db } from "../../db/database";
import type { JobQueue } from "../../lib/job-queue";
import { isoStart, localDay, type TimeOfDay } from "../../lib/time";
import { clinicZone } from "../../lib/zone";
import type { Clinic } from "../clinic/types";
import { redactText } from "../pipeline/redaction";
import type { ServiceMatch } from "../services/queries";
import { enqueueAppointmentFollowUps } from "./follow-ups";
import { type BusyRange, earliestStart, findSlots, MAX_SEARCH_DAYS, overlapsAny, withinOpenHours } from "./availability";
import {
  busyAndHeldRanges,
  cancelActiveAppointment,
  insertAppointment,
  insertAppointmentWithContact,
  lockBookingDays,
  slotState,
  type UpcomingAppointment,
} from "./queries";

/**
 * The booking engine. Every function runs inside the caller's transaction for one
 * clinic. Availability is re-checked under a per-(org, local day) advisory lock, and the
 * exclusion constraint on appointments is the final guard if anything slips past the lock.
 */

export type BookingContext = {
  db: Db;
  clinic: Clinic;
  now: Date;
  callId: string | null;
  /** Where follow-up work (calendar, reminders) is queued, inside `db`'s transaction; absent = none. */
  jobs?: JobQueue;
  /** The clinic's own calendar's busy times (Google free/busy); never throws, answers [] when unknown. */
  calendarBusy?: CalendarBusy;
  /**
   * Who is booking: a caller on the phone (default) or clinic staff on the dashboard. Staff
   * bookings are stored with source `dashboard`, and the cancellation notice — a rule for patients
   * changing their own bookings by phone — does not stop the front desk moving or cancelling one.
   */
  actor?: "caller" | "staff";
};

/** Busy times outside our table between two instants (integrations/google/calendar.ts). Must not throw. */
export type CalendarBusy = (from: Date, to: Date) => Promise<BusyRange[]>;

const sourceOf = (ctx: BookingContext) => (ctx.actor === "staff" ? "dashboard" : "voice");

/** The insert was rejected by the database after the locked re-check passed; retry the whole call. */
export class SlotTakenAfterCheck extends Error {
  constructor() {
    super("appointment insert rejected by the no-overlap constraint after the availability check");
    this.name = "SlotTakenAfterCheck";
  }
}

const dayKey = (dt: DateTime, zone: string | Zone) => localDay(dt, zone).toISODate()!;

/** An appointment's length: its service's, else the clinic's default (consultation) service's, else one slot. */
export function durationFor(clinic: Clinic, service: ServiceMatch | null): number {
  return service?.durationMinutes ?? clinic.defaultService?.durationMinutes ?? clinic.slotMinutes;
}

export async function searchSlots(
  ctx: BookingContext,
  search: { fromDay: DateTime; toDay: DateTime; durationMinutes: number; timeOfDay?: TimeOfDay; notBefore?: DateTime; limit: number; perDay?: number },
): Promise<DateTime[]> {
  // One range query; a day of margin either side catches buffers that spill across midnight.
  const from = search.fromDay.minus({ days: 1 }).toJSDate();
  const to = search.toDay.plus({ days: 2 }).toJSDate();
  // Times held for other calls (modules/slot-holds) and the clinic's own calendar (Google) are busy too.
  const [ours, theirs] = await Promise.all([busyAndHeldRanges(ctx.db, ctx.clinic.orgId, from, to, ctx.callId), ctx.calendarBusy?.(from, to) ?? []]);
  return findSlots(ctx.clinic, { ...search, busy: [...ours, ...theirs], now: ctx.now });
}

/** The next free starts at or after `after` (up to two weeks ahead), for "taken — next free: …". */
export async function nextFreeSlots(ctx: BookingContext, after: DateTime, durationMinutes: number, limit = 3): Promise<DateTime[]> {
  const fromDay = localDay(after, ctx.clinic.timezone);
  return searchSlots(ctx, { fromDay, toDay: fromDay.plus({ days: MAX_SEARCH_DAYS }), durationMinutes, notBefore: after, limit });
}

export type SlotProblem = "past" | "too_soon" | "closed";

/** Rules a start must meet before we even look at the calendar. */
export function checkStart(clinic: Clinic, start: DateTime, durationMinutes: number, now: Date): SlotProblem | null {
  if (start.toMillis() <= now.getTime()) return "past";
  if (start.toMillis() < earliestStart(clinic, now)) return "too_soon";
  if (!withinOpenHours(clinic, start, durationMinutes)) return "closed";
  return null;
}

export type BookInput = {
  name: string;
  phone: string;
  email: string | null;
  /** YYYY-MM-DD, only when the booking is made from the patient's own number (never overwrites one on file). */
  dateOfBirth: string | null;
  notes: string | null;
  service: ServiceMatch | null;
  start: DateTime;
  idempotencyKey: string;
};

export type BookOutcome =
  | { kind: "booked"; appointmentId: string; start: DateTime; serviceName: string | null; alreadyBooked: boolean }
  | { kind: "taken" | SlotProblem; start: DateTime; alternatives: DateTime[] };

export async function bookAppointment(ctx: BookingContext, input: BookInput): Promise<BookOutcome> {
  const { db, clinic, now } = ctx;
  const duration = durationFor(clinic, input.service);
  const start = input.start.setZone(clinicZone(clinic.timezone));
  const end = start.plus({ minutes: duration });

  const problem = checkStart(clinic, start, duration, now);
  if (problem) {
    const from = problem === "closed" ? start : DateTime.fromMillis(Math.max(start.toMillis(), now.getTime()), { zone: start.zone });
    return { kind: problem, start, alternatives: await nextFreeSlots(ctx, from, duration) };
  }

  // Asked before the day lock, so a slow calendar never holds other callers of the day in line.
  const calendarBusy = await busyInCalendar(ctx, start, end);
  // Sent together (db/database.ts Db.query): the check still starts only once the lock is granted.
  const [, state] = await Promise.all([
    lockBookingDays(db, clinic.orgId, [dayKey(start, clinic.timezone)]),
    slotState(db, clinic.orgId, {
      callId: ctx.callId,
      start: start.toJSDate(),
      end: end.toJSDate(),
      bufferBefore: clinic.bufferBeforeMinutes,
      bufferAfter: clinic.bufferAfterMinutes,
      holderCallId: ctx.callId,
    }),
  ]);
  if (state.existingId) {
    return { kind: "booked", appointmentId: state.existingId, start, serviceName: input.service?.name ?? null, alreadyBooked: true };
  }
  // After the replay check: this call's own booking shows as busy in the calendar once its event is written.
  if (state.conflict || calendarBusy || state.heldElsewhere) {
    return { kind: "taken", start, alternatives: await nextFreeSlots(ctx, start, duration) };
  }

  const contact = { phone: input.phone, name: input.name, email: input.email, serviceName: input.service?.name ?? null, dateOfBirth: input.dateOfBirth, now };
  const appointmentId = await insertAppointmentWithContact(db, clinic.orgId, contact, {
    serviceId: input.service?.id ?? null,
    callId: ctx.callId,
    start: start.toJSDate(),
    end: end.toJSDate(),
    bufferBefore: clinic.bufferBeforeMinutes,
    bufferAfter: clinic.bufferAfterMinutes,
    idempotencyKey: input.idempotencyKey,
    // Callers read card numbers and birth dates into free text: stored redacted, like transcripts.
    notes: input.notes === null ? null : redactText(input.notes),
    source: sourceOf(ctx),
  });
  if (!appointmentId) throw new SlotTakenAfterCheck();
  await enqueueAppointmentFollowUps(ctx.jobs, db, { kind: "booked", orgId: clinic.orgId, appointmentId });
  return { kind: "booked", appointmentId, start, serviceName: input.service?.name ?? null, alreadyBooked: false };
}

/**
 * Busy ranges minus one appointment's own time: once synced, an appointment's event is busy in
 * Google too (integrations/google/events.ts), and must not stand in the way of moving it.
 */
export function withoutOwnEvent(busy: BusyRange[], own: { startsAt: Date; endsAt: Date } | null): BusyRange[] {
  if (!own) return busy;
  const cutStart = own.startsAt.getTime();
  const cutEnd = own.endsAt.getTime();
  return busy.flatMap((b) => {
    if (b.end <= cutStart || b.start >= cutEnd) return [b];
    return [...(b.start < cutStart ? [{ start: b.start, end: cutStart }] : []), ...(b.end > cutEnd ? [{ start: cutEnd, end: b.end }] : [])];
  });
}

/** Whether the clinic's own calendar is busy over the appointment (buffers included); false when unknown. */
async function busyInCalendar(ctx: BookingContext, start: DateTime, end: DateTime, moving: { startsAt: Date; endsAt: Date } | null = null): Promise<boolean> {
  if (!ctx.calendarBusy) return false;
  const day = localDay(start, ctx.clinic.timezone);
  // The same range searchSlots asks for, so a check-then-book pair reuses one free/busy answer.
  const busy = withoutOwnEvent(await ctx.calendarBusy(day.minus({ days: 1 }).toJSDate(), day.plus({ days: 2 }).toJSDate()), moving);
  const span = {
    start: start.toMillis() - ctx.clinic.bufferBeforeMinutes * 60_000,
    end: end.toMillis() + ctx.clinic.bufferAfterMinutes * 60_000,
  };
  return overlapsAny(span, busy);
}

function insideCancelNotice(ctx: BookingContext, appointment: UpcomingAppointment): boolean {
  if (ctx.actor === "staff") return false;
  return appointment.startsAt.getTime() - ctx.now.getTime() < ctx.clinic.minCancelNoticeMinutes * 60_000;
}

export type CancelOutcome = { kind: "cancelled" | "inside_notice" | "gone"; appointment: UpcomingAppointment };

export async function cancelAppointment(ctx: BookingContext, appointment: UpcomingAppointment, reason: string | null): Promise<CancelOutcome> {
  if (insideCancelNotice(ctx, appointment)) return { kind: "inside_notice", appointment };
  const ok = await cancelActiveAppointment(ctx.db, ctx.clinic.orgId, appointment.id, reason?.slice(0, 500) || "cancelled by caller", ctx.now);
  if (ok) await enqueueAppointmentFollowUps(ctx.jobs, ctx.db, { kind: "cancelled", orgId: ctx.clinic.orgId, appointmentId: appointment.id });
  return { kind: ok ? "cancelled" : "gone", appointment };
}

export type RescheduleOutcome =
  | { kind: "rescheduled"; appointmentId: string; from: DateTime; to: DateTime }
  | { kind: "unchanged"; to: DateTime }
  | { kind: "inside_notice" | "gone"; from: DateTime }
  | { kind: "taken" | SlotProblem; from: DateTime; to: DateTime; alternatives: DateTime[] };

/**
 * New booking + cancellation of the old one in the same transaction: both happen or neither.
 * The old appointment's own time does not count as busy for the new one.
 */
export async function rescheduleAppointment(
  ctx: BookingContext,
  appointment: UpcomingAppointment,
  newStart: DateTime,
  idempotencyKey: string,
): Promise<RescheduleOutcome> {
  const { db, clinic, now } = ctx;
  const zone = clinicZone(clinic.timezone);
  const from = DateTime.fromJSDate(appointment.startsAt, { zone });
  const to = newStart.setZone(zone);
  const duration = Math.round((appointment.endsAt.getTime() - appointment.startsAt.getTime()) / 60_000);

  if (insideCancelNotice(ctx, appointment)) return { kind: "inside_notice", from };
  if (to.toMillis() === from.toMillis()) return { kind: "unchanged", to };
  const problem = checkStart(clinic, to, duration, now);
  if (problem) {
    const after = problem === "closed" ? to : DateTime.fromMillis(Math.max(to.toMillis(), now.getTime()), { zone });
    return { kind: problem, from, to, alternatives: await nextFreeSlots(ctx, after, duration) };
  }

  // Asked before the day lock, as for a booking; the appointment's own event does not count.
  const calendarBusy = await busyInCalendar(ctx, to, to.plus({ minutes: duration }), appointment);
  const [, state] = await Promise.all([
    lockBookingDays(db, clinic.orgId, [dayKey(from, zone), dayKey(to, zone)]),
    slotState(db, clinic.orgId, {
      callId: null,
      start: to.toJSDate(),
      end: to.plus({ minutes: duration }).toJSDate(),
      bufferBefore: clinic.bufferBeforeMinutes,
      bufferAfter: clinic.bufferAfterMinutes,
      excludeId: appointment.id,
      holderCallId: ctx.callId,
    }),
  ]);
  if (state.conflict || state.heldElsewhere || calendarBusy) return { kind: "taken", from, to, alternatives: await nextFreeSlots(ctx, to, duration) };

  if (!(await cancelActiveAppointment(db, clinic.orgId, appointment.id, "rescheduled", now))) return { kind: "gone", from };
  const appointmentId = await insertAppointment(db, clinic.orgId, {
    contactId: appointment.contactId,
    serviceId: appointment.serviceId,
    callId: ctx.callId,
    start: to.toJSDate(),
    end: to.plus({ minutes: duration }).toJSDate(),
    bufferBefore: clinic.bufferBeforeMinutes,
    bufferAfter: clinic.bufferAfterMinutes,
    idempotencyKey,
    notes: appointment.notes ?? null,
    rescheduledFrom: appointment.id,
    source: sourceOf(ctx),
  });
  // Throwing rolls back the cancellation too: the caller keeps the old appointment.
  if (!appointmentId) throw new SlotTakenAfterCheck();
  await enqueueAppointmentFollowUps(ctx.jobs, db, { kind: "rescheduled", orgId: clinic.orgId, appointmentId, previousAppointmentId: appointment.id });
  return { kind: "rescheduled", appointmentId, from, to };
}

/**
 * The idempotency key of a booking made on a call: one per tool call, or per (call, start) when
 * the tool call has no id (legacy function-call), so a replayed request never books twice.
 */
export function callBookingKey(callId: string, toolCallId: string, start: DateTime): string {
  return `vapi:${callId}:${toolCallId || isoStart(start)}`;
}
