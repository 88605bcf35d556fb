import type {
  ConfirmVerificationResponse,
  ForwardingConfig,
  InitiateVerificationResponse,
  SaveForwardingConfigBody,
  TelephonyAvailability,
  VerifiedNumber,
} from "@voxanne/contracts";
import type { Database, Db } from "../../db/database";
import { conflict, DomainError, forbidden, notFound } from "../../lib/domain-error";
import { forwardingCodes } from "./forwarding-codes";
import * as q from "./queries";

/**
 * Hybrid telephony: caller-ID verification through Twilio and the forwarding
 * configuration. Twilio generates the 6-digit code, calls the phone and hears the owner type it;
 * we never see or check the code, only the outcome (the signed StatusCallback, or
 * outgoingCallerIds.list on confirm). What we protect is the initiation, because it makes Twilio
 * dial any number: the limits are enforced by the database (supabase/migrations/20261216000100_hybrid_telephony.sql).
 */

export const MAX_CONFIRM_ATTEMPTS = 5;

/** What the service needs from the clinic's Twilio account (integrations/twilio/caller-ids.ts implements it). */
export type CallerIdProvider = {
  /** outgoingCallerIds.list({ phoneNumber }): the verified caller ID's SID, or null. */
  findVerified(phone: string): Promise<string | null>;
  /** validationRequests.create: Twilio places the call and returns the code to show. */
  requestValidation(input: {
    phone: string;
    friendlyName: string | null;
    statusCallback: string;
  }): Promise<{ kind: "calling"; validationCode: string; callSid: string | null } | { kind: "already_verified"; callerIdSid: string }>;
  /** outgoingCallerIds(sid).remove(); a missing one is not an error. */
  remove(callerIdSid: string): Promise<void>;
};

/** A provider refusal that is the request's fault (an invalid number…): surfaced as a 400 with Twilio's reason. */
export class CallerIdRequestRefused extends Error {
  constructor(
    message: string,
    readonly twilioCode: number | null,
  ) {
    super(message);
  }
}

export type TelephonyDeps = {
  db: Database;
  /** The clinic's Twilio account, or why there is none. */
  callerIds: (orgId: string) => Promise<{ provider: CallerIdProvider } | { provider: null; reason: string }>;
  /** Where Twilio posts the verification outcome for this clinic. */
  statusCallbackUrl: (orgId: string) => string;
};

type Who = { orgId: string; userId: string; role: "owner" | "admin" | "staff" };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toVerifiedNumber(r: q.VerifiedCallerIdRow): VerifiedNumber {
  return {
    id: r.id,
    phoneNumber: r.phone_number,
    friendlyName: r.friendly_name,
    // A pending window that has passed reads as expired before the nightly cleanup writes it.
    status: r.pending_lapsed ? "expired" : r.status,
    verifiedAt: iso(r.verified_at),
    pendingExpiresAt: r.pending_lapsed ? null : iso(r.pending_expires_at),
    confirmAttempts: r.confirm_attempts,
    lockedUntil: r.locked ? iso(r.locked_until) : null,
    hasForwardingConfig: r.has_forwarding_config,
    createdAt: r.created_at.toISOString(),
  };
}

export function toForwardingConfig(r: q.ForwardingConfigRow): ForwardingConfig {
  return {
    id: r.id,
    verifiedCallerId: r.verified_caller_id,
    simPhoneNumber: r.sim_phone_number,
    destinationNumber: r.destination_number,
    carrier: r.carrier,
    forwardingType: r.forwarding_type,
    ringTimeSeconds: r.ring_time_seconds,
    voicemailNumber: r.voicemail_number,
    codes: forwardingCodes({
      carrier: r.carrier,
      forwardingType: r.forwarding_type,
      destination: r.destination_number,
      ringTimeSeconds: r.ring_time_seconds,
      voicemailNumber: r.voicemail_number,
    }),
    status: r.status,
    lastTestOutcome: r.last_test_outcome,
    confirmedAt: iso(r.confirmed_at),
    updatedAt: r.updated_at.toISOString(),
  };
}

const requireManager = (who: Who, action: string) => {
  if (who.role === "staff") throw forbidden(`Only the clinic's owner or an admin can ${action}.`);
};

/** SQLSTATE VX429 from the limit triggers → 429 with the database's sentence. */
function limitRefusal(err: unknown): DomainError | null {
  const e = err as { code?: string; message?: string; hint?: string };
  if (e?.code !== "VX429") return null;
  const code = e.hint ?? "caller_id_rate_limited";
  const advice = code === "caller_id_locked" ? " Try again after the lock ends." : " Try again later.";
  return new DomainError("rate_limited", code, `${e.message}${advice}`, 3600);
}

