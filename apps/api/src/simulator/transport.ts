import { createHmac } from "node:crypto";

/** How the simulator reaches a backend: exactly like Vapi, signed HTTP POSTs. */
export type VapiTransport = {
  post(path: "/api/vapi/webhook" | "/api/vapi/tools", body: object): Promise<{ status: number; json: unknown }>;
};

export type HttpTransportOptions = {
  /** e.g. http://localhost:3000 */
  baseUrl: string;
  /** Bearer-plan secret, sent verbatim in `secretHeader` (Vapi's legacy x-vapi-secret shape). */
  secret?: string;
  secretHeader?: string;
  /** HMAC-plan secret: x-signature = hex sha256 over `${x-timestamp}.${body}`. */
  hmacSecret?: string;
  fetch?: typeof fetch;
};

export function httpTransport(options: HttpTransportOptions): VapiTransport {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, "");
  return {
    async post(path, body) {
      const raw = JSON.stringify(body);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (options.secret) headers[(options.secretHeader ?? "x-vapi-secret").toLowerCase()] = options.secret;
      if (options.hmacSecret) {
        const timestamp = String(Date.now());
        headers["x-timestamp"] = timestamp;
        headers["x-signature"] = createHmac("sha256", options.hmacSecret).update(`${timestamp}.${raw}`).digest("hex");
      }
      const res = await doFetch(`${base}${path}`, { method: "POST", headers, body: raw });
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      if (res.status >= 400) throw new Error(`${path} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
      return { status: res.status, json };
    },
  };
}
