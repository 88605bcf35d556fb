import { DateTime } from "luxon";
import { z } from "zod";
import { vapiTools } from "@voxanne/contracts";
import { toE164 } from "../../../lib/phone";
import { humanDuration, isoStart, localDay, parseDateRequest, parseStart, parseTimeOfDay, speakDateTime, speakDay } from "../../../lib/time";
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
import { activeServiceNames, findServiceByKeyword, type ServiceMatch } from "../../../modules/services/queries";
import { MAX_RESULT_CHARS, speakSlots, withAlternatives } from "../speech";
import { parseDateOfBirth } from "../../../modules/booking/caller-verification";
import { type ToolContext, type ToolOutcome, toolHandler } from "./types";
import { askForDetails, verifyForTool } from "./verification";

const bookingContext = (ctx: ToolContext): BookingContext => ({
  db: ctx.db,
  clinic: ctx.clinic,
  now: ctx.now,
  callId: ctx.callId || null,
  jobs: ctx.jobs,
  calendarBusy: ctx.calendarBusy,
});

const zone = (ctx: ToolContext) => ctx.clinic.timezone;

async function serviceFor(ctx: ToolContext, words: string | undefined): Promise<{ service: ServiceMatch | null; unknown?: string }> {
  if (!words) return { service: null };
  const service = await findServiceByKeyword(ctx.db, ctx.clinic.orgId, words);
  return service ? { service } : { service: null, unknown: words };
}

async function unknownServiceError(ctx: ToolContext, words: string): Promise<ToolOutcome> {
  const names = await activeServiceNames(ctx.db, ctx.clinic.orgId);
  return { error: `The clinic has no service called "${words.slice(0, 60)}". Services offered: ${names.join(", ")}. Ask which one the caller wants.` };
}

// checkAvailability ----------------------------------------------------------------------------

export const checkAvailabilityTool = toolHandler(
  vapiTools.checkAvailability,
  async (args, ctx) => {
    const tz = zone(ctx);
    const booking = bookingContext(ctx);
    const words = args.date;
    const timeOfDay = parseTimeOfDay(args.timeOfDay) ?? parseTimeOfDay(words);
    const { service } = await serviceFor(ctx, args.service);
    const duration = durationFor(ctx.clinic, service);
    const today = localDay(ctx.now, tz);

    let request = words ? parseDateRequest(words, ctx.now, tz) : null;
    if (words && !request && !timeOfDay) {
      return { error: `I couldn't tell which day "${words.slice(0, 60)}" means. Ask the caller for a day, like tomorrow or March 10.` };
    }
    const endWords = args.endDate;
    const end = endWords ? parseDateRequest(endWords, ctx.now, tz) : null;
    request ??= { from: today, to: today.plus({ days: 6 }) };
    if (end && end.to > request.from) request = { from: request.from, to: end.to };

    if (request.to < today) {
      const next = await searchSlots(booking, { fromDay: today, toDay: today.plus({ days: MAX_SEARCH_DAYS }), durationMinutes: duration, timeOfDay, limit: 3 });
      return { result: withAlternatives(`${speakDay(request.from)} has already passed.`, next), outcome: "past" };
    }
    const from = request.from < today ? today : request.from;
    const lastDay = from.plus({ days: MAX_SEARCH_DAYS - 1 });
    const to = request.to > lastDay ? lastDay : request.to;
    const oneDay = from.hasSame(to, "day");
    const label = oneDay ? speakDay(from) : `${speakDay(from)} to ${speakDay(to)}`;

    // A specific time was named: say whether it is free, then offer the nearest others.
    if (request.at && oneDay) {
      const daySlots = await searchSlots(booking, { fromDay: from, toDay: from, durationMinutes: duration, limit: 200 });
      const at = request.at.toMillis();
      const exact = daySlots.find((s) => s.toMillis() === at);
      const nearest = daySlots
        .filter((s) => s.toMillis() !== at)
        .sort((a, b) => Math.abs(a.toMillis() - at) - Math.abs(b.toMillis() - at))
        .slice(0, exact ? 2 : 3)
        .sort((a, b) => a.toMillis() - b.toMillis());
      if (exact) {
        const lead = `Yes, ${speakDateTime(exact)} is available (start ${isoStart(exact)}).`;
        const others = nearest.length ? ` Other times: ${speakSlots(nearest, MAX_RESULT_CHARS - lead.length - 15)}.` : "";
        return { result: lead + others, outcome: "available" };
      }
      if (nearest.length) {
        const lead = `${speakDateTime(request.at)} is not available. The nearest free times are `;
        return { result: `${lead}${speakSlots(nearest, MAX_RESULT_CHARS - lead.length - 1)}.`, outcome: "unavailable" };
      }
    }

    const slots = await searchSlots(booking, { fromDay: from, toDay: to, durationMinutes: duration, timeOfDay, limit: 5, perDay: oneDay ? 5 : 3 });
    if (slots.length > 0) {
      const intro = `Available times${service ? ` for ${service.name}` : ""}: `;
      return { result: `${intro}${speakSlots(slots, MAX_RESULT_CHARS - intro.length - 1)}.`, outcome: "available" };
    }

    let allClosed = true;
    for (let d = from; d <= to; d = d.plus({ days: 1 })) if (!closedOn(ctx.clinic, d)) allClosed = false;
    const why = allClosed
      ? `The clinic is closed ${oneDay ? `on ${label}` : `from ${label}`}.`
      : `There are no ${timeOfDay ? `${timeOfDay} ` : ""}openings ${oneDay ? `on ${label}` : `from ${label}`}.`;
    const next = await searchSlots(booking, {
      fromDay: to.plus({ days: 1 }),
      toDay: to.plus({ days: MAX_SEARCH_DAYS }),
      durationMinutes: duration,
      timeOfDay,
      limit: 3,
    });
    return { result: withAlternatives(why, next), outcome: "unavailable" };
  },
  { readOnly: true },
);

