import { expireStaleVerifications } from "../modules/telephony/queries";
import { defineJob } from "./runner";

export const CALLER_ID_CLEANUP_JOB = "caller-id-cleanup";
/** Daily at 03:00 UTC (the daily verification cleanup). */
export const CALLER_ID_CLEANUP_CRON = "0 3 * * *";

/**
 * The daily caller-ID cleanup: pending verifications whose 10-minute window passed become
 * expired, confirm locks that ran out are lifted (with fresh attempts), and verification-call
 * history older than a day is pruned. Every clinic in one transaction; idempotent, so a retry
 * or two runners change nothing twice.
 */
export const callerIdCleanupJob = defineJob<object>({
  name: CALLER_ID_CLEANUP_JOB,
  cron: CALLER_ID_CLEANUP_CRON,
  concurrency: 1,
  handler: async (_data, { db, logger }) => {
    const result = await db.asSystem((tx) => expireStaleVerifications(tx));
    logger.info(result, "caller-ID cleanup done");
  },
});
