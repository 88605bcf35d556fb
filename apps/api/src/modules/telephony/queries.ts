import type { Carrier, ForwardingType } from "@voxanne/contracts";
import type { Db } from "../../db/database";

export type VerifiedCallerIdRow = {
  id: string;
  org_id: string;
  phone_number: string;
  friendly_name: string | null;
  status: "pending" | "verified" | "failed" | "expired";
  twilio_caller_id_sid: string | null;
  twilio_call_sid: string | null;
  pending_expires_at: Date | null;
  confirm_attempts: number;
  locked_until: Date | null;
  failure_reason: string | null;
  verified_at: Date | null;
  created_at: Date;
  has_forwarding_config: boolean;
  /** Computed by the database: the pending window has passed. */
  pending_lapsed: boolean;
  /** Computed by the database: locked_until is in the future. */
  locked: boolean;
};

const VERIFIED_COLUMNS = `v.id, v.org_id, v.phone_number, v.friendly_name, v.status, v.twilio_caller_id_sid, v.twilio_call_sid,
  v.pending_expires_at, v.confirm_attempts, v.locked_until, v.failure_reason, v.verified_at, v.created_at,
  exists (select 1 from public.hybrid_forwarding_configs f where f.verified_caller_id = v.id) as has_forwarding_config,
  coalesce(v.status = 'pending' and v.pending_expires_at <= now(), false) as pending_lapsed,
  coalesce(v.locked_until > now(), false) as locked`;

export async function listVerifiedCallerIds(db: Db, orgId: string): Promise<VerifiedCallerIdRow[]> {
  const { rows } = await db.query<VerifiedCallerIdRow>(
    `select ${VERIFIED_COLUMNS} from public.verified_caller_ids v where v.org_id = $1 order by v.created_at, v.id`,
    [orgId],
  );
  return rows;
}

export async function findVerifiedCallerId(db: Db, orgId: string, id: string): Promise<VerifiedCallerIdRow | null> {
  const { rows } = await db.query<VerifiedCallerIdRow>(`select ${VERIFIED_COLUMNS} from public.verified_caller_ids v where v.org_id = $1 and v.id = $2`, [
    orgId,
    id,
  ]);
  return rows[0] ?? null;
}

export async function findVerifiedCallerIdByPhone(db: Db, orgId: string, phone: string): Promise<VerifiedCallerIdRow | null> {
  const { rows } = await db.query<VerifiedCallerIdRow>(
    `select ${VERIFIED_COLUMNS} from public.verified_caller_ids v where v.org_id = $1 and v.phone_number = $2`,
    [orgId, phone],
  );
  return rows[0] ?? null;
}

/**
 * Counts one verification call against the limits. The insert trigger
 * (supabase/migrations/20261216000100_hybrid_telephony.sql) refuses it with SQLSTATE VX429 when a
 * limit or the number's lock says no.
 */
export async function recordVerificationCall(db: Db, orgId: string, phone: string, userId: string): Promise<void> {
  await db.query("insert into public.caller_id_verification_calls (org_id, phone_number, requested_by) values ($1, $2, $3)", [orgId, phone, userId]);
}

