import { DateTime, type Zone } from "luxon";
import { z } from "zod";
import { vapiTools } from "@voxanne/contracts";
import { toE164 } from "../../../lib/phone";
import { humanDuration, localDay, openIntervalsOn, parseDateRequest, parseStart, parseTimeOfDay, speakDay } from "../../../lib/time";
import { clinicZone } from "../../../lib/zone";
import { closedOn, MAX_SEARCH_DAYS } from "../../../modules/booking/availability";
import { upcomingByPhone, type UpcomingAppointment } from "../../../modules/booking/queries";
import {
  bookAppointment,
  callBookingKey,
  cancelAppointment,
  durationFor,
  rescheduleAppointment,
  searchSlots,
  type BookingContext,
} from "../../../modules/booking/service";
import { releaseCallHolds } from "../../../modules/slot-holds/queries";
import { holdOffers } from "../../../modules/slot-holds/service";
import { activeServiceNames, findServiceByKeyword, type ServiceMatch } from "../../../modules/services/queries";
import { listOr, offerSlots, type Reply, slotHints, speakSlots, spokenClock, spokenDateTime, withAlternatives } from "../speech";
import { parseDateOfBirth } from "../../../modules/booking/caller-verification";
import { type ToolContext, type ToolOutcome, toolHandler } from "./types";
import { askForDetails, verifyForTool } from "./verification";

const PICK_ONE = "Ask which time suits the caller; when they choose, book with that slot's start from slots.";

const bookingContext = (ctx: ToolContext): BookingContext => ({
  db: ctx.db,
  clinic: ctx.clinic,
  now: ctx.now,
  callId: ctx.callId || null,
  jobs: ctx.jobs,
  calendarBusy: ctx.calendarBusy,
});

const zone = (ctx: ToolContext) => clinicZone(ctx.clinic.timezone);

async function serviceFor(ctx: ToolContext, words: string | undefined): Promise<{ service: ServiceMatch | null; unknown?: string }> {
  if (!words) return { service: null };
  const service = await findServiceByKeyword(ctx.db, ctx.clinic.orgId, words);
  return service ? { service } : { service: null, unknown: words };
}

async function unknownServiceError(ctx: ToolContext): Promise<ToolOutcome> {
  const names = await activeServiceNames(ctx.db, ctx.clinic.orgId);
  return { error: { say: `I'm not sure which treatment you mean. The clinic offers ${listOr(names)}.`, instructions: "Ask which one the caller wants." } };
}

/** For each following open day, the free start nearest the asked clock time: "Monday at 3 PM or Tuesday at 3 PM". */
async function nearAskedTime(booking: BookingContext, at: DateTime, afterDay: DateTime, durationMinutes: number, days = 3): Promise<DateTime[]> {
  const fromDay = afterDay.plus({ days: 1 });
  const slots = await searchSlots(booking, { fromDay, toDay: fromDay.plus({ days: MAX_SEARCH_DAYS - 1 }), durationMinutes, limit: 2000 });
  const askedMinute = at.hour * 60 + at.minute;
  const byDay = new Map<string, DateTime>();
  for (const slot of slots) {
    const key = slot.toISODate()!;
    const best = byDay.get(key);
    const distance = (s: DateTime) => Math.abs(s.hour * 60 + s.minute - askedMinute);
    if (!best || distance(slot) < distance(best)) byDay.set(key, slot);
  }
  return [...byDay.values()].slice(0, days);
}

function closedReason(ctx: ToolContext, from: DateTime, to: DateTime, timeOfDay: string | undefined): string {
  const oneDay = from.hasSame(to, "day");
  let allClosed = true;
  for (let d = from; d <= to; d = d.plus({ days: 1 })) if (!closedOn(ctx.clinic, d)) allClosed = false;
  const weekday = (d: DateTime) => d.setLocale("en-US").toFormat("cccc");
  if (allClosed)
    return oneDay
      ? `The clinic is closed on ${weekday(from)}, ${from.setLocale("en-US").toFormat("LLLL d")}.`
      : `The clinic is closed from ${speakDay(from)} to ${speakDay(to)}.`;
  const part = timeOfDay ? `${timeOfDay.replace("-", " ")} ` : "";
  return oneDay ? `There are no ${part}openings on ${speakDay(from)}.` : `There are no ${part}openings from ${speakDay(from)} to ${speakDay(to)}.`;
}

