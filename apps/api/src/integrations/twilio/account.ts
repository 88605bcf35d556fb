import type { Config } from "../../config";
import { ProviderFailure, type TwilioAccountPort } from "../../modules/twilio/ports";
import { createTwilioClient, isTwilioClientError, twilioMessage, twilioRestError } from "./client";
import type { TwilioCredentials } from "./credentials";

/** Twilio's answer as a ProviderFailure: a 4xx is the clinic's input, anything else an outage. */
export function twilioFailure(err: unknown): ProviderFailure {
  return new ProviderFailure("twilio", isTwilioClientError(err), `${twilioMessage(err)}.`, twilioRestError(err)?.status === 404);
}

/**
 * The calls connecting a clinic's account needs, through the real SDK. With an auth token the
 * account itself is fetched (status, trial or full); a standard API key may not read /Accounts, so
 * it is checked with a one-item list of the account's numbers instead.
 */
export function twilioAccountPort(credentials: TwilioCredentials, config: Pick<Config, "TWILIO_API_BASE_URL">): TwilioAccountPort {
  const client = createTwilioClient(credentials, config);
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw twilioFailure(err);
    }
  };
  return {
    verify: () =>
      call(async () => {
        if ("authToken" in credentials) {
          const account = await client.api.v2010.accounts(credentials.accountSid).fetch();
          return { friendlyName: account.friendlyName ?? null, type: account.type ?? null, status: account.status ?? null };
        }
        await client.incomingPhoneNumbers.list({ limit: 1 });
        return { friendlyName: null, type: null, status: null };
      }),
    findNumber: (e164) =>
      call(async () => {
        // Twilio matches partial numbers; only the exact number counts.
        const found = (await client.incomingPhoneNumbers.list({ phoneNumber: e164, limit: 20 })).find((n) => n.phoneNumber === e164);
        return found ? { sid: found.sid, phoneNumber: found.phoneNumber, smsUrl: found.smsUrl || null } : null;
      }),
    setSmsUrl: (numberSid, url) =>
      call(async () => {
        await client.incomingPhoneNumbers(numberSid).update({ smsUrl: url, smsMethod: "POST" });
      }),
  };
}
