/**
 * The front desk's appointments (the Appointments page): list, free slots, and booking, moving,
 * cancelling and reminding by hand. Every change goes through the booking engine
 * (modules/booking/service.ts) as `actor: "staff"`, so the rules, the day lock, the no-overlap
 * constraint, the clinic's Google free/busy and the follow-up jobs are the same as for a booking
 * made on the phone; each is audited in its own transaction.
 */
import { randomUUID } from "node:crypto";
import type { AppointmentItem, AppointmentsList, MessageOutcome, Slots } from "@voxanne/contracts";
import { DateTime } from "luxon";
import type { Db } from "../../db/database";
import { conflict, invalid, notFound } from "../../lib/domain-error";
import type { JobQueue } from "../../lib/job-queue";
import { countryForTimezone, toE164 } from "../../lib/phone";
import { isoStart, speakDateTime } from "../../lib/time";
import { type Actor, insertAudit } from "../audit/queries";
import { type BusyRange, findSlots } from "../booking/availability";
import { activeAppointmentById, busyRanges } from "../booking/queries";
import {
  type BookingContext,
  bookAppointment,
  cancelAppointment,
  durationFor,
  rescheduleAppointment,
  type SlotProblem,
  withoutOwnEvent,
} from "../booking/service";
import { clinicById } from "../clinic/queries";
import type { Clinic } from "../clinic/types";
import { recordPatientMessage, SMS_MAX_CHARS } from "../messages/patient-messages";
import { type AppointmentRow, appointmentRow, bookableServices, listAppointmentRows, markConfirmationSent, serviceById } from "./queries";

export type FrontDeskDeps = {
  jobs?: JobQueue;
  now: Date;
  /**
   * The clinic's Google free/busy, as the phone tools use it (never throws; [] when Google is slow
   * or down), read inside `db`: the change's own service-role transaction.
   */
  calendarBusy?: (db: Db, orgId: string, from: Date, to: Date) => Promise<BusyRange[]>;
};

const iso = (d: Date) => d.toISOString();

export function toAppointmentItem(r: AppointmentRow): AppointmentItem {
  return {
    id: r.id,
    startsAt: iso(r.starts_at),
    endsAt: iso(r.ends_at),
    status: r.status as AppointmentItem["status"],
    source: r.source as AppointmentItem["source"],
    service: r.service_id && r.service_name ? { id: r.service_id, name: r.service_name } : null,
    contact: r.contact_id && r.contact_phone ? { id: r.contact_id, name: r.contact_name, phone: r.contact_phone, email: r.contact_email } : null,
    notes: r.notes,
    confirmationSent: r.confirmation_sent,
    vapiCallId: r.vapi_call_id,
    rescheduledFrom: r.rescheduled_from,
    cancellationReason: r.cancellation_reason,
  };
}

async function clinicOf(db: Db, orgId: string): Promise<Clinic> {
  const clinic = await clinicById(db, orgId);
  if (!clinic) throw notFound("Your organization was not found.");
  return clinic;
}

async function itemOf(db: Db, orgId: string, id: string): Promise<AppointmentItem> {
  const row = await appointmentRow(db, orgId, id);
  if (!row) throw notFound("No appointment with this id in your clinic.");
  return toAppointmentItem(row);
}

export async function listAppointments(db: Db, orgId: string, query: { from: string; to: string; status: string; q?: string }): Promise<AppointmentsList> {
  const rows = await listAppointmentRows(db, orgId, query);
  const clinic = await clinicOf(db, orgId);
  return { items: rows.map(toAppointmentItem), timezone: clinic.timezone };
}