// checkAvailability ----------------------------------------------------------------------------

export const checkAvailabilityTool = toolHandler(
  vapiTools.checkAvailability,
  async (args, ctx) => {
    const tz = zone(ctx);
    const hours = ctx.clinic.businessHours;
    const booking = bookingContext(ctx);
    const words = args.date;
    const timeOfDay = parseTimeOfDay(args.timeOfDay) ?? parseTimeOfDay(words);
    const { service, unknown } = await serviceFor(ctx, args.service);
    if (unknown) return unknownServiceError(ctx);
    const duration = durationFor(ctx.clinic, service);
    const today = localDay(ctx.now, tz);
    // Whatever is offered is held for this call for a few minutes (modules/slot-holds).
    const hold = (slots: DateTime[]) => holdOffers(booking, slots, duration, ctx.slotHoldMinutes);

    let request = words ? parseDateRequest(words, ctx.now, tz, hours) : null;
    if (words && !request && !timeOfDay) {
      return {
        error: {
          say: "Which day would you like? For example tomorrow, or March 10.",
          instructions: "Call checkAvailability again with the day the caller names.",
        },
      };
    }
    const endWords = args.endDate;
    const end = endWords ? parseDateRequest(endWords, ctx.now, tz, hours) : null;
    request ??= { from: today, to: today.plus({ days: 6 }) };
    if (end && end.to > request.from) request = { from: request.from, to: end.to };

    if (request.to < today) {
      const next = await searchSlots(booking, { fromDay: today, toDay: today.plus({ days: MAX_SEARCH_DAYS }), durationMinutes: duration, timeOfDay, limit: 3 });
      return { result: withAlternatives(`${speakDay(request.from)} has already passed.`, await hold(next)), outcome: "past" };
    }
    const from = request.from < today ? today : request.from;
    const lastDay = from.plus({ days: MAX_SEARCH_DAYS - 1 });
    const to = request.to > lastDay ? lastDay : request.to;
    const oneDay = from.hasSame(to, "day");

    // A specific time was named: say whether it is free, then offer the nearest others.
    if (request.at && oneDay) {
      const daySlots = await searchSlots(booking, { fromDay: from, toDay: from, durationMinutes: duration, limit: 200 });
      const at = request.at.toMillis();
      const closest = daySlots
        .filter((s) => s.toMillis() !== at)
        .sort((a, b) => Math.abs(a.toMillis() - at) - Math.abs(b.toMillis() - at))
        .slice(0, 3);
      const asked = daySlots.find((s) => s.toMillis() === at);
      const held = await hold(asked ? [asked, ...closest.slice(0, 2)] : closest);
      const exact = held.find((s) => s.toMillis() === at);
      const nearest = held.filter((s) => s.toMillis() !== at).sort((a, b) => a.toMillis() - b.toMillis());
      if (exact) {
        const others = nearest.length ? ` I also have ${speakSlots(nearest, 200)}.` : "";
        return {
          result: { say: `Yes, ${spokenDateTime(exact)} is available.${others}`, instructions: PICK_ONE, slots: slotHints([exact, ...nearest]) },
          outcome: "available",
        };
      }
      if (nearest.length) return { result: withAlternatives(`${spokenDateTime(request.at)} isn't available.`, nearest), outcome: "unavailable" };
      // The day is closed or full: the asked time on the next open days, not their first morning slot.
      const why = closedOn(ctx.clinic, from) ? closedReason(ctx, from, from, undefined) : `${speakDay(from)} is fully booked.`;
      return { result: withAlternatives(why, await hold(await nearAskedTime(booking, request.at, from, duration))), outcome: "unavailable" };
    }

    const slots = await hold(await searchSlots(booking, { fromDay: from, toDay: to, durationMinutes: duration, timeOfDay, limit: 5, perDay: oneDay ? 5 : 3 }));
    if (slots.length > 0) return { result: offerSlots(`I have${service ? ` ${service.name}` : ""} openings on`, slots), outcome: "available" };

    const next = await searchSlots(booking, {
      fromDay: to.plus({ days: 1 }),
      toDay: to.plus({ days: MAX_SEARCH_DAYS }),
      durationMinutes: duration,
      timeOfDay,
      limit: 3,
    });
    return { result: withAlternatives(closedReason(ctx, from, to, timeOfDay), await hold(next)), outcome: "unavailable" };
  },
  { readOnly: true },
);

