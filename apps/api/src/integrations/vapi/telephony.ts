import { type Vapi, type VapiClient, VapiError } from "@vapi-ai/server-sdk";
import type { Config } from "../../config";
import { ProviderFailure, type VapiTelephonyPort } from "../../modules/twilio/ports";
import type { TwilioCredentials } from "../twilio/credentials";
import { isTransient, vapiMessage } from "./client";
import { vapiServer } from "./tool-sync";

function vapiFailure(err: unknown): ProviderFailure {
  const status = err instanceof VapiError ? err.statusCode : undefined;
  return new ProviderFailure("vapi", !isTransient(err), `${vapiMessage(err)}.`, status === 404);
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw vapiFailure(err);
  }
}

/** Vapi's fields for a Twilio account: auth token, or API key + secret. */
const twilioFields = (c: TwilioCredentials) =>
  "authToken" in c
    ? { twilioAccountSid: c.accountSid, twilioAuthToken: c.authToken }
    : { twilioAccountSid: c.accountSid, twilioApiKey: c.apiKeySid, twilioApiSecret: c.apiKeySecret };

/**
 * A clinic's Twilio number in Vapi. The SDK has no credentials resource, so /credential goes
 * through `client.fetch` (same auth and base URL). Numbers are imported with `smsEnabled: false`:
 * Vapi would otherwise rewrite the number's messaging URL, and inbound SMS (STOP, START, HELP)
 * comes to us. Without an assistant yet, the number's server URL gets assistant-request.
 */
export function vapiTelephonyPort(client: VapiClient, config: Pick<Config, "PUBLIC_API_URL" | "VAPI_SECRET_HEADER" | "vapiWebhookSecret">): VapiTelephonyPort {
  const credentialRequest = async (path: string, init: { method: string; body?: unknown }) => {
    const res = await client.fetch(
      path,
      { method: init.method, headers: { "content-type": "application/json" }, body: init.body === undefined ? undefined : JSON.stringify(init.body) },
      { maxRetries: 0 },
    );
    const text = await res.text();
    if (!res.ok) throw new VapiError({ statusCode: res.status, body: text ? JSON.parse(text) : undefined });
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  return {
    createTwilioCredential: ({ credentials, name }) =>
      call(async () => {
        const created = await credentialRequest("/credential", {
          method: "POST",
          body:
            "authToken" in credentials
              ? { provider: "twilio", name, accountSid: credentials.accountSid, authToken: credentials.authToken }
              : { provider: "twilio", name, accountSid: credentials.accountSid, apiKey: credentials.apiKeySid, apiSecret: credentials.apiKeySecret },
        });
        return String(created.id);
      }),
    deleteCredential: (id) =>
      call(async () => {
        await credentialRequest(`/credential/${encodeURIComponent(id)}`, { method: "DELETE" });
      }),
    importNumber: ({ e164, credentials, assistantId, name }) =>
      call(async () => {
        const created = (await client.phoneNumbers.create(
          {
            provider: "twilio",
            number: e164,
            ...twilioFields(credentials),
            name,
            smsEnabled: false,
            ...(assistantId ? { assistantId } : {}),
            server: vapiServer(config, "/api/vapi/webhook"),
          } as unknown as Vapi.CreatePhoneNumbersRequest,
          { maxRetries: 0 },
        )) as { id: string };
        return created.id;
      }),
    releaseNumber: (id) =>
      call(async () => {
        await client.phoneNumbers.delete({ id }, { maxRetries: 0 });
      }),
  };
}