/** Free starts on one clinic-local day (the engine's rules: hours, notice, buffers, other bookings). */
export async function availableSlots(
  db: Db,
  orgId: string,
  deps: Pick<FrontDeskDeps, "now" | "calendarBusy">,
  query: { day: string; serviceId?: string; excludeAppointmentId?: string },
): Promise<Slots> {
  const { now } = deps;
  const clinic = await clinicOf(db, orgId);
  const day = DateTime.fromISO(query.day, { zone: clinic.timezone }).startOf("day");
  if (!day.isValid) throw invalid("day must be a real date, like 2026-03-10.", "invalid_day");
  const services = await bookableServices(db, orgId);
  const service = query.serviceId ? await serviceById(db, orgId, query.serviceId) : null;
  if (query.serviceId && !service) throw invalid("That service does not exist or is not active. Pick one from the list.", "unknown_service");
  let duration = durationFor(clinic, service);
  const moving = query.excludeAppointmentId ? await activeAppointmentById(db, orgId, query.excludeAppointmentId) : null;
  if (moving) duration = Math.round((moving.endsAt.getTime() - moving.startsAt.getTime()) / 60_000);
  // The range the engine's own checks ask Google for (modules/booking/service.ts), so one answer serves both.
  const from = day.minus({ days: 1 }).toJSDate();
  const to = day.plus({ days: 2 }).toJSDate();
  const [ours, theirs] = await Promise.all([busyRanges(db, orgId, from, to, query.excludeAppointmentId), deps.calendarBusy?.(db, orgId, from, to) ?? []]);
  const busy = [...ours, ...withoutOwnEvent(theirs, moving)];
  const slots = findSlots(clinic, { fromDay: day, toDay: day, durationMinutes: duration, busy, now, limit: 200 });
  return {
    day: day.toISODate()!,
    timezone: clinic.timezone,
    slots: slots.map((s) => isoStart(s)),
    services: services.map((s) => ({ id: s.id, name: s.name, durationMinutes: s.duration_minutes, price: Number(s.price) })),
  };
}

/** A start the engine refused, as the 409 the page shows (with the next free starts to pick from). */
function refused(kind: "taken" | SlotProblem, start: DateTime, alternatives: DateTime[], clinic: Clinic): never {
  const when = speakDateTime(start.setZone(clinic.timezone));
  const message: Record<typeof kind, string> = {
    taken: `${when} is already taken.`,
    past: `${when} has already passed.`,
    too_soon: `${when} is too soon: the clinic needs ${clinic.minBookingNoticeMinutes} minutes' notice.`,
    closed: `The clinic is not open for the whole appointment at ${when}.`,
  };
  const next = alternatives.length ? ` Next free: ${alternatives.map((a) => speakDateTime(a.setZone(clinic.timezone))).join("; ")}.` : " Pick another day.";
  throw conflict(
    message[kind] + next,
    kind === "taken" ? "slot_taken" : `slot_${kind}`,
    alternatives.map((a) => isoStart(a)),
  );
}

const staffContext = (db: Db, clinic: Clinic, deps: FrontDeskDeps): BookingContext => ({
  db,
  clinic,
  now: deps.now,
  callId: null,
  jobs: deps.jobs,
  calendarBusy: deps.calendarBusy && ((from, to) => deps.calendarBusy!(db, clinic.orgId, from, to)),
  actor: "staff",
});

export async function createAppointment(
  db: Db,
  actor: Actor,
  deps: FrontDeskDeps,
  body: { name: string; phone: string; email?: string; serviceId?: string; start: string; notes?: string },
): Promise<AppointmentItem> {
  const clinic = await clinicOf(db, actor.orgId);
  const phone = toE164(body.phone, countryForTimezone(clinic.timezone) ?? "US");
  if (!phone) throw invalid(`"${body.phone}" doesn't look like a phone number. Include the area code, like (212) 555-0123.`, "invalid_phone");
  const service = body.serviceId ? await serviceById(db, actor.orgId, body.serviceId) : clinic.defaultService;
  if (body.serviceId && !service) throw invalid("That service does not exist or is not active. Pick one from the list.", "unknown_service");
  const outcome = await bookAppointment(staffContext(db, clinic, deps), {
    name: body.name,
    phone,
    email: body.email ? body.email.toLowerCase() : null,
    dateOfBirth: null,
    notes: body.notes || null,
    service,
    start: DateTime.fromISO(body.start, { setZone: true }),
    idempotencyKey: `dashboard:${randomUUID()}`,
  });
  if (outcome.kind !== "booked") refused(outcome.kind, outcome.start, outcome.alternatives, clinic);
  await insertAudit(db, actor, {
    action: "appointment.created",
    targetType: "appointment",
    targetId: outcome.appointmentId,
    data: { startsAt: isoStart(outcome.start), service: outcome.serviceName },
  });
  return itemOf(db, actor.orgId, outcome.appointmentId);
}

