/**
 * The clinic's settings (Settings page). Reads are for every member; changes are for owners and
 * admins, audited with what changed, in one transaction. Nothing is cached: the booking engine
 * (modules/clinic/queries.ts resolveClinic) reads these columns on every tool call, so the next
 * call uses the new hours and rules; receptionists already in Vapi are re-synced for their prompt.
 */
import type { ClinicSettings, Role, SettingsPatch } from "@voxanne/contracts";
import type { Db } from "../../db/database";
import { forbidden, notFound } from "../../lib/domain-error";
import { resyncAgentsAfterClinicChange, type SaveAgentDeps } from "../agents/service";
import { currentRole, loadSettings, recordClinicChange, type SettingsColumn, type SettingsRow, updateSettingsColumns } from "./queries";

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

function toSettings(r: SettingsRow): ClinicSettings {
  return {
    profile: {
      name: r.name,
      timezone: r.timezone,
      clinicType: r.clinic_type as ClinicSettings["profile"]["clinicType"],
      currency: r.currency,
      address: r.address,
    },
    hours: Object.fromEntries(WEEKDAYS.map((d) => [d, r.business_hours[d] ?? []])) as ClinicSettings["hours"],
    dateOverrides: [...r.date_overrides].sort((a, b) => a.date.localeCompare(b.date)).map((o) => ({ date: o.date, hours: o.hours, note: o.note ?? null })),
    booking: {
      slotMinutes: r.slot_minutes,
      bufferBeforeMinutes: r.buffer_before_minutes,
      bufferAfterMinutes: r.buffer_after_minutes,
      minBookingNoticeMinutes: r.min_booking_notice_minutes,
      minCancelNoticeMinutes: r.min_cancel_notice_minutes,
    },
    transfer: {
      transferNumber: r.transfer_number,
      afterHoursMode: r.after_hours_mode,
      hotLeadAlertNumber: r.hot_lead_alert_number,
      emergencyNumber: r.emergency_number,
    },
    sms: {
      quietStart: r.sms_quiet_start,
      quietEnd: r.sms_quiet_end,
      hourlyLimit: r.sms_hourly_limit,
      bookingConfirmation: r.sms_booking_confirmation,
      reminderOffsetsMinutes: r.sms_reminder_offsets_minutes,
    },
    savedAt: r.settings_saved_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Which column each field of the contract is stored in. */
const COLUMN_OF = {
  profile: { name: "name", timezone: "timezone", clinicType: "clinic_type", currency: "currency", address: "address" },
  booking: {
    slotMinutes: "slot_minutes",
    bufferBeforeMinutes: "buffer_before_minutes",
    bufferAfterMinutes: "buffer_after_minutes",
    minBookingNoticeMinutes: "min_booking_notice_minutes",
    minCancelNoticeMinutes: "min_cancel_notice_minutes",
  },
  transfer: {
    transferNumber: "transfer_number",
    afterHoursMode: "after_hours_mode",
    hotLeadAlertNumber: "hot_lead_alert_number",
    emergencyNumber: "emergency_number",
  },
  sms: {
    quietStart: "sms_quiet_start",
    quietEnd: "sms_quiet_end",
    hourlyLimit: "sms_hourly_limit",
    bookingConfirmation: "sms_booking_confirmation",
    reminderOffsetsMinutes: "sms_reminder_offsets_minutes",
  },
} as const satisfies Record<string, Record<string, SettingsColumn>>;

/** Columns that appear in the receptionist's prompt (modules/agents/prompt.ts). */
const PROMPT_COLUMNS: readonly SettingsColumn[] = [
  "name",
  "timezone",
  "clinic_type",
  "currency",
  "business_hours",
  "after_hours_mode",
  "min_cancel_notice_minutes",
];

function columnChanges(patch: SettingsPatch): Partial<Record<SettingsColumn, unknown>> {
  const changes: Partial<Record<SettingsColumn, unknown>> = {};
  for (const section of ["profile", "booking", "transfer", "sms"] as const) {
    const values = (patch[section] ?? {}) as Record<string, unknown>;
    const columns = COLUMN_OF[section] as Record<string, SettingsColumn>;
    for (const [field, value] of Object.entries(values)) if (value !== undefined) changes[columns[field]!] = value;
  }
  // Stored longest first (the order reminders go out), so the same set in another order is no change.
  if (patch.sms?.reminderOffsetsMinutes) changes.sms_reminder_offsets_minutes = [...patch.sms.reminderOffsetsMinutes].sort((a, b) => b - a);
  if (patch.hours) changes.business_hours = patch.hours;
  if (patch.dateOverrides) {
    changes.date_overrides = [...patch.dateOverrides]
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((o) => ({ date: o.date, hours: [...o.hours].sort((a, b) => a.start.localeCompare(b.start)), note: o.note || null }));
  }
  return changes;
}

/**
 * Owners and admins only, by their role now: these changes run as the service role (so the audit
 * row commits with them), so RLS's live role check is repeated here.
 */
export async function assertManager(db: Db, who: { orgId: string; userId: string; role: Role }, action: string): Promise<void> {
  const role = who.role === "staff" ? "staff" : await currentRole(db, who.orgId, who.userId);
  if (role !== "owner" && role !== "admin")
    throw forbidden(
      `Only the clinic's owner or an admin can ${action}. You are signed in as ${role ?? "a former member"}: ask your clinic's owner or an admin to do it for you.`,
    );
}

/** JSON with object keys sorted, so jsonb's key order does not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export async function getSettings(db: Db, orgId: string): Promise<ClinicSettings> {
  const row = await loadSettings(db, orgId);
  if (!row) throw notFound("Your organization was not found. Sign in again.");
  return toSettings(row);
}

/** Applies a PATCH: owners and admins only; audited with each changed column's old and new value. */
export async function updateSettings(
  db: Db,
  deps: SaveAgentDeps,
  who: { orgId: string; userId: string; role: Role },
  patch: SettingsPatch,
): Promise<ClinicSettings> {
  await assertManager(db, who, "change the clinic's settings");
  const before = await loadSettings(db, who.orgId, { forUpdate: true });
  if (!before) throw notFound("Your organization was not found. Sign in again.");
  const requested = columnChanges(patch);
  const changed = (Object.keys(requested) as SettingsColumn[]).filter((c) => canonical(before[c]) !== canonical(requested[c]));
  // Saved unchanged: the clinic has still reviewed its settings (the getting-started checklist counts it).
  if (changed.length === 0) return toSettings(await updateSettingsColumns(db, who.orgId, {}));
  const after = await updateSettingsColumns(db, who.orgId, Object.fromEntries(changed.map((c) => [c, requested[c]])));
  await recordClinicChange(db, {
    orgId: who.orgId,
    actorUserId: who.userId,
    action: "settings.updated",
    targetType: "organization",
    targetId: who.orgId,
    data: { changed, before: Object.fromEntries(changed.map((c) => [c, before[c]])), after: Object.fromEntries(changed.map((c) => [c, after[c]])) },
  });
  if (changed.some((c) => PROMPT_COLUMNS.includes(c))) await resyncAgentsAfterClinicChange(db, deps, who.orgId);
  return toSettings(after);
}
