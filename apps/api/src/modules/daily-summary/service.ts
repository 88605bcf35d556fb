/**
 * The daily summary: each morning at SUMMARY_HOUR (clinic time), every owner who opted in (Account
 * page) gets yesterday's calls, bookings, hot leads and emergencies by email. The job runs hourly
 * (jobs/daily-summary.ts) and picks the clinics where it is that hour now; one email per owner and
 * day (idempotency key), so a retried or repeated run never sends twice.
 */
import { DateTime } from "luxon";
import type { Config } from "../../config";
import type { Database } from "../../db/database";
import { sendEmail } from "../email/service";
import { type DayCounts, dayCounts, recipientsAtHour, type SummaryRecipient } from "./queries";

export const DAILY_SUMMARY_JOB = "daily-summary";
/** 7:00 in the clinic's time zone. */
export const SUMMARY_HOUR = 7;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function summaryText(r: Pick<SummaryRecipient, "clinic_name" | "full_name">, day: string, c: DayCounts, dashboardUrl: string): string {
  const date = DateTime.fromISO(day).toFormat("cccc d LLLL yyyy");
  return [
    `Good morning${r.full_name ? `, ${r.full_name}` : ""}. Here is ${r.clinic_name} on ${date}:`,
    "",
    `- ${plural(c.calls, "call", "calls")} answered`,
    `- ${plural(c.bookings, "booking", "bookings")} made`,
    `- ${plural(c.hot_leads, "hot lead", "hot leads")}${c.hot_leads > 0 ? " (call them back today)" : ""}`,
    `- ${plural(c.emergencies, "emergency", "emergencies")}${c.emergencies > 0 ? " flagged: check the calls" : ""}`,
    "",
    `Open the dashboard: ${dashboardUrl}`,
    "",
    "You get this because you turned on the daily summary on your Account page; turn it off there.",
  ].join("\n");
}

/** Sends the summaries due at `now`. Returns how many owners were emailed (or found already emailed). */
export async function sendDailySummaries(deps: { db: Database; config: Config }, now: Date): Promise<number> {
  const recipients = await deps.db.asSystem((tx) => recipientsAtHour(tx, now, SUMMARY_HOUR));
  const base = deps.config.PUBLIC_WEB_URL.replace(/\/+$/, "");
  for (const r of recipients) {
    const today = DateTime.fromJSDate(now, { zone: r.timezone }).startOf("day");
    const yesterday = today.minus({ days: 1 });
    const day = yesterday.toISODate()!;
    const counts = await deps.db.asService(r.org_id, (tx) => dayCounts(tx, r.org_id, yesterday.toJSDate(), today.toJSDate()));
    await sendEmail({ db: deps.db, config: deps.config, now: () => now }, r.org_id, {
      to: r.email,
      kind: "daily_summary",
      subject: `${r.clinic_name}: ${plural(counts.calls, "call", "calls")}, ${plural(counts.bookings, "booking", "bookings")} yesterday`,
      text: summaryText(r, day, counts, `${base}/overview`),
      idempotencyKey: `daily_summary:${r.user_id}:${day}`,
    });
  }
  return recipients.length;
}
