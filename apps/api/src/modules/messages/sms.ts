import type { Database } from "../../db/database";
import { isConnected } from "../credentials/service";

export type SmsOutcome = { status: "sent"; provider: string; externalMessageId: string | null } | { status: "not_sent" | "failed"; reason: string };

/**
 * Sends one SMS from the clinic's own Twilio account (BYOC). The Twilio integration supplies the
 * real sender; until an org has connected Twilio, messages are recorded as not sent, with why.
 */
export type SmsSender = (input: { db: Database; orgId: string; to: string; body: string }) => Promise<SmsOutcome>;

export const TWILIO_NOT_CONNECTED = "Twilio is not connected. Connect your Twilio account under Integrations to receive SMS alerts.";
export const SMS_SENDER_UNAVAILABLE = "Twilio is connected, but SMS sending is not enabled on this server yet.";

/** The sender used when none is registered: it never pretends to have sent anything. */
export const unavailableSmsSender: SmsSender = async ({ db, orgId }) => {
  const connected = await db.asService(orgId, (tx) => isConnected(tx, orgId, "twilio"));
  return { status: "not_sent", reason: connected ? SMS_SENDER_UNAVAILABLE : TWILIO_NOT_CONNECTED };
};
