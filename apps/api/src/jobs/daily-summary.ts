import type { Config } from "../config";
import { DAILY_SUMMARY_JOB, sendDailySummaries } from "../modules/daily-summary/service";
import { defineJob } from "./runner";

declare module "./runner" {
  interface JobServices {
    /** The settings emails are sent with (SMTP_URL, EMAIL_FROM, PUBLIC_WEB_URL). */
    email?: { config: Config };
  }
}

/**
 * Hourly (UTC): the clinics where it is now 7:00 get their owners' summaries of yesterday
 * (modules/daily-summary/service.ts). Retries are safe: one email per owner and day.
 */
export const dailySummaryJob = defineJob<object>({
  name: DAILY_SUMMARY_JOB,
  cron: "0 * * * *",
  retryLimit: 2,
  retryDelay: 60,
  concurrency: 1,
  handler: async (_data, { db, clock, logger, services }) => {
    if (!services.email) {
      logger.warn("daily summary skipped: the job runner was started without the email service");
      return;
    }
    const sent = await sendDailySummaries({ db, config: services.email.config }, clock.now());
    if (sent > 0) logger.info({ sent }, "daily summaries sent");
  },
});