export async function availability(deps: Pick<TelephonyDeps, "callerIds">, db: Db, orgId: string): Promise<TelephonyAvailability> {
  const twilio = await deps.callerIds(orgId);
  return {
    twilioConnected: twilio.provider !== null,
    reason: twilio.provider ? null : twilio.reason,
    receptionistNumber: await q.receptionistNumber(db, orgId),
  };
}

/**
 * Asks Twilio to call `phone` with a verification code. Order: the call is counted (limits, lock)
 * and the pending window opened in one committed transaction first — so a call Twilio places is
 * always counted, even if this request then fails — then Twilio is asked. A number Twilio already
 * lists as verified is verified without a call.
 */
export async function initiateVerification(
  deps: TelephonyDeps,
  who: Who,
  input: { phoneNumber: string; friendlyName?: string },
): Promise<InitiateVerificationResponse> {
  requireManager(who, "verify a phone number");
  const twilio = await deps.callerIds(who.orgId);
  if (!twilio.provider) throw new DomainError("conflict", "twilio_not_connected", twilio.reason);
  const pending = await deps.db.asService(who.orgId, async (db) => {
    const existing = await q.findVerifiedCallerIdByPhone(db, who.orgId, input.phoneNumber);
    if (existing?.status === "verified") throw conflict("This number is already verified for your clinic.", "already_verified");
    try {
      await q.recordVerificationCall(db, who.orgId, input.phoneNumber, who.userId);
    } catch (err) {
      throw limitRefusal(err) ?? err;
    }
    const row = await q.upsertPendingVerification(db, {
      orgId: who.orgId,
      phone: input.phoneNumber,
      friendlyName: input.friendlyName ?? null,
      userId: who.userId,
    });
    await q.insertTelephonyAudit(db, {
      orgId: who.orgId,
      actorUserId: who.userId,
      action: "caller_id.verification_requested",
      targetType: "verified_caller_id",
      targetId: row.id,
      data: { last4: input.phoneNumber.slice(-4) },
    });
    return row;
  });

  const alreadyVerified = async (callerIdSid: string) => {
    const row = await deps.db.asService(who.orgId, async (db) => {
      if (await q.markVerified(db, who.orgId, pending.id, callerIdSid)) {
        await q.insertTelephonyAudit(db, {
          orgId: who.orgId,
          actorUserId: who.userId,
          action: "caller_id.verified",
          targetType: "verified_caller_id",
          targetId: pending.id,
          data: { via: "already_on_twilio", last4: input.phoneNumber.slice(-4) },
        });
      }
      return (await q.findVerifiedCallerId(db, who.orgId, pending.id))!;
    });
    return { verification: toVerifiedNumber(row), validationCode: null, message: "Twilio already lists this number as verified: no call was needed." };
  };
  const known = await twilio.provider.findVerified(input.phoneNumber);
  if (known) return alreadyVerified(known);

  let placed: Awaited<ReturnType<CallerIdProvider["requestValidation"]>>;
  try {
    placed = await twilio.provider.requestValidation({
      phone: input.phoneNumber,
      friendlyName: input.friendlyName ?? null,
      statusCallback: deps.statusCallbackUrl(who.orgId),
    });
  } catch (err) {
    const reason = err instanceof CallerIdRequestRefused ? err.message : "Twilio could not place the verification call.";
    await deps.db.asService(who.orgId, (db) => q.markVerificationFailed(db, who.orgId, pending.id, reason));
    if (err instanceof CallerIdRequestRefused) throw new DomainError("invalid", "twilio_refused", reason);
    throw new DomainError("unavailable", "twilio_unavailable", "Twilio could not place the verification call. Try again in a minute.");
  }
  if (placed.kind === "already_verified") return alreadyVerified(placed.callerIdSid);
  const callSid = placed.callSid;
  const row = await deps.db.asService(who.orgId, async (db) => {
    await q.setVerificationCallSid(db, who.orgId, pending.id, callSid);
    return (await q.findVerifiedCallerId(db, who.orgId, pending.id))!;
  });
  return {
    verification: toVerifiedNumber(row),
    validationCode: placed.validationCode,
    message: "Twilio is calling the number now. Answer, then type the code shown here on the phone's keypad.",
  };
}

/**
 * "I typed the code": asks Twilio whether the number is verified. Each ask counts; the fifth
 * locks the number for an hour (the database sets and enforces the lock).
 */