// bookClinicAppointment ------------------------------------------------------------------------

const Email = z.email();

const HAS_TIME = /\d{1,2}[:.]\d{2}|\d\s*(am|pm)\b|T\d{2}|\bnoon\b/i;
const USE_OFFERED_START = "Use a slot's start exactly as checkAvailability gave it in slots, like 2026-03-10T14:00:00-04:00.";

function readStart(
  args: { start?: string; newStart?: string; date?: string; time?: string },
  ctx: ToolContext,
  field: "start" | "newStart",
): { start?: DateTime; error?: Reply } {
  // Some models split the slot into a date and a time.
  let text = args[field];
  const { date, time } = args;
  if (text && time && !HAS_TIME.test(text)) text = `${text} at ${time}`;
  else if (!text && date) text = time && !HAS_TIME.test(date) ? `${date} at ${time}` : date;
  if (!text) return { error: { say: `What ${field === "newStart" ? "new " : ""}day and time would you like?`, instructions: USE_OFFERED_START } };
  const start = parseStart(text, ctx.now, zone(ctx), ctx.clinic.businessHours);
  if (!start) return { error: { say: "Sorry, which day and time was that?", instructions: `The start could not be read. ${USE_OFFERED_START}` } };
  return { start };
}

function problemLead(kind: "taken" | "past" | "too_soon" | "closed", ctx: ToolContext, start: DateTime, durationMinutes?: number): string {
  switch (kind) {
    case "taken":
      return `Sorry, ${spokenDateTime(start)} was just taken.`;
    case "past":
      return `${spokenDateTime(start)} has already passed.`;
    case "too_soon":
      return `${spokenDateTime(start)} is too soon: appointments need at least ${humanDuration(ctx.clinic.minBookingNoticeMinutes)} notice.`;
    case "closed": {
      const day = start.setZone(zone(ctx)).startOf("day");
      if (closedOn(ctx.clinic, day)) return closedReason(ctx, day, day, undefined);
      const open = openIntervalsOn(day, ctx.clinic.businessHours)
        .map((i) => `${spokenClock(i.start)} to ${spokenClock(i.end)}`)
        .join(" and ");
      const what = durationMinutes ? "an appointment" : "that time";
      return `The clinic is open ${open} on ${day.setLocale("en-US").toFormat("cccc")}, so ${what} at ${spokenClock(start)} doesn't fit.`;
    }
  }
}

export const bookClinicAppointmentTool = toolHandler(vapiTools.bookClinicAppointment, async (args, ctx) => {
  const name = args.name;
  if (!name) return { error: { say: "May I have the patient's full name for the booking?", instructions: "Then call bookClinicAppointment again with name." } };
  const { start, error } = readStart(args, ctx, "start");
  if (!start) return { error: error! };

  const phoneText = args.phone;
  const phone = phoneText ? toE164(phoneText, ctx.defaultCountry) : ctx.callerNumber;
  if (phoneText && !phone) return { error: { say: "Sorry, I didn't catch that number. Could you repeat it with the area code?" } };
  if (!phone) return { error: { say: "What's the best phone number for the booking?", instructions: "Then call bookClinicAppointment again with phone." } };

  const emailText = args.email;
  const email = emailText && Email.safeParse(emailText).success ? emailText.toLowerCase() : null;

  const serviceWords = args.service;
  const { service, unknown } = serviceWords ? await serviceFor(ctx, serviceWords) : { service: ctx.clinic.defaultService };
  if (unknown) return unknownServiceError(ctx);

  const outcome = await bookAppointment(bookingContext(ctx), {
    name,
    phone,
    email,
    // Kept on file as a verification factor only when the caller books under their own number (caller ID).
    dateOfBirth: args.dateOfBirth && ctx.callerNumber && phone === ctx.callerNumber ? parseDateOfBirth(args.dateOfBirth, ctx.now, ctx.defaultCountry) : null,
    notes: args.notes ?? null,
    service,
    start,
    idempotencyKey: callBookingKey(ctx.callId, ctx.toolCallId, start),
  });
  if (outcome.kind === "booked") {
    // Booked: the other times offered to this call are free for others again.
    if (ctx.callId) await releaseCallHolds(ctx.db, ctx.clinic.orgId, ctx.callId);
    const what = outcome.serviceName ? ` for ${outcome.serviceName}` : "";
    return {
      result: {
        say: `You're booked${what} on ${spokenDateTime(outcome.start)}, under ${name}. Your reference is ${outcome.appointmentId.slice(0, 6).toUpperCase().split("").join(" ")}.`,
      },
      outcome: outcome.alreadyBooked ? "already_booked" : "booked",
      appointmentId: outcome.appointmentId,
    };
  }
  return {
    result: withAlternatives(problemLead(outcome.kind, ctx, outcome.start, durationFor(ctx.clinic, service)), outcome.alternatives),
    outcome: outcome.kind,
  };
});

