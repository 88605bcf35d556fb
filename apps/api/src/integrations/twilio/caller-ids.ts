import type { Config } from "../../config";
import type { Database } from "../../db/database";
import { CredentialError } from "../../modules/credentials/crypto";
import { readCredential } from "../../modules/credentials/service";
import { type CallerIdProvider, CallerIdRequestRefused } from "../../modules/telephony/service";
import { createTwilioClient, type TwilioRestClient, twilioRestError } from "./client";

/**
 * Caller-ID verification with the clinic's own Twilio account: validationRequests.create
 * makes Twilio call the number with a code Twilio generates; outgoingCallerIds.list tells whether the
 * number is verified. The SDK client is client.ts's (TWILIO_API_BASE_URL; tests run it against
 * test/helpers/fake-twilio.ts).
 */

export const TWILIO_NOT_CONNECTED =
  "Connect your clinic's Twilio account first (account SID and auth token): Twilio places the verification call and signs its result with that account.";

/** `{PUBLIC_API_URL}/api/webhooks/twilio/{orgId}/caller-id`: the org id in the path picks the token that checks the signature. */
export function callerIdStatusCallbackUrl(config: Pick<Config, "PUBLIC_API_URL">, orgId: string): string {
  return `${config.PUBLIC_API_URL.replace(/\/+$/, "")}/api/webhooks/twilio/${orgId}/caller-id`;
}

/** Twilio's errors that are about the number asked for, with a sentence for the person who typed it. */
function refusal(err: unknown): CallerIdRequestRefused | null {
  const e = twilioRestError(err);
  if (!e || e.status < 400 || e.status >= 500) return null;
  const code = typeof e.code === "number" ? e.code : null;
  const known: Record<number, string> = {
    21453: "This number is already verified on another Twilio account; it cannot be verified on yours.",
    21449: "This number is already a Twilio number on your account; it needs no verification.",
    21454: "Twilio refused the call delay.",
  };
  if (code && known[code]) return new CallerIdRequestRefused(known[code]!, code);
  if (e.status === 401 || e.status === 403)
    return new CallerIdRequestRefused("Twilio refused your clinic's credentials. Reconnect Twilio with a current auth token.", code);
  return new CallerIdRequestRefused(`Twilio refused this number: ${e.message ?? "invalid phone number"}. Check it and try again.`, code);
}

export function callerIdProviderFor(client: TwilioRestClient): CallerIdProvider {
  const findVerified = async (phone: string) => {
    const ids = await client.outgoingCallerIds.list({ phoneNumber: phone, limit: 1 });
    const hit = ids.find((id) => id.phoneNumber === phone);
    return hit?.sid ?? null;
  };
  return {
    findVerified,
    async requestValidation({ phone, friendlyName, statusCallback }) {
      try {
        const vr = await client.validationRequests.create({
          phoneNumber: phone,
          ...(friendlyName ? { friendlyName } : {}),
          statusCallback,
          statusCallbackMethod: "POST",
        });
        return { kind: "calling", validationCode: vr.validationCode, callSid: vr.callSid ?? null };
      } catch (err) {
        // 21450 "already validated on your account": nothing to call for.
        if (twilioRestError(err)?.code === 21450) {
          const sid = await findVerified(phone);
          if (sid) return { kind: "already_verified", callerIdSid: sid };
        }
        throw refusal(err) ?? err;
      }
    },
    async remove(sid) {
      try {
        await client.outgoingCallerIds(sid).remove();
      } catch (err) {
        if (twilioRestError(err)?.status !== 404) throw err;
      }
    },
  };
}

/** Per request: the clinic's Twilio account as a CallerIdProvider, or what to do to get one. */
export function callerIdProviders(deps: { db: Database; config: Pick<Config, "TWILIO_API_BASE_URL" | "encryptionKeys"> }) {
  return async (orgId: string): Promise<{ provider: CallerIdProvider } | { provider: null; reason: string }> => {
    try {
      const creds = await deps.db.asService(orgId, (db) => readCredential(db, deps.config.encryptionKeys, orgId, "twilio"));
      return { provider: callerIdProviderFor(createTwilioClient(creds, deps.config)) };
    } catch (err) {
      if (err instanceof CredentialError) return { provider: null, reason: err.code === "not_connected" ? TWILIO_NOT_CONNECTED : err.message };
      throw err;
    }
  };
}
