/**
 * Live call control through Vapi's per-call control URL (reference: docs/SECURITY.md § Live call
 * control). Staff take a call over from the drawer ("Transfer to me", "End call"); an emergency is
 * transferred to the clinic at once. The URL itself never leaves the server: it is read here, posted
 * to by the sender the caller passes in (integrations/vapi/control.ts), and never returned or logged.
 */
import type { Database, Db } from "../../db/database";
import { conflict, DomainError, notFound } from "../../lib/domain-error";
import type { JobQueue } from "../../lib/job-queue";
import type { Logger } from "../../logger";
import { type Actor, insertAudit, insertAuditEvent } from "../audit/queries";
import { EMERGENCY_ALERT_JOB, EMERGENCY_ALERT_DELAY_SECONDS, type EmergencyAlertData } from "../messages/emergency-alert";
import { controllableCall, flagEmergencyCall, forgetControlUrl, recordEmergencyTransfer, rememberControlUrl } from "./queries";

/** The control messages we send (Vapi's `ClientInboundMessage`). */
export type ControlMessage = { type: "end-call" } | { type: "transfer"; destination: { type: "number"; number: string }; content?: string };

/** What Vapi answered: `ended` when the call is already over (Vapi answers 404 then). */
export type ControlResult = { ok: true } | { ok: false; ended: boolean; reason: string };

/** Posts one control message to a call's control URL. Never throws. */
export type ControlSender = (controlUrl: string, message: ControlMessage) => Promise<ControlResult>;

export type TakeOverAction = "transfer" | "end";

const CANNOT_CONTROL = "This call can't be controlled from here:";

/**
 * "Transfer to me" (to the clinic's transfer number) or "End call" for a live call. Checked and
 * read in one transaction, posted to Vapi outside it (a slow Vapi holds no connection), and the
 * outcome audited whether Vapi accepted it or not.
 */
export async function takeOverCall(
  deps: { db: Database; send: ControlSender; log: Logger },
  actor: Actor,
  callId: string,
  action: TakeOverAction,
): Promise<{ action: TakeOverAction; transferredTo: string | null; message: string }> {
  const call = await deps.db.asService(actor.orgId, (db) => controllableCall(db, actor.orgId, callId));
  if (!call) throw notFound("No call with this id in your clinic.");
  if (call.status === "ended") throw conflict(`${CANNOT_CONTROL} it has already ended.`, "call_not_live");
  if (!call.control_url) {
    throw conflict(
      `${CANNOT_CONTROL} Vapi did not give us a control link for it (call control is turned on when the assistant is saved on the Agent page).`,
      "no_control_url",
    );
  }
  const to = action === "transfer" ? call.transfer_number : null;
  if (action === "transfer" && !to) {
    throw conflict("No transfer number is set. Add one in Settings (call handling) or on the Agent page, then try again.", "no_transfer_number");
  }
  const message: ControlMessage =
    action === "transfer"
      ? { type: "transfer", destination: { type: "number", number: to! }, content: "Please hold while I connect you to the clinic." }
      : { type: "end-call" };
  const result = await deps.send(call.control_url, message);

  await deps.db.asService(actor.orgId, async (db) => {
    await insertAudit(db, actor, {
      action: action === "transfer" ? "call.transferred_by_staff" : "call.ended_by_staff",
      targetType: "call",
      targetId: callId,
      data: { outcome: result.ok ? "sent" : "failed", ...(to ? { to } : {}), ...(result.ok ? {} : { reason: result.reason }) },
    });
    if (!result.ok && result.ended) await forgetControlUrl(db, call.vapi_call_id);
  });
  if (!result.ok) {
    deps.log.warn({ callId, action, reason: result.reason }, "take-over refused by Vapi");
    if (result.ended) throw conflict(`${CANNOT_CONTROL} it has already ended.`, "call_not_live");
    throw new DomainError("unavailable", "vapi_control_failed", `Vapi did not accept the request (${result.reason}). The call is unchanged; try again.`);
  }
  return action === "transfer"
    ? { action, transferredTo: to, message: `Transferring the call to ${to}.` }
    : { action, transferredTo: null, message: "The call is being ended." };
}

