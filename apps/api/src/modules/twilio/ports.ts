import type { TwilioCredentials } from "../../integrations/twilio/credentials";

/**
 * What connecting a clinic's Twilio account needs from the providers. The implementations live
 * in integrations/twilio/account.ts and integrations/vapi/telephony.ts (real SDKs); this module
 * only decides the order, the idempotency and the compensations.
 */

/** A provider refused or failed. `clientError`: the clinic's input was refused (4xx), else an outage. */
export class ProviderFailure extends Error {
  constructor(
    readonly provider: "twilio" | "vapi",
    readonly clientError: boolean,
    message: string,
    /** 404: the thing to delete is gone already. */
    readonly notFound = false,
  ) {
    super(message);
    this.name = "ProviderFailure";
  }
}

export type TwilioAccountInfo = { friendlyName: string | null; type: string | null; status: string | null };
export type TwilioNumberInfo = { sid: string; phoneNumber: string; smsUrl: string | null };

export interface TwilioAccountPort {
  /** Checks the credentials with Twilio (the account, or with an API key a cheap list). */
  verify(): Promise<TwilioAccountInfo>;
  /** The incoming number with exactly this E.164 on the account, or null. */
  findNumber(e164: string): Promise<TwilioNumberInfo | null>;
  setSmsUrl(numberSid: string, url: string): Promise<void>;
}

export interface VapiTelephonyPort {
  createTwilioCredential(input: { credentials: TwilioCredentials; name: string }): Promise<string>;
  deleteCredential(id: string): Promise<void>;
  /** Imports the number; linked to `assistantId` when there is one, else answered through assistant-request. */
  importNumber(input: { e164: string; credentials: TwilioCredentials; assistantId: string | null; name: string }): Promise<string>;
  releaseNumber(id: string): Promise<void>;
}

export type TwilioConnectionPorts = {
  twilio: (credentials: TwilioCredentials) => TwilioAccountPort;
  /** Null when the server has no VAPI_PRIVATE_KEY. */
  vapi: VapiTelephonyPort | null;
  vapiUnavailableReason: string;
  /** PUBLIC_API_URL without a trailing slash: where Twilio sends this clinic's webhooks. */
  publicApiUrl: string;
};