export async function confirmVerification(deps: TelephonyDeps, who: Who, verificationId: string): Promise<ConfirmVerificationResponse> {
  requireManager(who, "verify a phone number");
  const twilio = await deps.callerIds(who.orgId);
  if (!twilio.provider) throw new DomainError("conflict", "twilio_not_connected", twilio.reason);
  const counted = await deps.db.asService(who.orgId, async (db) => {
    const row = await q.findVerifiedCallerId(db, who.orgId, verificationId);
    if (!row) throw notFound("No such verification. Start again with the number.", "verification_not_found");
    if (row.status === "verified") return { row, ask: false };
    if (row.locked)
      throw limitRefusal({
        code: "VX429",
        hint: "caller_id_locked",
        message: `This number is locked after ${MAX_CONFIRM_ATTEMPTS} confirm attempts until ${row.locked_until!.toISOString()}.`,
      })!;
    if (row.pending_lapsed) {
      // Committed before refusing, so the list shows it expired at once.
      await q.markVerificationExpired(db, who.orgId, row.id);
      return { row, ask: false, lapsed: true };
    }
    if (row.status !== "pending") throw conflict("This verification is over. Start again: Twilio will call with a new code.", "verification_not_pending");
    try {
      return { row: (await q.countConfirmAttempt(db, who.orgId, row.id))!, ask: true };
    } catch (err) {
      throw limitRefusal(err) ?? err;
    }
  });
  if ("lapsed" in counted) {
    throw conflict("The 10 minutes to verify this number have passed. Start again: Twilio will call with a new code.", "verification_expired");
  }
  let row = counted.row;
  if (counted.ask) {
    const sid = await twilio.provider.findVerified(row.phone_number);
    if (sid) {
      row = await deps.db.asService(who.orgId, async (db) => {
        if (await q.markVerified(db, who.orgId, row.id, sid)) {
          await q.insertTelephonyAudit(db, {
            orgId: who.orgId,
            actorUserId: who.userId,
            action: "caller_id.verified",
            targetType: "verified_caller_id",
            targetId: row.id,
            data: { via: "confirm", last4: row.phone_number.slice(-4) },
          });
        }
        return (await q.findVerifiedCallerId(db, who.orgId, row.id))!;
      });
    }
  }
  const verified = row.status === "verified";
  const remaining = verified ? MAX_CONFIRM_ATTEMPTS - row.confirm_attempts : Math.max(0, MAX_CONFIRM_ATTEMPTS - row.confirm_attempts);
  return {
    verification: toVerifiedNumber(row),
    verified,
    attemptsRemaining: remaining,
    message: verified
      ? "Verified: this number is yours."
      : remaining > 0
        ? `Twilio has not confirmed the number yet. Answer Twilio's call and type the code, then check again (${remaining} ${remaining === 1 ? "check" : "checks"} left).`
        : `Twilio has not confirmed the number. After ${MAX_CONFIRM_ATTEMPTS} checks the number is locked for an hour.`,
  };
}

/** The signed StatusCallback's outcome (the signature was checked by the webhook). */
export async function recordCallerIdCallback(
  db: Db,
  orgId: string,
  cb: { phone: string; status: string; callerIdSid: string | null },
): Promise<"verified" | "failed" | "ignored"> {
  const row = await q.findVerifiedCallerIdByPhone(db, orgId, cb.phone);
  if (!row) return "ignored";
  if (cb.status === "success") {
    if (await q.markVerified(db, orgId, row.id, cb.callerIdSid)) {
      await q.insertTelephonyAudit(db, {
        orgId,
        actorUserId: null,
        actorType: "twilio",
        action: "caller_id.verified",
        targetType: "verified_caller_id",
        targetId: row.id,
        data: { via: "status_callback", last4: cb.phone.slice(-4) },
      });
    }
    return "verified";
  }
  if (cb.status === "failed") {
    return (await q.markVerificationFailed(db, orgId, row.id, "Twilio's call ended without the right code (not answered, busy, or a wrong code)."))
      ? "failed"
      : "ignored";
  }
  return "ignored";
}

export async function listVerifiedNumbers(db: Db, orgId: string): Promise<VerifiedNumber[]> {
  return (await q.listVerifiedCallerIds(db, orgId)).map(toVerifiedNumber);
}

/** Removes the number here and its caller ID at Twilio (Twilio first: nothing is left behind there). */
export async function removeVerifiedNumber(
  deps: TelephonyDeps,
  who: Who,
  verifiedId: string,
): Promise<{ ok: true; message: string; deactivationCode: string | null }> {
  requireManager(who, "remove a verified number");
  const found = await deps.db.asService(who.orgId, async (db) => {
    const row = await q.findVerifiedCallerId(db, who.orgId, verifiedId);
    if (!row) throw notFound("No such number.", "verified_number_not_found");
    return { row, config: await q.findForwardingConfigByCallerId(db, who.orgId, verifiedId) };
  });
  if (found.row.twilio_caller_id_sid) {
    const twilio = await deps.callerIds(who.orgId);
    if (twilio.provider) await twilio.provider.remove(found.row.twilio_caller_id_sid);
  }
  await deps.db.asService(who.orgId, async (db) => {
    await q.deleteVerifiedCallerId(db, who.orgId, verifiedId);
    await q.insertTelephonyAudit(db, {
      orgId: who.orgId,
      actorUserId: who.userId,
      action: "caller_id.removed",
      targetType: "verified_caller_id",
      targetId: verifiedId,
      data: { last4: found.row.phone_number.slice(-4) },
    });
  });
  const active = found.config && found.config.status !== "disabled" ? found.config.deactivation_code : null;
  return {
    ok: true,
    message: active ? `Number removed. Dial ${active} on that phone to stop forwarding its calls.` : "Number removed.",
    deactivationCode: active,
  };
}