// bookClinicAppointment ------------------------------------------------------------------------

const Email = z.email();

const HAS_TIME = /\d{1,2}[:.]\d{2}|\d\s*(am|pm)\b|T\d{2}|\bnoon\b/i;

function readStart(
  args: { start?: string; newStart?: string; date?: string; time?: string },
  ctx: ToolContext,
  field: "start" | "newStart",
): { start?: DateTime; error?: string } {
  // Some models split the slot into a date and a time.
  let text = args[field];
  const { date, time } = args;
  if (text && time && !HAS_TIME.test(text)) text = `${text} at ${time}`;
  else if (!text && date) text = time && !HAS_TIME.test(date) ? `${date} at ${time}` : date;
  if (!text) {
    return {
      error: `I need the ${field === "newStart" ? "new " : ""}appointment time. Use a start exactly as checkAvailability gave it, like 2026-03-10T14:00:00-04:00.`,
    };
  }
  const start = parseStart(text, ctx.now, zone(ctx));
  if (!start) return { error: `I couldn't read "${text.slice(0, 60)}" as a date and time. Use a start exactly as checkAvailability gave it.` };
  return { start };
}

function problemLead(kind: "taken" | "past" | "too_soon" | "closed", ctx: ToolContext, start: DateTime): string {
  switch (kind) {
    case "taken":
      return `That time was just taken — ${speakDateTime(start)} is no longer free.`;
    case "past":
      return `${speakDateTime(start)} has already passed.`;
    case "too_soon":
      return `${speakDateTime(start)} is too soon: appointments need at least ${humanDuration(ctx.clinic.minBookingNoticeMinutes)} notice.`;
    case "closed":
      return `The clinic isn't open for the whole appointment at ${speakDateTime(start)}.`;
  }
}

export const bookClinicAppointmentTool = toolHandler(vapiTools.bookClinicAppointment, async (args, ctx) => {
  const name = args.name;
  if (!name) return { error: "I need the patient's full name to book. Ask for it, then call bookClinicAppointment again." };
  const { start, error } = readStart(args, ctx, "start");
  if (!start) return { error: error! };

  const phoneText = args.phone;
  const phone = phoneText ? toE164(phoneText, ctx.defaultCountry) : ctx.callerNumber;
  if (phoneText && !phone) return { error: `"${phoneText.slice(0, 40)}" doesn't look like a phone number. Ask the caller to repeat it with the area code.` };
  if (!phone) return { error: "I need a phone number for the booking. Ask the caller for their number, then try again." };

  const emailText = args.email;
  const email = emailText && Email.safeParse(emailText).success ? emailText.toLowerCase() : null;

  const serviceWords = args.service;
  const { service, unknown } = serviceWords ? await serviceFor(ctx, serviceWords) : { service: ctx.clinic.defaultService };
  if (unknown) return unknownServiceError(ctx, unknown);

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
    const what = outcome.serviceName ? ` for ${outcome.serviceName}` : "";
    return {
      result: `Booked: ${speakDateTime(outcome.start)}${what}, under ${name}. Reference ${outcome.appointmentId.slice(0, 6).toUpperCase()}.`,
      outcome: outcome.alreadyBooked ? "already_booked" : "booked",
      appointmentId: outcome.appointmentId,
    };
  }
  return { result: withAlternatives(problemLead(outcome.kind, ctx, outcome.start), outcome.alternatives), outcome: outcome.kind };
});

