import type { Config } from "../../config";
import { credentialStatus, readCredential } from "../../modules/credentials/service";
import { insertOptOut, releaseMessageClaim } from "../../modules/messages/queries";
import { OPTED_OUT, type SmsSender, TWILIO_NOT_CONNECTED } from "../../modules/messages/sms";
import { decideSms } from "../../modules/messages/sms-policy";
import { twilioWebhookUrl, type TwilioConnectionMetadata } from "../../modules/twilio/connection";
import { createTwilioClient, twilioMessage, twilioRestError } from "./client";

/** Twilio's codes for a recipient who opted out (21610) and for numbers that cannot get SMS. */
const UNSUBSCRIBED = 21610;
const INVALID_NUMBER = new Set([21211, 21614, 21408, 21612]);

/**
 * The SmsSender for every clinic (modules/messages/sms.ts): the clinic's rules (opt-out, quiet
 * hours, hourly limit; modules/messages/sms-policy.ts), then `messages.create` through the real
 * SDK from the clinic's connected number, with a status callback signed by the clinic's token
 * (POST /api/webhooks/twilio/:orgId/status). A 5xx or an unreachable Twilio throws, so the job that
 * called it retries; a 4xx is the message's final outcome.
 */
export function twilioSmsSender(config: Pick<Config, "TWILIO_API_BASE_URL" | "PUBLIC_API_URL" | "encryptionKeys">): SmsSender {
  return async ({ db, orgId, to, body, audience = "clinic", messageId, now = new Date() }) => {
    const prepared = await db.asService(orgId, async (tx) => {
      const summary = await credentialStatus(tx, orgId, "twilio");
      const meta = summary.metadata as Partial<TwilioConnectionMetadata>;
      if (summary.status !== "active" || !meta.phoneNumber)
        return { decision: { status: "not_sent" as const, code: "not_connected" as const, reason: TWILIO_NOT_CONNECTED } };
      const decision = await decideSms(tx, orgId, { to, audience, now, messageId });
      if ("status" in decision) return { decision };
      return { decision, credentials: await readCredential(tx, config.encryptionKeys, orgId, "twilio"), meta };
    });
    const { decision } = prepared;
    if ("status" in decision) return decision;
    const credentials = prepared.credentials!;
    const meta = prepared.meta!;
    try {
      const sent = await createTwilioClient(credentials, config).messages.create({
        to,
        from: meta.phoneNumber!,
        body,
        // Only an auth token can verify Twilio's signature on the callback.
        ...(meta.authMode === "auth_token" ? { statusCallback: twilioWebhookUrl(config.PUBLIC_API_URL, orgId, "status") } : {}),
      });
      return { status: "sent", provider: "twilio", externalMessageId: sent.sid };
    } catch (err) {
      const rest = twilioRestError(err);
      if (!rest || rest.status >= 500 || rest.status === 429) {
        if (messageId) await db.asService(orgId, (tx) => releaseMessageClaim(tx, orgId, messageId));
        throw new Error(`Twilio did not take the message: ${twilioMessage(err)}`);
      }
      if (rest.code === UNSUBSCRIBED) {
        await db.asService(orgId, (tx) => insertOptOut(tx, orgId, to, "carrier"));
        return { status: "not_sent", code: "opted_out", reason: OPTED_OUT };
      }
      return { status: "failed", code: INVALID_NUMBER.has(rest.code ?? 0) ? "invalid_number" : "provider_error", reason: `${twilioMessage(err)}.` };
    }
  };
}