// Finding the caller's appointment (cancel / reschedule) ----------------------------------------

function listAppointments(list: UpcomingAppointment[], tz: Zone): string {
  return list
    .slice(0, 3)
    .map((a) => `${a.serviceName ? `${a.serviceName} on ` : ""}${spokenDateTime(DateTime.fromJSDate(a.startsAt, { zone: tz }))}`)
    .join(" and ");
}

/** The appointment a cancel or reschedule is about, if the caller may change it (modules/booking/caller-verification.ts). */
async function findCallersAppointment(
  args: { phone?: string; name?: string; dateOfBirth?: string; currentStart?: string },
  ctx: ToolContext,
  verb: "cancel" | "reschedule",
): Promise<{ appointment?: UpcomingAppointment; answer?: ToolOutcome }> {
  const tz = zone(ctx);
  const phoneText = args.phone;
  const argPhone = phoneText ? toE164(phoneText, ctx.defaultCountry) : null;
  if (phoneText && !argPhone) return { answer: { error: { say: "Sorry, I didn't catch that number. Could you repeat it with the area code?" } } };
  const phone = argPhone ?? ctx.callerNumber;
  if (!phone)
    return {
      answer: { error: { say: `What phone number was the appointment booked under?`, instructions: `Then call ${verb}Appointment again with phone.` } },
    };

  const check = await verifyForTool(ctx, { phone, requestedNumber: argPhone, name: args.name, dateOfBirth: args.dateOfBirth, request: verb });
  if (check.kind === "needs_details") {
    const why = ctx.callerNumber ? `to ${verb} a booking made under another number` : `to ${verb} a booking on a call without caller ID`;
    return { answer: { result: askForDetails(check.missing, `${verb}Appointment`, why), outcome: "verification_needed" } };
  }
  if (check.kind === "refused") {
    return {
      answer: {
        result: {
          say: `For your privacy I can't ${verb === "cancel" ? "cancel" : "change"} that booking from this number. The clinic will call the patient back on the number on file.`,
        },
        outcome: "not_verified",
      },
    };
  }
  const upcoming = await upcomingByPhone(ctx.db, ctx.clinic.orgId, phone, ctx.now);
  if (upcoming.length === 0) {
    return {
      answer: {
        result: { say: "I couldn't find an upcoming appointment under this phone number. Was it booked under a different number?" },
        outcome: "not_found",
      },
    };
  }

  let candidates = upcoming;
  const whenText = args.currentStart;
  if (whenText) {
    const exact = parseStart(whenText, ctx.now, tz, ctx.clinic.businessHours);
    const day = exact ? null : parseDateRequest(whenText, ctx.now, tz, ctx.clinic.businessHours);
    candidates = upcoming.filter((a) => {
      const local = DateTime.fromJSDate(a.startsAt, { zone: tz });
      if (exact) return local.toMillis() === exact.toMillis();
      if (!day) return false;
      const d = local.startOf("day");
      return d >= day.from && d <= day.to;
    });
    // "Thursday" said on a Thursday usually means the appointment on a Thursday, not today.
    if (candidates.length === 0 && !exact) {
      const lower = whenText.toLowerCase();
      candidates = upcoming.filter((a) => lower.includes(DateTime.fromJSDate(a.startsAt, { zone: tz }).setLocale("en-US").toFormat("cccc").toLowerCase()));
    }
    if (candidates.length === 0) {
      return {
        answer: {
          result: { say: `I don't see an appointment then. You have ${listAppointments(upcoming, tz)}. Which one should I ${verb}?` },
          outcome: "not_found",
        },
      };
    }
  }
  if (candidates.length > 1) {
    return {
      answer: {
        result: { say: `You have ${candidates.length} upcoming appointments: ${listAppointments(candidates, tz)}. Which one should I ${verb}?` },
        outcome: "ambiguous",
      },
    };
  }
  return { appointment: candidates[0]! };
}

