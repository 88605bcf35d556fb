import type { AdminClinic, AdminClinicDetail } from "@voxanne/contracts";
import { stringify } from "csv-stringify/sync";
import type { Db } from "../../db/database";
import { DomainError } from "../../lib/domain-error";
import {
  findSuspension,
  insertOperatorAudit,
  listClinicOverviews,
  listMembers,
  listRecentAudit,
  listUsageDays,
  listUsageForMonth,
  setSuspension,
  type ClinicOverviewRow,
} from "./queries";

/** What a member of a suspended clinic reads when a write is refused (HTTP guard and database trigger alike). */
export function suspendedMessage(reason: string | null): string {
  const why = reason?.trim() ? ` Reason: ${reason.trim()}` : "";
  return `This clinic is suspended, so the dashboard is read-only.${why} Contact Voxanne support to resume it.`;
}

/** Refuses a dashboard write for a suspended clinic with a 403 that names the reason. */
export async function assertClinicWritable(db: Db, orgId: string): Promise<void> {
  const suspension = await findSuspension(db, orgId);
  if (suspension?.status === "suspended") throw new DomainError("forbidden", "clinic_suspended", suspendedMessage(suspension.suspended_reason));
}

const money = (s: string) => Math.round(Number(s) * 10_000) / 10_000;
const minutes = (seconds: string) => Math.round((Number(seconds) / 60) * 100) / 100;

function toClinic(r: ClinicOverviewRow): AdminClinic {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    suspendedReason: r.suspended_reason,
    suspendedAt: r.suspended_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    today: { calls: r.today_calls, minutes: minutes(r.today_seconds), cost: money(r.today_cost) },
    month: { calls: r.month_calls, minutes: minutes(r.month_seconds), cost: money(r.month_cost) },
    agentSync: { agents: r.agents, synced: r.agents_synced, failed: r.agents_failed, lastError: r.last_sync_error },
    integrations: r.integrations,
    lastCallAt: r.last_call_at?.toISOString() ?? null,
  };
}

export async function listClinics(db: Db, now: Date): Promise<{ clinics: AdminClinic[] }> {
  return { clinics: (await listClinicOverviews(db, now)).map(toClinic) };
}

export async function clinicDetail(db: Db, orgId: string, now: Date): Promise<AdminClinicDetail> {
  const [row] = await listClinicOverviews(db, now, orgId);
  if (!row) throw new DomainError("not_found", "clinic_not_found", "No clinic has this id.");
  // One after another: they share the transaction's connection, which runs one query at a time.
  const days = await listUsageDays(db, orgId, 31);
  const members = await listMembers(db, orgId);
  const audit = await listRecentAudit(db, orgId, 20);
  return {
    ...toClinic(row),
    timezone: row.timezone,
    members: members.map((m) => ({ email: m.email, role: m.role, operator: m.is_operator })),
    usageDays: days.map((d) => ({ day: d.day, calls: d.calls, minutes: minutes(d.seconds), cost: money(d.cost) })),
    auditEvents: audit.map((a) => ({ action: a.action, actorType: a.actor_type, createdAt: a.created_at.toISOString(), data: a.data })),
  };
}

/** Suspends (with a reason) or resumes a clinic, audited as the operator; idempotent. */
export async function changeSuspension(db: Db, operator: { userId: string }, orgId: string, reason: string | null, now: Date): Promise<AdminClinicDetail> {
  const { found, changed } = await setSuspension(db, orgId, reason);
  if (!found) throw new DomainError("not_found", "clinic_not_found", "No clinic has this id.");
  if (changed) {
    await insertOperatorAudit(db, {
      orgId,
      actorUserId: operator.userId,
      action: reason === null ? "organization.resumed" : "organization.suspended",
      targetType: "organizations",
      targetId: orgId,
      data: reason === null ? {} : { reason },
    });
  }
  return clinicDetail(db, orgId, now);
}

/** A clinic name starting with = + - @ would run as a formula in a spreadsheet: quote it as text. */
const spreadsheetSafe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** The month's usage per clinic and day as CSV (RFC 4180 via csv-stringify). */
export async function usageCsv(db: Db, month: string): Promise<string> {
  const rows = await listUsageForMonth(db, `${month}-01`);
  return stringify(
    rows.map((r) => [r.org_id, spreadsheetSafe(r.name), r.day, r.calls, r.minutes, r.cost]),
    { header: true, columns: ["org_id", "clinic", "day", "calls", "minutes", "cost_usd"] },
  );
}
