/**
 * What the front desk can do with a call from its drawer: export the transcript, share the
 * recording by a link that expires, and text the caller a follow-up. Each is audited in the
 * transaction that does it.
 */
import type { CallTranscriptMessage, MessageOutcome } from "@voxanne/contracts";
import { DateTime } from "luxon";
import type { Db } from "../../db/database";
import { conflict, notFound } from "../../lib/domain-error";
import type { JobQueue } from "../../lib/job-queue";
import { signLink } from "../../lib/signed-links";
import { type Actor, insertAudit } from "../audit/queries";
import { clinicById } from "../clinic/queries";
import { recordPatientMessage } from "../messages/patient-messages";
import { type CallDetailRow, getCall } from "./queries";

/** How long a shared recording link works. */
export const SHARE_LINK_HOURS = 24;
export const SHARED_RECORDING_PATH = "/api/recordings/shared";

async function callOf(db: Db, orgId: string, callId: string): Promise<CallDetailRow> {
  const call = await getCall(db, orgId, callId);
  if (!call) throw notFound("No call with this id in your clinic.");
  return call;
}

const SPEAKER: Record<CallTranscriptMessage["role"], string> = {
  assistant: "Receptionist",
  user: "Caller",
  system: "System",
  tool_call: "Step",
  tool_result: "Step",
};

/** "call-2026-03-10-maria-lopez.txt" */
function transcriptFilename(call: CallDetailRow, timeZone: string): string {
  const day = DateTime.fromJSDate(new Date(call.started_at), { zone: timeZone }).toISODate();
  const who = (call.contact_name ?? "caller")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `call-${day}-${who || "caller"}.txt`;
}

export async function exportTranscript(db: Db, actor: Actor, callId: string): Promise<{ filename: string; content: string }> {
  const call = await callOf(db, actor.orgId, callId);
  const clinic = await clinicById(db, actor.orgId);
  const zone = clinic?.timezone ?? "UTC";
  const messages = (call.messages ?? []) as CallTranscriptMessage[];
  const spoken = messages.filter((m) => m.role === "assistant" || m.role === "user");
  const lines = spoken.length ? spoken.map((m) => `${SPEAKER[m.role]}: ${m.text}`) : (call.transcript ?? "").split("\n");
  if (!lines.join("").trim()) throw conflict("This call has no transcript yet. It is added when the call ends.", "no_transcript");
  const started = DateTime.fromJSDate(new Date(call.started_at), { zone }).setLocale("en-US").toFormat("cccc, LLLL d, yyyy 'at' h:mm a");
  const header = [`Call with ${call.contact_name ?? call.from_number ?? "an unknown caller"}`, `${started} (${zone})`, ""];
  await insertAudit(db, actor, { action: "call.transcript_exported", targetType: "call", targetId: callId, data: { lines: lines.length } });
  return { filename: transcriptFilename(call, zone), content: `${[...header, ...lines].join("\n")}\n` };
}

export async function shareRecording(
  db: Db,
  actor: Actor,
  deps: { secret: string; publicUrl: string; now: Date; jobs: JobQueue | undefined },
  callId: string,
  email: string | undefined,
): Promise<{ url: string; expiresAt: string; email: { status: MessageOutcome["status"]; reason: string | null } | null }> {
  const call = await callOf(db, actor.orgId, callId);
  if (!call.recording_url && !call.stereo_recording_url) throw conflict("This call has no recording to share.", "no_recording");
  const expiresAt = deps.now.getTime() + SHARE_LINK_HOURS * 3600_000;
  const token = signLink(deps.secret, { purpose: "recording", orgId: actor.orgId, callId, expiresAt });
  const url = `${deps.publicUrl.replace(/\/$/, "")}${SHARED_RECORDING_PATH}/${token}`;
  const clinic = await clinicById(db, actor.orgId);
  const until = DateTime.fromMillis(expiresAt, { zone: clinic?.timezone ?? "UTC" })
    .setLocale("en-US")
    .toFormat("cccc, LLLL d 'at' h:mm a");
  // Queued for the patient-email job (SMTP, or the development outbox); the link can still be copied.
  const emailOutcome = email
    ? await recordPatientMessage(db, actor.orgId, deps.jobs, {
        method: "email",
        purpose: "recording_share",
        recipient: email,
        subject: `A call recording from ${clinic?.name ?? "your clinic"}`,
        content: `${clinic?.name ?? "The clinic"} shared a call recording with you.\n\nListen here: ${url}\n\nThe link works until ${until}.`,
        contactId: call.contact_id,
        callLogId: call.id,
      })
    : null;
  await insertAudit(db, actor, {
    action: "call.recording_shared",
    targetType: "call",
    targetId: callId,
    data: { expiresAt: new Date(expiresAt).toISOString(), emailed: Boolean(email), emailStatus: emailOutcome?.status ?? null },
  });
  return { url, expiresAt: new Date(expiresAt).toISOString(), email: emailOutcome && { status: emailOutcome.status, reason: emailOutcome.reason } };
}

export async function sendFollowUp(db: Db, actor: Actor, jobs: JobQueue | undefined, callId: string, message: string): Promise<MessageOutcome> {
  const call = await callOf(db, actor.orgId, callId);
  const phone = call.contact_phone ?? (call.direction === "outbound" ? call.to_number : call.from_number);
  const outcome = await recordPatientMessage(db, actor.orgId, jobs, {
    method: "sms",
    purpose: "follow_up",
    recipient: phone,
    content: message,
    contactId: call.contact_id,
    callLogId: call.id,
  });
  await insertAudit(db, actor, {
    action: "call.follow_up_sent",
    targetType: "call",
    targetId: callId,
    data: { status: outcome.status, reason: outcome.reason, characters: message.length },
  });
  return outcome;
}
