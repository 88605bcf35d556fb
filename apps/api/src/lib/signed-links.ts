import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Short-lived links that need no session: a recording shared with someone outside the clinic, or
 * the dashboard's own player for a recording held by Vapi. The token carries what it opens and
 * until when, with an HMAC-SHA256 over both (key derived from the server's JWT secret, so it
 * rotates with it). Nothing is stored: a link is valid exactly until its expiry.
 */
export type SignedLinkPayload = { purpose: "recording"; orgId: string; callId: string; expiresAt: number };

function keyFor(secret: string): Buffer {
  return createHmac("sha256", secret).update("voxanne:signed-links:v1").digest();
}

export function signLink(secret: string, payload: SignedLinkPayload): string {
  const body = Buffer.from(JSON.stringify([payload.purpose, payload.orgId, payload.callId, payload.expiresAt])).toString("base64url");
  const mac = createHmac("sha256", keyFor(secret)).update(body).digest("base64url");
  return `${body}.${mac}`;
}

export type LinkCheck = { ok: true; payload: SignedLinkPayload } | { ok: false; reason: "invalid" | "expired" };

export function verifyLink(secret: string, token: string, now: Date): LinkCheck {
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined || token.length > 600) return { ok: false, reason: "invalid" };
  const expected = createHmac("sha256", keyFor(secret)).update(body).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  try {
    const [purpose, orgId, callId, expiresAt] = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as [string, string, string, number];
    if (purpose !== "recording" || typeof orgId !== "string" || typeof callId !== "string" || typeof expiresAt !== "number")
      return { ok: false, reason: "invalid" };
    if (now.getTime() >= expiresAt) return { ok: false, reason: "expired" };
    return { ok: true, payload: { purpose, orgId, callId, expiresAt } };
  } catch {
    return { ok: false, reason: "invalid" };
  }
}
