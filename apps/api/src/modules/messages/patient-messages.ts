/**
 * Messages the front desk sends a patient (appointment reminders, follow-ups after a call). Each
 * is recorded in `messages` first, in the transaction of the action that asked for it: queued for
 * the `patient-sms` job when it can go out, or `not_sent` with the reason a clinic can act on
 * (Twilio not connected, the patient opted out, no email address). Emails are queued for the
 * `patient-email` job, which delivers them through the one email path (modules/email/service.ts).
 */
import type { MessageOutcome } from "@voxanne/contracts";
import type { Db } from "../../db/database";
import type { JobQueue } from "../../lib/job-queue";
import { isConnected } from "../credentials/service";
import { setSubject } from "../email/queries";
import { insertMessage, smsOptedOut } from "./queries";

export const PATIENT_SMS_JOB = "patient-sms";
export const PATIENT_EMAIL_JOB = "patient-email";
export type PatientSmsData = { orgId: string; messageId: string };
export type PatientEmailData = { orgId: string; messageId: string };

/** One SMS segment: the follow-up box and the reminder text stay within it. */
export const SMS_MAX_CHARS = 160;

export const PATIENT_OPTED_OUT = "The patient opted out of text messages, so nothing was sent. Call them instead.";
export const PATIENT_TWILIO_NOT_CONNECTED = "Not sent: Twilio is not connected. Connect your Twilio account under Integrations to text patients.";
export const NO_PHONE = "This patient has no phone number on file.";
export const NO_EMAIL = "This patient has no email address on file. Add one on their lead, or send an SMS.";

export type PatientMessage = {
  method: "sms" | "email";
  purpose: "reminder" | "follow_up" | "recording_share";
  recipient: string | null;
  content: string;
  /** An email's subject line. */
  subject?: string;
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
  if (row.inserted && m.method === "email" && m.subject) await setSubject(db, orgId, row.id, m.subject.slice(0, 300));
  if (row.inserted && row.status === "queued" && jobs) {
    const job = m.method === "email" ? PATIENT_EMAIL_JOB : PATIENT_SMS_JOB;
    await jobs.send(job, { orgId, messageId: row.id } satisfies PatientSmsData, { db, singletonKey: `${job}:${row.id}` });
  }
  return { id: row.id, method: m.method, status: row.status, reason: row.status_reason, recipient: m.recipient };
}

async function whyNotSent(db: Db, orgId: string, m: PatientMessage): Promise<string | null> {
  if (m.method === "email") return m.recipient ? null : NO_EMAIL;
  if (!m.recipient) return NO_PHONE;
  if (await smsOptedOut(db, orgId, m.recipient)) return PATIENT_OPTED_OUT;
  if (!(await isConnected(db, orgId, "twilio"))) return PATIENT_TWILIO_NOT_CONNECTED;
  return null;
}