// Finding the caller's appointment (cancel / reschedule) ----------------------------------------

function listAppointments(list: UpcomingAppointment[], tz: string): string {
  return list
    .slice(0, 3)
    .map((a) => `${speakDateTime(DateTime.fromJSDate(a.startsAt, { zone: tz }))}${a.serviceName ? ` (${a.serviceName})` : ""}`)
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
  if (phoneText && !argPhone)
    return { answer: { error: `"${phoneText.slice(0, 40)}" doesn't look like a phone number. Ask the caller to repeat it with the area code.` } };
  const phone = argPhone ?? ctx.callerNumber;
  if (!phone) return { answer: { error: `I need the phone number the appointment was booked under to ${verb} it. Ask the caller for it.` } };

  const check = await verifyForTool(ctx, { phone, requestedNumber: argPhone, name: args.name, dateOfBirth: args.dateOfBirth, request: verb });
  if (check.kind === "needs_details") {
    const why = ctx.callerNumber ? `to ${verb} a booking made under another number` : `to ${verb} a booking on a call without caller ID`;
    return { answer: { result: askForDetails(check.missing, `${verb}Appointment`, why), outcome: "verification_needed" } };
  }
  if (check.kind === "refused") {
    return {
      answer: {
        result: `For your privacy I can't ${verb === "cancel" ? "cancel" : "change"} that booking from this number. Tell the caller the clinic will call the patient back on the number on file.`,
        outcome: "not_verified",
      },
    };
  }
  const upcoming = await upcomingByPhone(ctx.db, ctx.clinic.orgId, phone, ctx.now);
  if (upcoming.length === 0) {
    return {
      answer: {
        result: `I couldn't find an upcoming appointment under this phone number. Ask whether it was booked under a different number.`,
        outcome: "not_found",
      },
    };
  }

  let candidates = upcoming;
  const whenText = args.currentStart;
  if (whenText) {
    const exact = parseStart(whenText, ctx.now, tz);
    const day = exact ? null : parseDateRequest(whenText, ctx.now, tz);
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
          result: `There is no appointment at "${whenText.slice(0, 60)}". Upcoming: ${listAppointments(upcoming, tz)}. Ask which one to ${verb}.`,
          outcome: "not_found",
        },
      };
    }
  }
  if (candidates.length > 1) {
    return {
      answer: {
        result: `The caller has ${candidates.length} upcoming appointments: ${listAppointments(candidates, tz)}. Ask which one to ${verb}.`,
        outcome: "ambiguous",
      },
    };
  }
  return { appointment: candidates[0]! };
}

function insideNotice(ctx: ToolContext, verb: "cancel" | "change", start: DateTime): string {
  return (
    `I can't ${verb} this appointment: changes need at least ${humanDuration(ctx.clinic.minCancelNoticeMinutes)} notice, ` +
    `and it starts ${speakDateTime(start)}. Offer to transfer the caller to the front desk or take a message for the clinic.`
  );
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
      return { result: `Cancelled ${what} on ${speakDateTime(start)}.`, outcome: "cancelled", appointmentId: appointment.id };
    case "inside_notice":
      return { result: insideNotice(ctx, "cancel", start), outcome: "inside_notice", appointmentId: appointment.id };
    case "gone":
      return { result: `That appointment was already changed or cancelled a moment ago; nothing else to do.`, outcome: "gone" };
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
      return {
        result: `Rescheduled: moved from ${speakDateTime(outcome.from)} to ${speakDateTime(outcome.to)}.`,
        outcome: "rescheduled",
        appointmentId: outcome.appointmentId,
      };
    case "unchanged":
      return {
        result: `The appointment is already at ${speakDateTime(outcome.to)}; nothing changed.`,
        outcome: "unchanged",
        appointmentId: found.appointment.id,
      };
    case "inside_notice":
      return { result: insideNotice(ctx, "change", outcome.from), outcome: "inside_notice", appointmentId: found.appointment.id };
    case "gone":
      return { result: `That appointment was changed or cancelled a moment ago. Check with the caller and look it up again.`, outcome: "gone" };
    default:
      return {
        result: withAlternatives(
          `${problemLead(outcome.kind, ctx, outcome.to)} The appointment stays at ${speakDateTime(outcome.from)}.`,
          outcome.alternatives,
        ),
        outcome: outcome.kind,
      };
  }
});
