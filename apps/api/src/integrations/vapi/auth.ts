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
 * HMAC signatures already accepted, until their timestamp leaves the window: the same signed
 * request (same x-timestamp, same bytes) is accepted once. In-process and bounded (the oldest
 * entries go first when full), so with N API instances a replay sent to another instance within
 * the window is not caught there; see docs/SECURITY.md § Webhook replay.
 */
export class SeenSignatures {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  /** True the first time `signature` is presented (it is then remembered until `expiresAt`); false for a replay. */
  firstUse(signature: string, expiresAt: number, now: number): boolean {
    // Entries go in roughly in expiry order: drop from the front until one is still live.
    for (const [key, expiry] of this.expiries) {
      if (expiry > now) break;
      this.expiries.delete(key);
    }
    if (this.expiries.has(signature)) return false;
    this.expiries.set(signature, expiresAt);
    if (this.expiries.size > this.maxEntries) this.expiries.delete(this.expiries.keys().next().value!);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }
}

/**
 * Authenticates Vapi's server-URL requests: the bearer credential (configurable header, default
 * x-vapi-secret, optional "Bearer " prefix) or the HMAC credential over the raw body, each signed
 * request once. Runs on the raw bytes, before any JSON parsing (router.ts). Failures get a bare
 * 401 — the caller learns nothing about which check failed.
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

  const seen = new SeenSignatures();
  const hmacOk = (headers: Record<string, string | string[] | undefined>, rawBody: Buffer | undefined): boolean | "replay" => {
    const signature = header(headers["x-signature"])
      ?.trim()
      .replace(/^sha256=/i, "")
      .toLowerCase();
    const stamp = header(headers["x-timestamp"])?.trim();
    if (!signature || !stamp || !/^[0-9a-f]{64}$/.test(signature)) return false;
    const ts = timestampMs(stamp);
    const now = clock.now().getTime();
    if (ts === null || Math.abs(now - ts) > MAX_SIGNATURE_AGE_MS) return false;
    const expected = Buffer.from(signVapiBody(hmacSecret, rawBody ?? Buffer.alloc(0), stamp), "hex");
    if (!timingSafeEqual(Buffer.from(signature, "hex"), expected)) return false;
    // Valid: accepted once. After ts + window the timestamp check refuses it anyway.
    return seen.firstUse(signature, ts + MAX_SIGNATURE_AGE_MS, now) ? true : "replay";
  };

  return (req, res, next) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : req.rawBody;
    if (bearerOk(req.headers)) return next();
    const hmac = hmacOk(req.headers, rawBody);
    if (hmac === true) return next();
    req.log?.warn(
      { path: req.path },
      hmac === "replay" ? "vapi webhook rejected: signature already used (replay)" : "vapi webhook rejected: missing or invalid credentials",
    );
    res.status(401).json({ error: { code: "unauthorized", message: "Unauthorized." } });
  };
}
