import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Short-lived links to a call's recording. Two purposes, never interchangeable:
 * - `recording`: shared with someone outside the clinic (24 h, no session; modules/calls/actions.ts);
 * - `recording_play`: the dashboard's own player (minutes, and only with a session of the same
 *   clinic; modules/calls/service.ts), so the browser never sees where the audio is stored.
 * The token carries what it opens and until when, with an HMAC-SHA256 over all of it (key derived
 * from the server's JWT secret, so it rotates with it). Nothing is stored: a link is valid exactly
 * until its expiry.
 */
export type LinkPurpose = "recording" | "recording_play";
/** Which of the call's recordings: the combined one (default) or the two-channel stereo one. */
export type RecordingTrack = "mono" | "stereo";
export type SignedLinkPayload = { purpose: LinkPurpose; orgId: string; callId: string; expiresAt: number; track?: RecordingTrack };

const PURPOSES: readonly string[] = ["recording", "recording_play"] satisfies LinkPurpose[];

function keyFor(secret: string): Buffer {
  return createHmac("sha256", secret).update("voxanne:signed-links:v1").digest();
}

export function signLink(secret: string, payload: SignedLinkPayload): string {
  const fields: unknown[] = [payload.purpose, payload.orgId, payload.callId, payload.expiresAt];
  // Links made before tracks existed have four fields and open the combined recording.
  if (payload.track === "stereo") fields.push("stereo");
  const body = Buffer.from(JSON.stringify(fields)).toString("base64url");
  const mac = createHmac("sha256", keyFor(secret)).update(body).digest("base64url");
  return `${body}.${mac}`;
}

export type LinkCheck = { ok: true; payload: SignedLinkPayload } | { ok: false; reason: "invalid" | "expired" };

/** Valid only for `purpose`: a player link never opens the share route, nor the other way round. */
export function verifyLink(secret: string, token: string, now: Date, purpose: LinkPurpose): LinkCheck {
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined || token.length > 600) return { ok: false, reason: "invalid" };
  const expected = createHmac("sha256", keyFor(secret)).update(body).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  try {
    const [signedPurpose, orgId, callId, expiresAt, track] = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as unknown[];
    if (
      typeof signedPurpose !== "string" ||
      !PURPOSES.includes(signedPurpose) ||
      signedPurpose !== purpose ||
      typeof orgId !== "string" ||
      typeof callId !== "string" ||
      typeof expiresAt !== "number" ||
      (track !== undefined && track !== "stereo")
    )
      return { ok: false, reason: "invalid" };
    if (now.getTime() >= expiresAt) return { ok: false, reason: "expired" };
    return { ok: true, payload: { purpose, orgId, callId, expiresAt, track: track === "stereo" ? "stereo" : "mono" } };
  } catch {
    return { ok: false, reason: "invalid" };
  }
}
