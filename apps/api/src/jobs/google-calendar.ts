/**
 * Google Calendar jobs: the event write after every booking, reschedule and cancellation
 * (integrations/google/events.ts), the daily check that each clinic's token still refreshes, and
 * the alert that tells a clinic its calendar needs reconnecting.
 */
import { GOOGLE_RECONNECT_ALERT_JOB, type GoogleCalendar } from "../integrations/google/calendar";
import { GOOGLE_CALENDAR_SYNC_JOB, syncAppointmentEvent } from "../integrations/google/events";
import type { AppointmentChange } from "../modules/booking/follow-ups";
import { sweepOAuthStates } from "../modules/calendar/queries";
import { orgsWithCredential } from "../modules/credentials/queries";
import { clinicAlertNumber } from "../modules/messages/queries";
import { recordClinicSms, sendRecordedSms } from "./clinic-sms";
import { defineJob } from "./runner";

declare module "./runner" {
  interface JobServices {
    google?: GoogleCalendar;
  }
}

export const googleCalendarSyncJob = defineJob<AppointmentChange>({
  name: GOOGLE_CALENDAR_SYNC_JOB,
  // Google outages pass: 10 s, 20 s, 40 s … about 10 minutes in all; the failure is on the
  // appointment meanwhile, and the daily check queues anything still unwritten.
  retryLimit: 6,
  retryDelay: 10,
  handler: async (change, { db, logger, clock, services }) => {
    if (!services.google?.configured) return;
    await syncAppointmentEvent({ google: services.google, db, logger, now: clock.now() }, change);
  },
});

export const GOOGLE_TOKEN_CHECK_JOB = "google-token-check";

/**
 * Daily: every connected clinic's refresh token is refreshed once (a dead one becomes
 * needs_reconnect today, not during a patient's call), appointments whose event is still
 * unwritten are queued again, and redeemed OAuth states past their expiry are forgotten.
 */
export const googleTokenCheckJob = defineJob<object>({
  name: GOOGLE_TOKEN_CHECK_JOB,
  cron: "17 4 * * *",
  retryLimit: 1,
  concurrency: 1,
  expireInSeconds: 1800,
  handler: async (_data, { db, logger, clock, services }) => {
    await db.asSystem((tx) => sweepOAuthStates(tx, clock.now()));
    const google = services.google;
    if (!google?.configured) return;
    const orgIds = await db.asSystem((tx) => orgsWithCredential(tx, "google", "active"));
    const outcomes: Record<string, number> = {};
    for (const orgId of orgIds) {
      const outcome = await google.checkToken(orgId);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    logger.info({ clinics: orgIds.length, outcomes }, "Google token check done");
  },
});

export const googleReconnectAlertJob = defineJob<{ orgId: string }>({
  name: GOOGLE_RECONNECT_ALERT_JOB,
  retryLimit: 3,
  retryDelay: 5,
  handler: async ({ orgId }, { db, logger, clock, services }) => {
    const content = "Voxanne: Google Calendar stopped accepting our access, so bookings are kept in Voxanne only. Reconnect it on the Integrations page.";
    const { message, recipient } = await db.asService(orgId, async (tx) => {
      const recipient = await clinicAlertNumber(tx, orgId);
      const message = await recordClinicSms(tx, orgId, {
        purpose: "integration_alert",
        recipient,
        content,
        noRecipientReason: "No alert number is set. Add one in Settings to be texted when Google Calendar needs reconnecting.",
        idempotencyKey: `google-reconnect:${orgId}:${clock.now().toISOString().slice(0, 10)}`,
      });
      return { message, recipient };
    });
    const status = await sendRecordedSms({ db, services }, orgId, message, recipient, content);
    logger.info({ orgId, messageId: message.id, status }, "Google reconnect alert handled");
  },
});
