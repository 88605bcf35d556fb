import type { Database } from "../../db/database";
import { isConnected } from "../credentials/service";

/** Why a text was not sent (or not yet), for machines; `reason` is the sentence for people. */
export type SmsReasonCode =
  | "opted_out"
  | "quiet_hours"
  | "rate_limited"
  | "not_connected"
  | "sender_unavailable"
  | "no_recipient"
  | "invalid_number"
  | "provider_error";

export type SmsOutcome =
  | { status: "sent"; provider: string; externalMessageId: string | null }
  | { status: "not_sent" | "failed"; reason: string; code?: SmsReasonCode }
  /** Not now: quiet hours or the clinic's hourly limit. Send again at `retryAt` (the message stays queued). */
  | { status: "deferred"; reason: string; code: "quiet_hours" | "rate_limited"; retryAt: Date };

/**
 * Sends one SMS from the clinic's own Twilio account (BYOC), applying the clinic's rules first: an
 * opted-out number gets nothing, patient texts wait out quiet hours, and the clinic's hourly limit
 * holds. `messageId` is the row already recorded in `messages` (status queued): it is claimed
 * while sending so concurrent senders count it. The Twilio integration supplies the real sender
 * (integrations/twilio/sms.ts); until an org has connected Twilio, messages are recorded as not
 * sent, with why.
 */
export type SmsSender = (input: {
  db: Database;
  orgId: string;
  to: string;
  body: string;
  /** Patients get quiet hours; texts to the clinic itself (alerts) do not. Default "clinic". */
  audience?: "patient" | "clinic";
  messageId?: string;
  now?: Date;
}) => Promise<SmsOutcome>;

export const TWILIO_NOT_CONNECTED = "Twilio is not connected. Connect your Twilio account under Integrations (/integrations) to send SMS.";
export const SMS_SENDER_UNAVAILABLE = "Twilio is connected, but SMS sending is not enabled on this server yet.";
export const OPTED_OUT = "The recipient replied STOP to this clinic's number, so nothing more is texted to them until they reply START.";

/** The sender used when none is registered: it never pretends to have sent anything. */
export const unavailableSmsSender: SmsSender = async ({ db, orgId }) => {
  const connected = await db.asService(orgId, (tx) => isConnected(tx, orgId, "twilio"));
  return connected
    ? { status: "not_sent", reason: SMS_SENDER_UNAVAILABLE, code: "sender_unavailable" }
    : { status: "not_sent", reason: TWILIO_NOT_CONNECTED, code: "not_connected" };
};
