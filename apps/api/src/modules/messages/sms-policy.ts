import { DateTime } from "luxon";
import type { Db } from "../../db/database";
import { OPTED_OUT, type SmsOutcome, type SmsReasonCode } from "./sms";
import * as q from "./queries";
import { quietUntil } from "./quiet-hours";

export type SmsDecision = { kind: "send" } | { status: "not_sent"; reason: string; code: SmsReasonCode } | Extract<SmsOutcome, { status: "deferred" }>;

/**
 * Whether a text may go now, decided under the clinic's send lock (run it in the transaction that
 * claims the message): opted-out recipients get nothing, patient texts wait out the clinic's quiet
 * hours, and at most `sms_hourly_limit` texts leave in any rolling hour. With `messageId`, the
 * message is claimed (its sent_at set) before the lock is released, so concurrent senders count it.
 */
export async function decideSms(
  tx: Db,
  orgId: string,
  input: { to: string; audience: "patient" | "clinic"; now: Date; messageId?: string },
): Promise<SmsDecision> {
  await q.lockSmsSending(tx, orgId);
  if (await q.isOptedOut(tx, orgId, input.to)) return { status: "not_sent", code: "opted_out", reason: OPTED_OUT };
  const rules = await q.smsRules(tx, orgId);
  if (!rules) return { status: "not_sent", code: "no_recipient", reason: "The clinic no longer exists." };
  if (input.audience === "patient") {
    const until = quietUntil(input.now, rules.timezone, rules.sms_quiet_start, rules.sms_quiet_end);
    if (until) {
      const at = DateTime.fromJSDate(until).setZone(rules.timezone).toFormat("h:mm a");
      return { status: "deferred", code: "quiet_hours", retryAt: until, reason: `Held for the clinic's quiet hours; it goes out at ${at}.` };
    }
  }
  const hourAgo = new Date(input.now.getTime() - 3600_000);
  if ((await q.smsSentSince(tx, orgId, hourAgo)) >= rules.sms_hourly_limit) {
    return {
      status: "deferred",
      code: "rate_limited",
      retryAt: new Date(input.now.getTime() + 10 * 60_000),
      reason: `The clinic's limit of ${rules.sms_hourly_limit} texts an hour was reached; it will be tried again in 10 minutes.`,
    };
  }
  if (input.messageId) await q.claimMessage(tx, orgId, input.messageId, input.now);
  return { kind: "send" };
}