/** An emergency call to transfer once the tool call's transaction has committed. */
export type EmergencyTransferPlan = { orgId: string; vapiCallId: string; to: string; controlUrl: string; content: string; phrase: string };

/**
 * Inside the tool call's transaction, when a caller describes an emergency: remembers the control
 * URL, flags the call, and — the first time for this call only — queues the clinic's alert SMS and
 * decides the transfer. Returns the transfer to make after commit, when we can make it ourselves.
 */
export async function flagEmergency(
  db: Db,
  jobs: JobQueue | undefined,
  e: {
    orgId: string;
    vapiCallId: string;
    callerNumber: string | null;
    clinicNumber: string | null;
    controlUrl: string | null;
    transferTo: string | null;
    phrase: string;
    spoken: string;
    now: Date;
  },
): Promise<EmergencyTransferPlan | null> {
  if (!e.vapiCallId) return null;
  if (e.controlUrl) await rememberControlUrl(db, { vapiCallId: e.vapiCallId, url: e.controlUrl, orgId: e.orgId });
  const flagged = await flagEmergencyCall(db, { orgId: e.orgId, vapiCallId: e.vapiCallId, fromNumber: e.callerNumber, toNumber: e.clinicNumber });
  if (!flagged?.first) return null;
  const decided = { orgId: e.orgId, vapiCallId: e.vapiCallId, to: e.transferTo, at: e.now, reason: `Emergency: ${e.phrase}` };
  if (!e.transferTo) {
    await recordEmergencyTransfer(db, { ...decided, status: "not_possible", note: "No transfer number is set." });
  } else if (!e.controlUrl) {
    await recordEmergencyTransfer(db, { ...decided, status: "requested", note: "The assistant was told to transfer the call." });
  }
  const alert: EmergencyAlertData = { orgId: e.orgId, vapiCallId: e.vapiCallId, phrase: e.phrase, at: e.now.toISOString(), transferTo: e.transferTo };
  // After the transfer attempt (bounded by the control request's timeout), so the text can say how it went.
  await jobs?.send(EMERGENCY_ALERT_JOB, alert, { db, startAfterSeconds: EMERGENCY_ALERT_DELAY_SECONDS });
  return e.transferTo && e.controlUrl
    ? { orgId: e.orgId, vapiCallId: e.vapiCallId, to: e.transferTo, controlUrl: e.controlUrl, content: e.spoken, phrase: e.phrase }
    : null;
}

/** Transfers the emergency call through its control URL and records how it went. Never throws. */
export async function transferEmergencyCall(
  deps: { db: Database; send: ControlSender; now: Date; log: Logger },
  plan: EmergencyTransferPlan,
): Promise<boolean> {
  const result = await deps.send(plan.controlUrl, { type: "transfer", destination: { type: "number", number: plan.to }, content: plan.content });
  try {
    await deps.db.asService(plan.orgId, async (db) => {
      await recordEmergencyTransfer(db, {
        orgId: plan.orgId,
        vapiCallId: plan.vapiCallId,
        status: result.ok ? "transferred" : "failed",
        to: plan.to,
        note: result.ok ? null : result.reason,
        at: deps.now,
        reason: `Emergency: ${plan.phrase}`,
      });
      await insertAuditEvent(db, {
        orgId: plan.orgId,
        actorUserId: null,
        actorType: "system",
        action: "call.emergency_transfer",
        targetType: "call",
        targetId: plan.vapiCallId,
        data: { to: plan.to, outcome: result.ok ? "transferred" : "failed", ...(result.ok ? {} : { reason: result.reason }) },
      });
    });
  } catch (err) {
    deps.log.error({ err, vapiCallId: plan.vapiCallId }, "emergency transfer outcome not recorded");
  }
  if (!result.ok) deps.log.warn({ vapiCallId: plan.vapiCallId, reason: result.reason }, "emergency transfer refused by Vapi");
  return result.ok;
}

export { forgetControlUrl, rememberControlUrl };