export async function getForwardingConfig(db: Db, orgId: string, verifiedCallerId: string): Promise<ForwardingConfig | null> {
  const row = await q.findForwardingConfigByCallerId(db, orgId, verifiedCallerId);
  return row ? toForwardingConfig(row) : null;
}

/** Stores the clinic's choice and answers with the exact codes to dial. */
export async function saveForwardingConfig(db: Db, who: Who, body: SaveForwardingConfigBody): Promise<ForwardingConfig> {
  requireManager(who, "set up call forwarding");
  const number = await q.findVerifiedCallerId(db, who.orgId, body.verifiedCallerId);
  if (!number) throw notFound("No such number. Verify it first.", "verified_number_not_found");
  if (number.status !== "verified") throw conflict("Verify this number before setting up forwarding from it.", "number_not_verified");
  const destination = await q.receptionistNumber(db, who.orgId);
  if (!destination) throw conflict("Connect the clinic's Twilio number first: calls are forwarded to it.", "no_receptionist_number");
  const ringTimeSeconds = body.ringTimeSeconds ?? null;
  const voicemailNumber = body.voicemailNumber ?? null;
  const codes = forwardingCodes({ carrier: body.carrier, forwardingType: body.forwardingType, destination, ringTimeSeconds, voicemailNumber });
  const row = await q.upsertForwardingConfig(db, {
    org_id: who.orgId,
    verified_caller_id: number.id,
    sim_phone_number: number.phone_number,
    destination_number: destination,
    carrier: body.carrier,
    forwarding_type: body.forwardingType,
    ring_time_seconds: ringTimeSeconds,
    voicemail_number: voicemailNumber,
    activation_code: codes.activationCode,
    deactivation_code: codes.deactivationCode,
  });
  await q.insertTelephonyAudit(db, {
    orgId: who.orgId,
    actorUserId: who.userId,
    action: "forwarding.configured",
    targetType: "hybrid_forwarding_config",
    targetId: row.id,
    data: { carrier: body.carrier, forwardingType: body.forwardingType, ringTimeSeconds },
  });
  return toForwardingConfig(row);
}

export async function confirmForwarding(
  db: Db,
  who: Who,
  input: { forwardingConfigId: string; outcome: "forwarded" | "not_forwarded" },
): Promise<{ config: ForwardingConfig; message: string }> {
  requireManager(who, "set up call forwarding");
  const row = await q.recordForwardingTest(db, who.orgId, input.forwardingConfigId, input.outcome);
  if (!row) throw notFound("No such forwarding setup (or it was turned off). Choose the carrier again.", "forwarding_config_not_found");
  await q.insertTelephonyAudit(db, {
    orgId: who.orgId,
    actorUserId: who.userId,
    action: "forwarding.tested",
    targetType: "hybrid_forwarding_config",
    targetId: row.id,
    data: { outcome: input.outcome },
  });
  return {
    config: toForwardingConfig(row),
    message:
      input.outcome === "forwarded"
        ? "Forwarding is on: calls to your number now reach the receptionist."
        : `Forwarding is not working yet. Dial ${row.activation_code} again and wait for the network's confirmation; if it says "Setting failed", use your phone's call-forwarding menu or your carrier's app.`,
  };
}

export async function disableForwarding(db: Db, who: Who, configId: string): Promise<{ config: ForwardingConfig; deactivationCode: string; message: string }> {
  requireManager(who, "turn off call forwarding");
  const row = await q.disableForwardingConfig(db, who.orgId, configId);
  if (!row) throw notFound("No such forwarding setup.", "forwarding_config_not_found");
  await q.insertTelephonyAudit(db, {
    orgId: who.orgId,
    actorUserId: who.userId,
    action: "forwarding.disabled",
    targetType: "hybrid_forwarding_config",
    targetId: row.id,
    data: {},
  });
  return {
    config: toForwardingConfig(row),
    deactivationCode: row.deactivation_code,
    message: `Dial ${row.deactivation_code} on your phone to stop forwarding.`,
  };
}
