/**
 * The clinic's audit trail as owners and admins read it: filtered by person, action and days (in
 * the clinic's time zone), newest first, and exported as CSV.
 */
import type { AuditEvent, AuditFilters, AuditPage } from "@voxanne/contracts";
import { stringify } from "csv-stringify/sync";
import type { Db } from "../../db/database";
import { invalid } from "../../lib/domain-error";
import { decodeCursor, encodeCursor } from "../calls/service";
import { type AuditRow, listAuditEvents, listAuditPeople } from "./queries";

function checkDates(f: AuditFilters): void {
  if (f.from && f.to && f.from > f.to) throw invalid("The start date must be on or before the end date.", "invalid_date_range");
}

const toEvent = (r: AuditRow): AuditEvent => ({
  id: r.id,
  createdAt: r.created_at.toISOString(),
  action: r.action,
  actorType: r.actor_type,
  actor: r.actor_user_id ? { userId: r.actor_user_id, name: r.actor_name, email: r.actor_email } : null,
  targetType: r.target_type,
  targetId: r.target_id,
  ip: r.ip,
  data: r.data ?? {},
});

export async function auditPage(db: Db, orgId: string, query: AuditFilters & { cursor?: string; limit: number }): Promise<AuditPage> {
  checkDates(query);
  const { cursor, limit, ...filters } = query;
  const rows = await listAuditEvents(db, orgId, { ...filters, limit, after: cursor ? decodeCursor(cursor) : undefined });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const people = await listAuditPeople(db, orgId);
  return {
    events: page.map(toEvent),
    nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_ts, last.id) : null,
    people: people.map((p) => ({ userId: p.user_id, name: p.full_name, email: p.email })),
  };
}

/** At most this many rows in one export; the filters narrow a bigger trail. */
export const AUDIT_EXPORT_LIMIT = 50_000;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe
 * (OWASP "CSV injection"): names, emails and user agents come from outside the clinic.
 */
const safeCell = (value: string | null | undefined) => {
  const text = value ?? "";
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
};

export async function auditCsv(db: Db, orgId: string, filters: AuditFilters): Promise<string> {
  checkDates(filters);
  const rows = await listAuditEvents(db, orgId, { ...filters, limit: AUDIT_EXPORT_LIMIT });
  const records = rows
    .slice(0, AUDIT_EXPORT_LIMIT)
    .map((r) => [
      r.created_at.toISOString(),
      safeCell(r.actor_name ?? (r.actor_user_id ? "" : r.actor_type)),
      safeCell(r.actor_email),
      r.action,
      safeCell(r.target_type),
      safeCell(r.target_id),
      r.ip ?? "",
      safeCell(JSON.stringify(r.data ?? {})),
    ]);
  return stringify(records, { header: true, columns: ["time (UTC)", "person", "email", "action", "target type", "target id", "IP", "details"] });
}
