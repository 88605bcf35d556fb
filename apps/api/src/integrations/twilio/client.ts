import twilio from "twilio";
import type { Config } from "../../config";
import type { TwilioCredentials } from "./credentials";

/**
 * The `twilio` SDK for one clinic's own account (BYOC): account SID + auth token, or API key +
 * secret with the account SID. `TWILIO_API_BASE_URL` points the REST domain elsewhere (tests use a
 * fake on 127.0.0.1). The SDK's retries stay off: a retried POST /Messages would text twice.
 */
export type TwilioRestClient = ReturnType<typeof twilio>;

export function createTwilioClient(credentials: TwilioCredentials, config: Pick<Config, "TWILIO_API_BASE_URL">): TwilioRestClient {
  const client =
    "authToken" in credentials
      ? twilio(credentials.accountSid, credentials.authToken, { timeout: 15_000, autoRetry: false })
      : twilio(credentials.apiKeySid, credentials.apiKeySecret, { accountSid: credentials.accountSid, timeout: 15_000, autoRetry: false });
  if (config.TWILIO_API_BASE_URL) client.api.baseUrl = config.TWILIO_API_BASE_URL;
  return client;
}

/** Twilio's RestException (status, code, message); anything else is a network failure. */
type RestError = { status: number; code?: number; message?: string; moreInfo?: string };
export function twilioRestError(err: unknown): RestError | null {
  const e = err as Partial<RestError> | null;
  return e && typeof e === "object" && typeof e.status === "number" ? (e as RestError) : null;
}

/** Twilio's own explanation, for the clinic: "Twilio refused (error 20003): Authenticate". Never echoes credentials. */
export function twilioMessage(err: unknown): string {
  const rest = twilioRestError(err);
  if (rest) return `Twilio answered ${rest.status}${rest.code ? ` (error ${rest.code})` : ""}: ${rest.message ?? "no message"}`.slice(0, 500);
  const message = err instanceof Error ? err.message : "";
  return `Could not reach Twilio${message ? `: ${message}` : ""}.`.slice(0, 500);
}

/** A 4xx from Twilio is the clinic's input (credentials, number); a 5xx or no answer is an outage. */
export function isTwilioClientError(err: unknown): boolean {
  const rest = twilioRestError(err);
  return rest !== null && rest.status >= 400 && rest.status < 500;
}

/** Twilio's code for credentials it refuses (HTTP 401). */
export const TWILIO_AUTH_FAILED = 20003;
