import type { Config } from "../../config";
import type { ControlMessage, ControlResult, ControlSender } from "../../modules/call-control/service";

/** How long we wait for Vapi to accept a control message (an emergency transfer waits for it). */
export const CONTROL_TIMEOUT_MS = 3000;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Whether we may POST to this control URL (docs/SECURITY.md § Live call control): https to a host
 * in VAPI_CONTROL_URL_HOSTS or a subdomain of one (default vapi.ai), no user info in the URL. Plain
 * http only to a loopback host listed there explicitly, and never in production (the local fake).
 * Anything else is ignored, so a message cannot make us post to an arbitrary host.
 */
export function allowedControlUrl(raw: unknown, config: Pick<Config, "VAPI_CONTROL_URL_HOSTS" | "NODE_ENV">): string | null {
  if (typeof raw !== "string" || raw.length > 2000) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  const hosts = config.VAPI_CONTROL_URL_HOSTS.split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const host = url.hostname.toLowerCase();
  if (url.protocol === "https:") return hosts.some((h) => host === h || host.endsWith(`.${h}`)) ? url.toString() : null;
  if (url.protocol === "http:" && config.NODE_ENV !== "production" && LOOPBACK.has(host) && hosts.includes(host)) return url.toString();
  return null;
}

/** Posts control messages with fetch (the SDK has no call for the per-call control URL). */
export function vapiControlSender(timeoutMs = CONTROL_TIMEOUT_MS): ControlSender {
  return async (controlUrl: string, message: ControlMessage): Promise<ControlResult> => {
    try {
      const res = await fetch(controlUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true };
      // Vapi answers 404 once the call is over (its control endpoint is gone with the call).
      return { ok: false, ended: res.status === 404, reason: res.status === 404 ? "the call has already ended" : `Vapi answered ${res.status}` };
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      return { ok: false, ended: false, reason: timedOut ? `no answer from Vapi within ${timeoutMs / 1000} s` : "Vapi could not be reached" };
    }
  };
}
