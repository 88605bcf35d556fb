import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import type { AppDeps } from "../../deps";

/** Vapi's HMAC plan signs `{timestamp}.{rawBody}`; older than this is a replay. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

const digest = (s: string | Buffer) => createHash("sha256").update(s).digest();

/** Constant-time string comparison that does not leak the length either (both sides hashed first). */
function sameSecret(given: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(given), expectedDigest);
}

function header(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === "" ? undefined : v;
}

/**
 * Vapi signs `{timestamp}.{body}` with HMAC-SHA256 (hex) in `x-signature`, the timestamp in
 * `x-timestamp` (seconds or milliseconds: Vapi does not document the unit). Exported for tests
 * and the call simulator.
 */
export function signVapiBody(secret: string, rawBody: string | Buffer, timestamp: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex");
}

function timestampMs(value: string): number | null {
  if (!/^\d{9,16}$/.test(value)) return null;
  const n = Number(value);
  return value.length >= 12 ? n : n * 1000;
}

/**
 * Authenticates Vapi's server-URL requests: the bearer credential (configurable header, default
 * x-vapi-secret, optional "Bearer " prefix) or the HMAC credential over the raw body. Failures
 * get a bare 401 — the caller learns nothing about which check failed.
 */
export function vapiAuth(deps: Pick<AppDeps, "config" | "clock">): RequestHandler {
  const { config } = deps;
  const secretHeader = config.VAPI_SECRET_HEADER.toLowerCase();
  const bearerDigest = digest(config.vapiWebhookSecret);
  const hmacSecret = config.VAPI_HMAC_SECRET ?? config.vapiWebhookSecret;
  const { clock } = deps;

  const bearerOk = (headers: Record<string, string | string[] | undefined>): boolean => {
    for (const name of new Set([secretHeader, "authorization"])) {
      const raw = header(headers[name]);
      if (!raw) continue;
      const token = raw.replace(/^Bearer\s+/i, "");
      if (name === "authorization" && token === raw) continue;
      if (sameSecret(token, bearerDigest)) return true;
    }
    return false;
  };

  const hmacOk = (headers: Record<string, string | string[] | undefined>, rawBody: Buffer | undefined): boolean => {
    const signature = header(headers["x-signature"])
      ?.trim()
      .replace(/^sha256=/i, "")
      .toLowerCase();
    const stamp = header(headers["x-timestamp"])?.trim();
    if (!signature || !stamp || !/^[0-9a-f]{64}$/.test(signature)) return false;
    const ts = timestampMs(stamp);
    if (ts === null || Math.abs(clock.now().getTime() - ts) > MAX_SIGNATURE_AGE_MS) return false;
    const expected = Buffer.from(signVapiBody(hmacSecret, rawBody ?? Buffer.alloc(0), stamp), "hex");
    return timingSafeEqual(Buffer.from(signature, "hex"), expected);
  };

  return (req, res, next) => {
    if (bearerOk(req.headers) || hmacOk(req.headers, req.rawBody)) return next();
    req.log?.warn({ path: req.path }, "vapi webhook rejected: missing or invalid credentials");
    res.status(401).json({ error: { code: "unauthorized", message: "Unauthorized." } });
  };
}