function insideNotice(ctx: ToolContext, verb: "cancel" | "change", start: DateTime): Reply {
  return {
    say: `I can't ${verb} this appointment: changes need at least ${humanDuration(ctx.clinic.minCancelNoticeMinutes)} notice, and it starts ${spokenDateTime(start)}.`,
    instructions: "Offer to transfer the caller to the front desk or take a message for the clinic.",
  };
}

// cancelAppointment ----------------------------------------------------------------------------

export const cancelAppointmentTool = toolHandler(vapiTools.cancelAppointment, async (args, ctx) => {
  const found = await findCallersAppointment(args, ctx, "cancel");
  if (!found.appointment) return found.answer!;
  const appointment = found.appointment;
  const start = DateTime.fromJSDate(appointment.startsAt, { zone: zone(ctx) });
  const outcome = await cancelAppointment(bookingContext(ctx), appointment, args.reason ?? null);
  const what = appointment.serviceName ? `the ${appointment.serviceName} appointment` : "the appointment";
  switch (outcome.kind) {
    case "cancelled":
      return { result: { say: `I've cancelled ${what} on ${spokenDateTime(start)}.` }, outcome: "cancelled", appointmentId: appointment.id };
    case "inside_notice":
      return { result: insideNotice(ctx, "cancel", start), outcome: "inside_notice", appointmentId: appointment.id };
    case "gone":
      return { result: { say: "That appointment was already changed or cancelled a moment ago, so there's nothing else to do." }, outcome: "gone" };
  }
});

// rescheduleAppointment ------------------------------------------------------------------------

export const rescheduleAppointmentTool = toolHandler(vapiTools.rescheduleAppointment, async (args, ctx) => {
  const { start: newStart, error } = readStart(args, ctx, "newStart");
  if (!newStart) return { error: error! };
  const found = await findCallersAppointment(args, ctx, "reschedule");
  if (!found.appointment) return found.answer!;
  const outcome = await rescheduleAppointment(bookingContext(ctx), found.appointment, newStart, callBookingKey(ctx.callId, ctx.toolCallId, newStart));
  switch (outcome.kind) {
    case "rescheduled":
      if (ctx.callId) await releaseCallHolds(ctx.db, ctx.clinic.orgId, ctx.callId);
      return {
        result: { say: `Done: your appointment has moved from ${spokenDateTime(outcome.from)} to ${spokenDateTime(outcome.to)}.` },
        outcome: "rescheduled",
        appointmentId: outcome.appointmentId,
      };
    case "unchanged":
      return {
        result: { say: `Your appointment is already at ${spokenDateTime(outcome.to)}, so nothing changed.` },
        outcome: "unchanged",
        appointmentId: found.appointment.id,
      };
    case "inside_notice":
      return { result: insideNotice(ctx, "change", outcome.from), outcome: "inside_notice", appointmentId: found.appointment.id };
    case "gone":
      return {
        result: { say: "That appointment was changed or cancelled a moment ago.", instructions: "Check with the caller, then look it up again." },
        outcome: "gone",
      };
    default:
      return {
        result: withAlternatives(
          `${problemLead(outcome.kind, ctx, outcome.to)} Your appointment stays at ${spokenDateTime(outcome.from)}.`,
          outcome.alternatives,
        ),
        outcome: outcome.kind,
      };
  }
});