/** Starts (or restarts) a 10-minute pending window for the number, with fresh confirm attempts. */
export async function upsertPendingVerification(
  db: Db,
  v: { orgId: string; phone: string; friendlyName: string | null; userId: string },
): Promise<VerifiedCallerIdRow> {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.verified_caller_ids as v (org_id, phone_number, friendly_name, status, pending_expires_at, created_by)
     values ($1, $2, $3, 'pending', now() + interval '10 minutes', $4)
     on conflict (org_id, phone_number) do update
        set status = 'pending', pending_expires_at = excluded.pending_expires_at, confirm_attempts = 0, locked_until = null,
            failure_reason = null, twilio_call_sid = null, friendly_name = coalesce(excluded.friendly_name, v.friendly_name)
      where v.status <> 'verified'
     returning id`,
    [v.orgId, v.phone, v.friendlyName, v.userId],
  );
  return (await findVerifiedCallerId(db, v.orgId, rows[0]!.id))!;
}

export async function setVerificationCallSid(db: Db, orgId: string, id: string, callSid: string | null): Promise<void> {
  await db.query("update public.verified_caller_ids set twilio_call_sid = $3 where org_id = $1 and id = $2", [orgId, id, callSid]);
}

/** Marks the number verified (from the signed StatusCallback or Twilio's list); true when this changed it. */
export async function markVerified(db: Db, orgId: string, id: string, callerIdSid: string | null): Promise<boolean> {
  const { rowCount } = await db.query(
    `update public.verified_caller_ids
        set status = 'verified', twilio_caller_id_sid = coalesce($3, twilio_caller_id_sid), verified_at = coalesce(verified_at, now()),
            pending_expires_at = null, failure_reason = null, locked_until = null, confirm_attempts = 0
      where org_id = $1 and id = $2 and (status <> 'verified' or twilio_caller_id_sid is distinct from coalesce($3, twilio_caller_id_sid))`,
    [orgId, id, callerIdSid],
  );
  return (rowCount ?? 0) > 0;
}

/** A pending verification that failed (Twilio refused, or the callback said failed). */
export async function markVerificationFailed(db: Db, orgId: string, id: string, reason: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `update public.verified_caller_ids set status = 'failed', failure_reason = $3, pending_expires_at = null
      where org_id = $1 and id = $2 and status = 'pending'`,
    [orgId, id, reason.slice(0, 500)],
  );
  return (rowCount ?? 0) > 0;
}

export async function markVerificationExpired(db: Db, orgId: string, id: string): Promise<void> {
  await db.query(
    "update public.verified_caller_ids set status = 'expired', pending_expires_at = null where org_id = $1 and id = $2 and status = 'pending' and pending_expires_at <= now()",
    [orgId, id],
  );
}

/**
 * Counts one confirm attempt on a pending verification. The database sets the 1-hour lock on the
 * fifth and refuses attempts on a locked number (SQLSTATE VX429). Null when the row is not pending.
 */
export async function countConfirmAttempt(db: Db, orgId: string, id: string): Promise<VerifiedCallerIdRow | null> {
  const { rows } = await db.query<{ id: string }>(
    `update public.verified_caller_ids set confirm_attempts = confirm_attempts + 1
      where org_id = $1 and id = $2 and status = 'pending' returning id`,
    [orgId, id],
  );
  return rows[0] ? findVerifiedCallerId(db, orgId, id) : null;
}

export async function deleteVerifiedCallerId(db: Db, orgId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query("delete from public.verified_caller_ids where org_id = $1 and id = $2", [orgId, id]);
  return (rowCount ?? 0) > 0;
}

/** The daily cleanup: pending windows that passed become expired; locks that ran out are lifted. */
export async function expireStaleVerifications(db: Db): Promise<{ expired: number; unlocked: number; pruned: number }> {
  const expired = await db.query(
    "update public.verified_caller_ids set status = 'expired', pending_expires_at = null where status = 'pending' and pending_expires_at <= now()",
  );
  const unlocked = await db.query(
    "update public.verified_caller_ids set locked_until = null, confirm_attempts = 0 where locked_until is not null and locked_until <= now()",
  );
  // The limits look one hour back; a day of history is plenty for support questions.
  const pruned = await db.query("delete from public.caller_id_verification_calls where created_at < now() - interval '1 day'");
  return { expired: expired.rowCount ?? 0, unlocked: unlocked.rowCount ?? 0, pruned: pruned.rowCount ?? 0 };
}

// Forwarding configurations -----------------------------------------------------------------------

export type ForwardingConfigRow = {
  id: string;
  org_id: string;
  verified_caller_id: string;
  sim_phone_number: string;
  destination_number: string;
  carrier: Carrier;
  forwarding_type: ForwardingType;
  ring_time_seconds: number | null;
  voicemail_number: string | null;
  activation_code: string;
  deactivation_code: string;
  status: "pending_setup" | "active" | "test_failed" | "disabled";
  last_test_outcome: "forwarded" | "not_forwarded" | null;
  confirmed_at: Date | null;
  updated_at: Date;
};

const FORWARDING_COLUMNS = `id, org_id, verified_caller_id, sim_phone_number, destination_number, carrier, forwarding_type, ring_time_seconds,
  voicemail_number, activation_code, deactivation_code, status, last_test_outcome, confirmed_at, updated_at`;

export async function findForwardingConfigByCallerId(db: Db, orgId: string, verifiedCallerId: string): Promise<ForwardingConfigRow | null> {
  const { rows } = await db.query<ForwardingConfigRow>(
    `select ${FORWARDING_COLUMNS} from public.hybrid_forwarding_configs where org_id = $1 and verified_caller_id = $2`,
    [orgId, verifiedCallerId],
  );
  return rows[0] ?? null;
}

export async function findForwardingConfig(db: Db, orgId: string, id: string): Promise<ForwardingConfigRow | null> {
  const { rows } = await db.query<ForwardingConfigRow>(`select ${FORWARDING_COLUMNS} from public.hybrid_forwarding_configs where org_id = $1 and id = $2`, [
    orgId,
    id,
  ]);
  return rows[0] ?? null;
}

/** One configuration per verified number: choosing again replaces it and starts over at pending_setup. */
export async function upsertForwardingConfig(
  db: Db,
  c: Omit<ForwardingConfigRow, "id" | "status" | "last_test_outcome" | "confirmed_at" | "updated_at">,
): Promise<ForwardingConfigRow> {
  const { rows } = await db.query<ForwardingConfigRow>(
    `insert into public.hybrid_forwarding_configs (org_id, verified_caller_id, sim_phone_number, destination_number, carrier, forwarding_type,
                                                    ring_time_seconds, voicemail_number, activation_code, deactivation_code)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (verified_caller_id) do update
        set destination_number = excluded.destination_number, carrier = excluded.carrier, forwarding_type = excluded.forwarding_type,
            ring_time_seconds = excluded.ring_time_seconds, voicemail_number = excluded.voicemail_number,
            activation_code = excluded.activation_code, deactivation_code = excluded.deactivation_code,
            status = 'pending_setup', last_test_outcome = null, confirmed_at = null
     returning ${FORWARDING_COLUMNS}`,
    [
      c.org_id,
      c.verified_caller_id,
      c.sim_phone_number,
      c.destination_number,
      c.carrier,
      c.forwarding_type,
      c.ring_time_seconds,
      c.voicemail_number,
      c.activation_code,
      c.deactivation_code,
    ],
  );
  return rows[0]!;
}

export async function recordForwardingTest(db: Db, orgId: string, id: string, outcome: "forwarded" | "not_forwarded"): Promise<ForwardingConfigRow | null> {
  const { rows } = await db.query<ForwardingConfigRow>(
    `update public.hybrid_forwarding_configs
        set last_test_outcome = $3, status = case when $3 = 'forwarded' then 'active' else 'test_failed' end,
            confirmed_at = case when $3 = 'forwarded' then now() else confirmed_at end
      where org_id = $1 and id = $2 and status <> 'disabled'
      returning ${FORWARDING_COLUMNS}`,
    [orgId, id, outcome],
  );
  return rows[0] ?? null;
}

export async function disableForwardingConfig(db: Db, orgId: string, id: string): Promise<ForwardingConfigRow | null> {
  const { rows } = await db.query<ForwardingConfigRow>(
    `update public.hybrid_forwarding_configs set status = 'disabled' where org_id = $1 and id = $2 returning ${FORWARDING_COLUMNS}`,
    [orgId, id],
  );
  return rows[0] ?? null;
}

/** The receptionist's number: the clinic's first line (calls are forwarded to it). */
export async function receptionistNumber(db: Db, orgId: string): Promise<string | null> {
  const { rows } = await db.query<{ e164: string }>("select e164 from public.phone_numbers where org_id = $1 order by created_at, id limit 1", [orgId]);
  return rows[0]?.e164 ?? null;
}

export async function insertTelephonyAudit(
  db: Db,
  e: {
    orgId: string;
    actorUserId: string | null;
    actorType?: "user" | "system" | "twilio";
    action: string;
    targetType: string;
    targetId: string;
    data: object;
  },
): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_user_id, actor_type, action, target_type, target_id, data)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [e.orgId, e.actorUserId, e.actorType ?? "user", e.action, e.targetType, e.targetId, e.data],
  );
}
