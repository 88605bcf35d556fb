import { DateTime } from "luxon";
import type { calendar_v3 } from "@googleapis/calendar";
import type { Database } from "../../db/database";
import type { Logger } from "../../logger";
import type { AppointmentChange } from "../../modules/booking/follow-ups";
import { type AppointmentForSync, appointmentForSync, recordCalendarFailed, recordCalendarPending, recordCalendarSynced } from "../../modules/calendar/queries";
import type { GoogleCalendar } from "./calendar";

export { GOOGLE_CALENDAR_SYNC_JOB } from "./calendar";
import { CLINIC_CALENDAR_ID, googleFailure, googleMessage } from "./client";

/**
 * Writes one appointment change to the clinic's Google Calendar. The job is state-based: it reads
 * the appointment as it is now, so a retried or late job does the right thing whatever ran in
 * between (a booking job that runs after the cancel finds nothing to write).
 *
 * - booked: insert with a deterministic event id; 409 means an earlier attempt got through.
 * - rescheduled: PATCH the previous appointment's event to the new time (it becomes this
 *   appointment's event); if that event does not exist, insert one for this appointment.
 * - cancelled: DELETE the event; 404 / 410 mean it is already gone.
 *
 * Outcome on the appointment: google_event_id, google_sync_status synced / failed with Google's
 * message. `invalid_grant` marks the connection needs_reconnect and stops (the appointments are
 * written again after the clinic reconnects); any other failure throws, so pg-boss retries.
 */

/** Google event ids are base32hex (a–v, 0–9), 5–1024 long: an appointment's UUID without dashes is hex, a subset. */
export function calendarEventId(appointmentId: string): string {
  return appointmentId.replace(/-/g, "").toLowerCase();
}

export const NEEDS_RECONNECT_ERROR = "Google Calendar needs reconnecting (Integrations page); the event is written once it is reconnected.";

function eventBody(a: AppointmentForSync): calendar_v3.Schema$Event {
  const at = (d: Date) => ({ dateTime: DateTime.fromJSDate(d, { zone: a.timezone }).toISO({ suppressMilliseconds: true })!, timeZone: a.timezone });
  return {
    summary: `${a.serviceName ?? "Appointment"} — ${a.contactName ?? "patient"}`,
    description: "Booked through the Voxanne receptionist. Change or cancel it in Voxanne, not here.",
    start: at(a.startsAt),
    end: at(a.endsAt),
    extendedProperties: { private: { voxanneAppointmentId: a.id } },
  };
}

type Outcome = { eventId: string | null } | { skipped: true };

export async function syncAppointmentEvent(
  deps: { google: GoogleCalendar; db: Database; logger: Logger; now: Date },
  change: AppointmentChange,
): Promise<void> {
  const { google, db, logger } = deps;
  const { orgId, appointmentId } = change;
  const prepared = await db.asService(orgId, async (tx) => {
    const connection = await google.connection(tx, orgId);
    const appointment = await appointmentForSync(tx, orgId, appointmentId);
    if (!appointment) return null;
    if (connection.kind === "needs_reconnect") {
      await recordCalendarFailed(tx, orgId, appointmentId, NEEDS_RECONNECT_ERROR);
      return null;
    }
    if (connection.kind !== "ready") return null;
    await recordCalendarPending(tx, orgId, appointmentId);
    const previous = appointment.rescheduledFrom ? await appointmentForSync(tx, orgId, appointment.rescheduledFrom) : null;
    return { calendar: connection.calendar, appointment, previous };
  });
  if (!prepared) return;
  const { calendar, appointment, previous } = prepared;

  let outcome: Outcome;
  try {
    outcome = await writeEvent(calendar, appointment, previous);
  } catch (err) {
    const failure = googleFailure(err);
    const message = failure === "invalid_grant" ? NEEDS_RECONNECT_ERROR : googleMessage(err);
    await db.asService(orgId, (tx) => recordCalendarFailed(tx, orgId, appointmentId, message));
    if (failure === "invalid_grant") {
      await google.needsReconnect(orgId, err);
      return;
    }
    logger.warn({ orgId, appointmentId, err: message }, "Google Calendar write failed; it will be retried");
    throw new Error(`Google Calendar write failed: ${message}`);
  }
  if ("skipped" in outcome) return;
  await db.asService(orgId, (tx) => recordCalendarSynced(tx, orgId, appointmentId, outcome.eventId, deps.now));
  logger.info({ orgId, appointmentId, change: change.kind }, "appointment written to Google Calendar");
}

async function writeEvent(calendar: calendar_v3.Calendar, a: AppointmentForSync, previous: AppointmentForSync | null): Promise<Outcome> {
  const calendarId = CLINIC_CALENDAR_ID;
  if (!a.active) {
    // Rescheduled away: the new appointment moves this event, nothing to delete.
    if (a.replaced) return { skipped: true };
    const eventId = a.googleEventId ?? calendarEventId(a.id);
    try {
      await calendar.events.delete({ calendarId, eventId, sendUpdates: "none" });
    } catch (err) {
      if (googleFailure(err) !== "gone") throw err;
    }
    return { eventId: null };
  }

  const body = eventBody(a);
  if (previous) {
    // A reschedule moves the event the previous appointment had.
    const eventId = previous.googleEventId ?? calendarEventId(previous.id);
    try {
      await calendar.events.patch({ calendarId, eventId, sendUpdates: "none", requestBody: body });
      return { eventId };
    } catch (err) {
      if (googleFailure(err) !== "gone") throw err;
    }
  }
  const eventId = a.googleEventId ?? calendarEventId(a.id);
  try {
    await calendar.events.insert({ calendarId, sendUpdates: "none", requestBody: { ...body, id: eventId } });
  } catch (err) {
    // The id is ours and deterministic: 409 means an earlier attempt already created it.
    if (googleFailure(err) !== "duplicate") throw err;
  }
  return { eventId };
}
