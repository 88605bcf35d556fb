import { VapiClient, VapiError, VapiTimeoutError } from "@vapi-ai/server-sdk";
import type { VapiAvailability } from "@voxanne/contracts";
import type { Config } from "../../config";
import { DomainError } from "../../lib/domain-error";

/**
 * The Vapi API client for this server (one master key: assistants, tools and calls of every clinic
 * live in our Vapi org). Null without VAPI_PRIVATE_KEY — "not configured" is a state the
 * dashboard shows, never a pretence. The SDK's own retries are off: sync retries on its own
 * schedule (2, 4, 8 s), and a call is never placed twice.
 */
export function createVapiClient(config: Pick<Config, "VAPI_PRIVATE_KEY" | "VAPI_BASE_URL">): VapiClient | null {
  if (!config.VAPI_PRIVATE_KEY) return null;
  return new VapiClient({ token: config.VAPI_PRIVATE_KEY, baseUrl: config.VAPI_BASE_URL, maxRetries: 0, timeoutInSeconds: 20 });
}

export const VAPI_NOT_CONFIGURED =
  "Vapi is not connected on this server: set VAPI_PRIVATE_KEY (and PUBLIC_API_URL, the address Vapi calls back) in the API's environment.";

/** What the dashboard may offer: syncing, "Call my phone" and "Web test", each with why not. */
export function vapiAvailability(config: Pick<Config, "VAPI_PRIVATE_KEY" | "VAPI_PUBLIC_KEY">): VapiAvailability {
  const configured = Boolean(config.VAPI_PRIVATE_KEY);
  return {
    configured,
    reason: configured ? null : VAPI_NOT_CONFIGURED,
    callMyPhone: { enabled: configured, reason: configured ? null : VAPI_NOT_CONFIGURED },
    webTest: config.VAPI_PUBLIC_KEY
      ? { enabled: true, publicKey: config.VAPI_PUBLIC_KEY, reason: null }
      : { enabled: false, publicKey: null, reason: "Set VAPI_PUBLIC_KEY (your Vapi public key) to test the receptionist from the browser." },
  };
}

/** Worth retrying: Vapi's 5xx, 408/429 and timeouts. A 4xx is our (or the clinic's) mistake. */
export function isTransient(err: unknown): boolean {
  if (err instanceof VapiTimeoutError) return true;
  if (err instanceof VapiError) return err.statusCode === undefined || err.statusCode >= 500 || err.statusCode === 408 || err.statusCode === 429;
  return err instanceof TypeError; // fetch: connection refused / reset
}

/** Vapi's own explanation, for the clinic (its `message` may be a string or a list). */
export function vapiMessage(err: unknown): string {
  if (err instanceof VapiError) {
    const body = err.body as { message?: unknown; error?: unknown } | undefined;
    const m = Array.isArray(body?.message) ? body.message.join("; ") : typeof body?.message === "string" ? body.message : null;
    return `Vapi answered ${err.statusCode ?? "with an error"}: ${m ?? (typeof body?.error === "string" ? body.error : err.message)}`.slice(0, 500);
  }
  if (err instanceof VapiTimeoutError) return "Vapi did not answer in time.";
  return err instanceof Error ? `Could not reach Vapi: ${err.message}`.slice(0, 500) : "Could not reach Vapi.";
}

/**
 * Places an outbound call from the assistant (POST /call) with retries off: the SDK would retry a
 * 5xx, and a retried POST can ring the phone twice. A failure is reported, never repeated.
 */
export function vapiCallPlacer(client: VapiClient | null, what = "The test call") {
  if (!client) return null;
  return async (input: { assistantId: string; phoneNumberId: string; phone: string }) => {
    try {
      const created = (await client.calls.create(
        { assistantId: input.assistantId, phoneNumberId: input.phoneNumberId, customer: { number: input.phone } },
        { maxRetries: 0 },
      )) as { id?: string; status?: string };
      return { callId: created.id ?? "", status: created.status ?? "queued" };
    } catch (err) {
      throw new DomainError("unavailable", "test_call_failed", `${what} could not be placed. ${vapiMessage(err)}`);
    }
  };
}
