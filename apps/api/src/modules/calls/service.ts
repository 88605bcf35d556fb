import type { CallDetail, CallListItem, CallsPage, CallTranscriptMessage } from "@voxanne/contracts";
import type { Db } from "../../db/database";
import { invalid, notFound } from "../../lib/domain-error";
import { getCall, listCalls, type CallFilters, type CallRow } from "./queries";
import { type PlayLinkDeps, recordingPlayUrl } from "./recordings";

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toCallListItem(r: CallRow): CallListItem {
  return {
    id: r.id,
    vapiCallId: r.vapi_call_id,
    direction: r.direction as CallListItem["direction"],
    status: r.status as CallListItem["status"],
    fromNumber: r.from_number,
    toNumber: r.to_number,
    startedAt: iso(r.started_at)!,
    endedAt: iso(r.ended_at),
    durationSeconds: r.duration_seconds,
    summary: r.summary,
    sentimentLabel: r.sentiment_label as CallListItem["sentimentLabel"],
    sentimentScore: r.sentiment_score === null ? null : Number(r.sentiment_score),
    urgency: r.urgency as CallListItem["urgency"],
    isEmergency: r.is_emergency,
    bookingConfirmed: r.booking_confirmed,
    financialValue: Number(r.financial_value),
    leadScore: r.lead_score,
    leadTemperature: r.lead_temperature as CallListItem["leadTemperature"],
    serviceInterests: r.service_interests ?? [],
    recordingStatus: r.recording_status as CallListItem["recordingStatus"],
    hasRecording: r.has_recording,
    endedReason: r.ended_reason,
    transferred: r.transferred,
    analyzed: r.analyzed,
    contact: r.contact_id
      ? {
          id: r.contact_id,
          name: r.contact_name,
          phone: r.contact_phone!,
          leadStatus: r.contact_lead_status as "new" | "contacted" | "booked" | "lost",
          leadScore: r.contact_lead_score ?? 0,
          leadTemperature: (r.contact_lead_temperature ?? "cold") as "hot" | "warm" | "cold",
        }
      : null,
  };
}

/** Opaque to clients: base64url of [started_at as Postgres text, id]. */
export function encodeCursor(startedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([startedAt, id])).toString("base64url");
}

// Postgres timestamptz text: "2026-11-20 15:00:00.123456+00".
const CURSOR_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(?:([+-])(\d{2})(?::?(\d{2}))?|Z)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A forged cursor must not reach PostgreSQL with a time it cannot read (2026-02-30, 99:99, year 0). */
function isRealTimestamp(text: string): boolean {
  const m = CURSOR_TIME.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  if (year < 1 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || offsetHours > 15 || offsetMinutes > 59) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return day >= 1 && date.getUTCDate() === day && date.getUTCMonth() === month - 1;
}

export function decodeCursor(cursor: string): { startedAt: string; id: string } {
  try {
    const [startedAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    if (typeof startedAt === "string" && isRealTimestamp(startedAt) && typeof id === "string" && UUID.test(id)) {
      return { startedAt, id };
    }
  } catch {
    // fall through
  }
  throw invalid("cursor is not valid: pass the nextCursor value from the previous page unchanged.", "invalid_cursor");
}

export async function callsPage(db: Db, orgId: string, query: Omit<CallFilters, "after"> & { cursor?: string }): Promise<CallsPage> {
  const { cursor, ...filters } = query;
  const rows = await listCalls(db, orgId, { ...filters, after: cursor ? decodeCursor(cursor) : undefined });
  const page = rows.slice(0, filters.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toCallListItem),
    nextCursor: rows.length > filters.limit && last ? encodeCursor(last.cursor_ts, last.id) : null,
  };
}

/**
 * One call, read under the member's RLS. The recording fields are our own short-lived player links
 * (modules/calls/recordings.ts), never the stored location: Vapi's storage URL stays on the server.
 */
export async function callDetail(db: Db, orgId: string, callId: string, links: PlayLinkDeps): Promise<CallDetail> {
  const r = await getCall(db, orgId, callId);
  if (!r) throw notFound("No call with this id in your organization.");
  return {
    ...toCallListItem(r),
    transcript: r.transcript,
    messages: (r.messages ?? []) as CallTranscriptMessage[],
    recordingUrl: r.recording_url || r.stereo_recording_url ? recordingPlayUrl(links, orgId, r.id, "mono") : null,
    stereoRecordingUrl: r.stereo_recording_url ? recordingPlayUrl(links, orgId, r.id, "stereo") : null,
    transferTo: r.transfer_to,
    transferTime: iso(r.transfer_time),
    transferReason: r.transfer_reason,
    sentimentSource: r.sentiment_source as CallDetail["sentimentSource"],
    cost: r.cost === null ? null : Number(r.cost),
    appointments: r.appointments.map((a) => ({ ...a, startsAt: iso(a.startsAt)!, endsAt: iso(a.endsAt)! })),
    outboundMessages: r.outbound_messages.map((m) => ({ ...m, createdAt: iso(m.createdAt)!, sentAt: iso(m.sentAt) })),
    canTakeOver: r.can_take_over,
    emergencyTransfer: r.emergency_transfer_status ? { status: r.emergency_transfer_status, note: r.emergency_transfer_note } : null,
  };
}
