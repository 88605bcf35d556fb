/**
 * Messages the front desk sends a patient (appointment reminders, follow-ups after a call). Each
 * is recorded in `messages` first, in the transaction of the action that asked for it: queued for
 * the `patient-sms` job when it can go out, or `not_sent` with the reason a clinic can act on
 * (Twilio not connected, the patient opted out, email not available on this server).
 */
import type { MessageOutcome } from "@voxanne/contracts";
import type { Db } from "../../db/database";
import type { JobQueue } from "../../lib/job-queue";
import { isConnected } from "../credentials/service";
import { insertMessage, smsOptedOut } from "./queries";

export const PATIENT_SMS_JOB = "patient-sms";
export type PatientSmsData = { orgId: string; messageId: string };

/** One SMS segment: the follow-up box and the reminder text stay within it. */
export const SMS_MAX_CHARS = 160;

export const PATIENT_OPTED_OUT = "The patient opted out of text messages, so nothing was sent. Call them instead.";
export const PATIENT_TWILIO_NOT_CONNECTED = "Not sent: Twilio is not connected. Connect your Twilio account under Integrations to text patients.";
export const EMAIL_NOT_AVAILABLE = "Email is not available on this server yet. Send it by SMS, or call the patient.";
export const NO_PHONE = "This patient has no phone number on file.";
export const NO_EMAIL = "This patient has no email address on file. Add one on their lead, or send an SMS.";

export type PatientMessage = {
  method: "sms" | "email";
  purpose: "reminder" | "follow_up" | "recording_share";
  recipient: string | null;
  content: string;
  contactId: string | null;
  callLogId?: string | null;
  idempotencyKey?: string;
};

/** Records the message and queues the SMS when it can go out; the answer says what happened, in the clinic's words. */
export async function recordPatientMessage(db: Db, orgId: string, jobs: JobQueue | undefined, m: PatientMessage): Promise<MessageOutcome> {
  const reason = await whyNotSent(db, orgId, m);
  const row = await insertMessage(db, orgId, {
    method: m.method,
    purpose: m.purpose,
    recipient: m.recipient,
    content: m.content,
    status: reason ? "not_sent" : "queued",
    statusReason: reason,
    contactId: m.contactId,
    callLogId: m.callLogId ?? null,
    idempotencyKey: m.idempotencyKey ?? null,
  });
  if (row.inserted && row.status === "queued") {
    if (jobs) await jobs.send(PATIENT_SMS_JOB, { orgId, messageId: row.id } satisfies PatientSmsData, { db, singletonKey: `patient-sms:${row.id}` });
  }
  return { id: row.id, method: m.method, status: row.status, reason: row.status_reason, recipient: m.recipient };
}

async function whyNotSent(db: Db, orgId: string, m: PatientMessage): Promise<string | null> {
  if (m.method === "email") return m.recipient ? EMAIL_NOT_AVAILABLE : NO_EMAIL;
  if (!m.recipient) return NO_PHONE;
  if (await smsOptedOut(db, orgId, m.recipient)) return PATIENT_OPTED_OUT;
  if (!(await isConnected(db, orgId, "twilio"))) return PATIENT_TWILIO_NOT_CONNECTED;
  return null;
}
