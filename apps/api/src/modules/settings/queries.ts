import type { AuditAction } from "@voxanne/contracts";
import type { Db } from "../../db/database";

export type SettingsRow = {
  name: string;
  timezone: string;
  clinic_type: string;
  currency: string;
  address: string | null;
  business_hours: Record<string, { start: string; end: string }[]>;
  date_overrides: { date: string; hours: { start: string; end: string }[]; note: string | null }[];
  slot_minutes: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  min_booking_notice_minutes: number;
  min_cancel_notice_minutes: number;
  transfer_number: string | null;
  after_hours_mode: "take_message" | "offer_slots" | "transfer";
  hot_lead_alert_number: string | null;
  emergency_number: string | null;
  /** "HH:MM" (selected with to_char, so an unchanged time compares equal to what the page sends). */
  sms_quiet_start: string;
  sms_quiet_end: string;
  sms_hourly_limit: number;
  sms_booking_confirmation: boolean;
  sms_reminder_offsets_minutes: number[];
  settings_saved_at: Date | null;
  updated_at: Date;
};

/** The organization columns a clinic may change from the Settings page (granted to members in the migrations). */
export const SETTINGS_COLUMNS = [
  "name",
  "timezone",
  "clinic_type",
  "currency",
  "address",
  "business_hours",
  "date_overrides",
  "slot_minutes",
  "buffer_before_minutes",
  "buffer_after_minutes",
  "min_booking_notice_minutes",
  "min_cancel_notice_minutes",
  "transfer_number",
  "after_hours_mode",
  "hot_lead_alert_number",
  "emergency_number",
  "sms_quiet_start",
  "sms_quiet_end",
  "sms_hourly_limit",
  "sms_booking_confirmation",
  "sms_reminder_offsets_minutes",
] as const satisfies readonly (keyof SettingsRow)[];
export type SettingsColumn = (typeof SETTINGS_COLUMNS)[number];

const TIME_COLUMNS: readonly SettingsColumn[] = ["sms_quiet_start", "sms_quiet_end"];
const SELECT = `${SETTINGS_COLUMNS.map((c) => (TIME_COLUMNS.includes(c) ? `to_char(${c}, 'HH24:MI') as ${c}` : c)).join(", ")}, settings_saved_at, updated_at`;

export async function loadSettings(db: Db, orgId: string, options: { forUpdate?: boolean } = {}): Promise<SettingsRow | null> {
  const { rows } = await db.query<SettingsRow>(`select ${SELECT} from public.organizations where id = $1${options.forUpdate ? " for update" : ""}`, [orgId]);
  return rows[0] ?? null;
}

/** Writes the given columns (only names from SETTINGS_COLUMNS reach the SQL text) and stamps settings_saved_at. */
export async function updateSettingsColumns(db: Db, orgId: string, changes: Partial<Record<SettingsColumn, unknown>>): Promise<SettingsRow> {
  const columns = SETTINGS_COLUMNS.filter((c) => c in changes);
  const values = columns.map((c) => {
    const v = changes[c];
    return c === "business_hours" || c === "date_overrides" ? JSON.stringify(v) : v;
  });
  const assignments = [...columns.map((c, i) => `${c} = $${i + 2}`), "settings_saved_at = now()"].join(", ");
  const { rows } = await db.query<SettingsRow>(`update public.organizations set ${assignments} where id = $1 returning ${SELECT}`, [orgId, ...values]);
  return rows[0]!;
}

/** One audit row for a change a member made to the clinic's setup (settings, services). */
export async function recordClinicChange(
  db: Db,
  e: { orgId: string; actorUserId: string; action: AuditAction; targetType: string; targetId: string; data: object },
): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_user_id, actor_type, action, target_type, target_id, data)
     values ($1, $2, 'user', $3, $4, $5, $6)`,
    [e.orgId, e.actorUserId, e.action, e.targetType, e.targetId, e.data],
  );
}

/** The member's role now (a demotion counts at once, whatever their token still says); null if not a member. */
export async function currentRole(db: Db, orgId: string, userId: string): Promise<"owner" | "admin" | "staff" | null> {
  const { rows } = await db.query<{ role: "owner" | "admin" | "staff" }>("select role from public.profiles where org_id = $1 and user_id = $2", [
    orgId,
    userId,
  ]);
  return rows[0]?.role ?? null;
}