async function activeOrRefuse(db: Db, orgId: string, id: string) {
  const appointment = await activeAppointmentById(db, orgId, id);
  if (appointment) return appointment;
  if (await appointmentRow(db, orgId, id))
    throw conflict("This appointment is already cancelled or completed, so it cannot be changed.", "appointment_not_active");
  throw notFound("No appointment with this id in your clinic.");
}

export async function moveAppointment(db: Db, actor: Actor, deps: FrontDeskDeps, id: string, start: string): Promise<AppointmentItem> {
  const clinic = await clinicOf(db, actor.orgId);
  const appointment = await activeOrRefuse(db, actor.orgId, id);
  const outcome = await rescheduleAppointment(
    staffContext(db, clinic, deps),
    appointment,
    DateTime.fromISO(start, { setZone: true }),
    `dashboard:${randomUUID()}`,
  );
  switch (outcome.kind) {
    case "unchanged":
      return itemOf(db, actor.orgId, id);
    case "inside_notice":
    case "gone":
      throw conflict("This appointment was just changed by someone else. Reload and try again.", "appointment_not_active");
    case "rescheduled":
      await insertAudit(db, actor, {
        action: "appointment.rescheduled",
        targetType: "appointment",
        targetId: outcome.appointmentId,
        data: { previousAppointmentId: id, from: isoStart(outcome.from), to: isoStart(outcome.to) },
      });
      return itemOf(db, actor.orgId, outcome.appointmentId);
    default:
      return refused(outcome.kind, outcome.to, outcome.alternatives, clinic);
  }
}

export async function cancelAppointmentByStaff(db: Db, actor: Actor, deps: FrontDeskDeps, id: string, reason: string | undefined): Promise<AppointmentItem> {
  const clinic = await clinicOf(db, actor.orgId);
  const appointment = await activeOrRefuse(db, actor.orgId, id);
  const outcome = await cancelAppointment(staffContext(db, clinic, deps), appointment, reason || "cancelled by the clinic");
  if (outcome.kind !== "cancelled") throw conflict("This appointment was just changed by someone else. Reload and try again.", "appointment_not_active");
  await insertAudit(db, actor, { action: "appointment.cancelled", targetType: "appointment", targetId: id, data: { reason: reason ?? null } });
  return itemOf(db, actor.orgId, id);
}

/** "Reminder: your Botox appointment at Sunrise Clinic is Tuesday, March 10 at 2:00 PM. Reply STOP to opt out." */
export function reminderText(clinicName: string, serviceName: string | null, start: DateTime): string {
  const text = `Reminder: your ${serviceName ? `${serviceName} ` : ""}appointment at ${clinicName} is ${speakDateTime(start)}. Reply STOP to opt out.`;
  return text.length <= SMS_MAX_CHARS ? text : `Reminder: your appointment is ${speakDateTime(start)}. Reply STOP to opt out.`;
}

export async function sendAppointmentReminder(
  db: Db,
  actor: Actor,
  deps: FrontDeskDeps,
  id: string,
  method: "sms" | "email",
): Promise<{ appointment: AppointmentItem; message: MessageOutcome }> {
  const clinic = await clinicOf(db, actor.orgId);
  const item = await itemOf(db, actor.orgId, id);
  if (item.status !== "booked" && item.status !== "confirmed") throw conflict("Only upcoming appointments get reminders.", "appointment_not_active");
  const start = DateTime.fromISO(item.startsAt, { zone: clinic.timezone });
  const message = await recordPatientMessage(db, actor.orgId, deps.jobs, {
    method,
    purpose: "reminder",
    recipient: method === "sms" ? (item.contact?.phone ?? null) : (item.contact?.email ?? null),
    content: reminderText(clinic.name, item.service?.name ?? null, start),
    contactId: item.contact?.id ?? null,
  });
  // Marked only when the reminder is on its way: a reminder that could not go out confirms nothing.
  if (message.status !== "not_sent" && message.status !== "failed") await markConfirmationSent(db, actor.orgId, id);
  await insertAudit(db, actor, {
    action: "appointment.reminder_sent",
    targetType: "appointment",
    targetId: id,
    data: { method, status: message.status, reason: message.reason },
  });
  return { appointment: await itemOf(db, actor.orgId, id), message };
}
