import { DateTime } from "luxon";
import type { Db } from "../../db/database";
import { type Actor, insertAudit } from "../audit/queries";
import { callsForExport } from "../calls/queries";
import { clinicById } from "../clinic/queries";
import { contactsForExport } from "./queries";
import { toCsv } from "./spreadsheet";

const local = (d: Date | null, zone: string) => (d ? DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd HH:mm") : "");

/** Every contact as CSV, times in the clinic's zone (audited: it is the clinic's patient list). */
export async function exportContactsCsv(db: Db, actor: Actor, now: Date): Promise<{ filename: string; content: string }> {
  const zone = (await clinicById(db, actor.orgId))?.timezone ?? "UTC";
  const rows = await contactsForExport(db, actor.orgId);
  const content = toCsv(
    ["Name", "Phone", "Email", "Lead status", "Temperature", "Score", "Interested in", "Last contact", "Notes"],
    rows.map((r) => [
      r.name,
      r.phone,
      r.email,
      r.lead_status,
      r.lead_temperature,
      r.lead_score,
      (r.service_interests ?? []).join("; "),
      local(r.last_contacted_at, zone),
      r.notes,
    ]),
  );
  await insertAudit(db, actor, { action: "contacts.exported", targetType: "contacts", targetId: null, data: { rows: rows.length } });
  return { filename: `contacts-${DateTime.fromJSDate(now, { zone }).toISODate()}.csv`, content };
}

/** Calls in [from, to) as CSV (default: the last 30 days), audited. */
export async function exportCallsCsv(db: Db, actor: Actor, now: Date, range: { from?: string; to?: string }): Promise<{ filename: string; content: string }> {
  const zone = (await clinicById(db, actor.orgId))?.timezone ?? "UTC";
  const to = range.to ? new Date(range.to) : now;
  const from = range.from ? new Date(range.from) : new Date(to.getTime() - 30 * 86_400_000);
  const rows = await callsForExport(db, actor.orgId, from, to);
  const outcome = (r: (typeof rows)[number]) => (r.is_emergency ? "Emergency" : r.booking_confirmed ? "Booked" : r.transferred ? "Transferred" : "No booking");
  const content = toCsv(
    ["Started", "Direction", "From", "To", "Caller", "Duration (s)", "Outcome", "Value", "Temperature", "Sentiment", "Summary"],
    rows.map((r) => [
      local(r.started_at, zone),
      r.direction,
      r.from_number,
      r.to_number,
      r.contact_name,
      r.duration_seconds,
      outcome(r),
      Number(r.financial_value),
      r.lead_temperature,
      r.sentiment_label,
      r.summary,
    ]),
  );
  await insertAudit(db, actor, {
    action: "calls.exported",
    targetType: "calls",
    targetId: null,
    data: { rows: rows.length, from: from.toISOString(), to: to.toISOString() },
  });
  return { filename: `calls-${DateTime.fromJSDate(from, { zone }).toISODate()}-to-${DateTime.fromJSDate(to, { zone }).toISODate()}.csv`, content };
}
