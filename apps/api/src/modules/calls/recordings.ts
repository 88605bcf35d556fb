/**
 * Where the dashboard's player gets a call's audio: always our API, never the host the recording
 * is stored on (Vapi's storage for real calls, demo/recordings.ts for simulated ones). The call
 * detail hands out a `recording_play` link (lib/signed-links.ts) that the streaming route in
 * http/routes/calls.ts serves only to a signed-in member of the same clinic, until it expires.
 */
import type { Db } from "../../db/database";
import { type RecordingTrack, signLink } from "../../lib/signed-links";
import { getCall } from "./queries";

export const PLAY_RECORDING_PATH = "/api/recordings/play";

/**
 * How long a player link works. Long enough to listen to a call and seek in it (every seek is a
 * new Range request with the same link); short enough that a link copied out of the page, a
 * browser history or a proxy log soon opens nothing. The drawer asks for a fresh detail (and so a
 * fresh link) when the player fails, e.g. after the drawer stayed open past this window.
 */
export const PLAY_LINK_MINUTES = 15;

export type PlayLinkDeps = { secret: string; now: Date };

/** Same-origin path (the dashboard proxies /api to this API), so nothing depends on PUBLIC_API_URL. */
export function recordingPlayUrl(deps: PlayLinkDeps, orgId: string, callId: string, track: RecordingTrack): string {
  const expiresAt = deps.now.getTime() + PLAY_LINK_MINUTES * 60_000;
  return `${PLAY_RECORDING_PATH}/${signLink(deps.secret, { purpose: "recording_play", orgId, callId, expiresAt, track })}`;
}

/** The stored location a valid link opens (the call must still exist in that clinic); null when it has none. */
export async function recordingOfCall(db: Db, orgId: string, callId: string, track: RecordingTrack = "mono"): Promise<string | null> {
  const call = await getCall(db, orgId, callId);
  if (!call) return null;
  return track === "stereo" ? call.stereo_recording_url : (call.recording_url ?? call.stereo_recording_url);
}
