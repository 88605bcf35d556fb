import { randomUUID } from "node:crypto";
import type { LiveTranscriptLine } from "@voxanne/contracts";
import type { Database } from "../../db/database";
import type { Clock } from "../../lib/clock";
import { resolveClinic } from "../clinic/queries";
import type { VapiIdentity } from "../clinic/types";
import { redactText } from "../pipeline/redaction";
import { deferLiveEvent, findCallIdByVapiId } from "./queries";

/**
 * The live transcript of a call in progress: what Vapi reports being said goes to the clinic's
 * dashboards over the live feed, redacted, and is never stored (the end-of-call report stores the
 * transcript once, modules/pipeline). It is sent like the table triggers' events (NOTIFY right
 * after COMMIT on the live channel), so every API process delivers it to its own sockets.
 */

/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_600;
/** One spoken line longer than this is cut (a caller does not speak pages in one breath). */
const MAX_LINE_CHARS = 2_000;

export type TranscriptUpdate = { vapiCallId: string; kind: "line" | "history"; lines: LiveTranscriptLine[] };

export type PublishResult = { outcome: "sent"; orgId: string; lines: number } | { outcome: "ignored"; reason: string };

export async function publishTranscript(deps: { db: Database; clock: Clock }, identity: VapiIdentity, update: TranscriptUpdate): Promise<PublishResult> {
  if (!update.vapiCallId) return { outcome: "ignored", reason: "no call id" };
  const lines = update.lines.map((l) => ({ role: l.role, text: redactText(l.text.trim().slice(0, MAX_LINE_CHARS)) })).filter((l) => l.text.length > 0);
  if (lines.length === 0 && update.kind === "line") return { outcome: "ignored", reason: "nothing said" };
  return deps.db.asSystem(async (db) => {
    const clinic = await resolveClinic(db, identity);
    if (!clinic) return { outcome: "ignored", reason: "unknown clinic (no agent or phone number matches)" } as const;
    const callId = await findCallIdByVapiId(db, clinic.orgId, update.vapiCallId);
    const envelope = { id: randomUUID(), type: "call.transcript", orgId: clinic.orgId, at: deps.clock.now().toISOString() };
    const payload = (lines: LiveTranscriptLine[]) => JSON.stringify({ ...envelope, data: { vapiCallId: update.vapiCallId, callId, kind: update.kind, lines } });
    // A long call's history may not fit one notification: the latest lines matter most.
    let kept = lines;
    while (Buffer.byteLength(payload(kept)) > MAX_PAYLOAD_BYTES && kept.length > 1) kept = kept.slice(Math.ceil(kept.length / 4));
    if (Buffer.byteLength(payload(kept)) > MAX_PAYLOAD_BYTES) return { outcome: "ignored", reason: "line too long to send" } as const;
    await deferLiveEvent(db, payload(kept));
    return { outcome: "sent", orgId: clinic.orgId, lines: kept.length } as const;
  });
}
