import type { Db } from "../../db/database";

/** Columns of a calls-table row (call + its contact). */
export const CALL_ROW_COLUMNS = `
  cl.id, cl.vapi_call_id, cl.direction, cl.status, cl.from_number, cl.to_number, cl.started_at, cl.ended_at,
  cl.duration_seconds, cl.summary, cl.sentiment_label, cl.sentiment_score, cl.urgency, cl.is_emergency,
  cl.booking_confirmed, cl.financial_value, cl.lead_score, cl.lead_temperature, cl.service_interests,
  cl.recording_status, (cl.recording_url is not null or cl.stereo_recording_url is not null) as has_recording,
  cl.ended_reason, (cl.transfer_to is not null or cl.transfer_time is not null) as transferred,
  (cl.report_received_at is not null) as analyzed,
  c.id as contact_id, c.name as contact_name, c.phone as contact_phone, c.lead_status as contact_lead_status,
  c.lead_score as contact_lead_score, c.lead_temperature as contact_lead_temperature`;

export type CallRow = {
  id: string;
  vapi_call_id: string;
  direction: string;
  status: string;
  from_number: string | null;
  to_number: string | null;
  started_at: Date;
  ended_at: Date | null;
  duration_seconds: number | null;
  summary: string | null;
  sentiment_label: string | null;
  sentiment_score: number | null;
  urgency: string;
  is_emergency: boolean;
  booking_confirmed: boolean;
  financial_value: number;
  lead_score: number | null;
  lead_temperature: string | null;
  service_interests: string[];
  recording_status: string;
  has_recording: boolean;
  ended_reason: string | null;
  transferred: boolean;
  analyzed: boolean;
  contact_id: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_lead_status: string | null;
  contact_lead_score: number | null;
  contact_lead_temperature: string | null;
};

export type CallFilters = {
  from?: string;
  to?: string;
  direction?: string;
  status?: "live" | "ended" | "booked" | "missed" | "transferred" | "emergency";
  sentiment?: string;
  q?: string;
  after?: { startedAt: string; id: string };
  limit: number;
};

/** Ended without a real conversation: never answered, or over within 10 seconds. */
export const MISSED_SQL = `(cl.status = 'ended' and (coalesce(cl.duration_seconds, 0) < 10
  or cl.ended_reason in ('customer-did-not-answer', 'customer-busy', 'voicemail', 'twilio-failed-to-connect-call')))`;

const STATUS_SQL: Record<NonNullable<CallFilters["status"]>, string> = {
  live: "cl.status <> 'ended'",
  ended: "cl.status = 'ended'",
  booked: "cl.booking_confirmed",
  missed: MISSED_SQL,
  transferred: "(cl.transfer_to is not null or cl.transfer_time is not null)",
  emergency: "cl.is_emergency",
};

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of calls, newest first. Keyset pagination on (started_at, id): stable while new calls
 * arrive, and as fast on page 100 as on page 1. The cursor carries started_at as Postgres text so
 * microseconds survive the round trip.
 */
export async function listCalls(db: Db, orgId: string, f: CallFilters): Promise<(CallRow & { cursor_ts: string })[]> {
  const params: unknown[] = [orgId];
  const where = ["cl.org_id = $1"];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.from) where.push(`cl.started_at >= ${p(f.from)}::timestamptz`);
  if (f.to) where.push(`cl.started_at < ${p(f.to)}::timestamptz`);
  if (f.direction) where.push(`cl.direction = ${p(f.direction)}`);
  if (f.sentiment) where.push(`cl.sentiment_label = ${p(f.sentiment)}`);
  if (f.status) where.push(STATUS_SQL[f.status]);
  if (f.q) {
    const q = f.q.trim();
    const ors = [`c.name ilike ${p(`%${likeEscape(q)}%`)}`, `cl.search @@ websearch_to_tsquery('english', ${p(q)})`];
    const digits = q.replace(/\D/g, "");
    if (digits.length >= 3) {
      const d = p(`%${digits}%`);
      ors.push(`cl.from_number like ${d}`, `cl.to_number like ${d}`);
    }
    where.push(`(${ors.join(" or ")})`);
  }
  if (f.after) where.push(`(cl.started_at, cl.id) < (${p(f.after.startedAt)}::timestamptz, ${p(f.after.id)}::uuid)`);
  const { rows } = await db.query<CallRow & { cursor_ts: string }>(
    `select ${CALL_ROW_COLUMNS}, cl.started_at::text as cursor_ts
       from public.call_logs cl
       left join public.contacts c on c.id = cl.contact_id and c.org_id = cl.org_id
      where ${where.join(" and ")}
      order by cl.started_at desc, cl.id desc
      limit ${p(f.limit + 1)}`,
    params,
  );
  return rows;
}

export type CallDetailRow = CallRow & {
  transcript: string | null;
  messages: unknown[];
  recording_url: string | null;
  stereo_recording_url: string | null;
  transfer_to: string | null;
  transfer_time: Date | null;
  transfer_reason: string | null;
  sentiment_source: string | null;
  cost: number | null;
  can_take_over: boolean;
  emergency_transfer_status: "transferred" | "failed" | "requested" | "not_possible" | null;
  emergency_transfer_note: string | null;
  appointments: { id: string; startsAt: string; endsAt: string; status: string; serviceName: string | null }[];
  outbound_messages: {
    id: string;
    method: "sms" | "email";
    purpose: string;
    recipient: string | null;
    content: string;
    status: "queued" | "sent" | "delivered" | "failed" | "not_sent";
    statusReason: string | null;
    createdAt: string;
    sentAt: string | null;
  }[];
};

export async function getCall(db: Db, orgId: string, callId: string): Promise<CallDetailRow | null> {
  const { rows } = await db.query<CallDetailRow>(
    `select ${CALL_ROW_COLUMNS},
            cl.transcript, cl.messages, cl.recording_url, cl.stereo_recording_url, cl.transfer_to, cl.transfer_time,
            cl.transfer_reason, cl.sentiment_source, cl.cost, cl.emergency_transfer_status, cl.emergency_transfer_note,
            -- Whether the call has a control URL (never the URL: members cannot read that column).
            (cl.status <> 'ended' and exists (select 1 from public.call_controls cc
                                               where cc.vapi_call_id = cl.vapi_call_id and cc.org_id = cl.org_id)) as can_take_over,
            (select coalesce(json_agg(json_build_object('id', a.id, 'startsAt', a.starts_at, 'endsAt', a.ends_at, 'status', a.status,
                                                        'serviceName', s.name) order by a.starts_at), '[]'::json)
               from public.appointments a left join public.services s on s.id = a.service_id
              where a.org_id = cl.org_id and a.vapi_call_id = cl.vapi_call_id) as appointments,
            (select coalesce(json_agg(json_build_object('id', m.id, 'method', m.method, 'purpose', m.purpose, 'recipient', m.recipient,
                                                        'content', m.content, 'status', m.status, 'statusReason', m.status_reason,
                                                        'createdAt', m.created_at, 'sentAt', m.sent_at) order by m.created_at), '[]'::json)
               from public.messages m where m.org_id = cl.org_id and m.call_log_id = cl.id) as outbound_messages
       from public.call_logs cl
       left join public.contacts c on c.id = cl.contact_id and c.org_id = cl.org_id
      where cl.org_id = $1 and cl.id = $2`,
    [orgId, callId],
  );
  return rows[0] ?? null;
}

export type ExportCallRow = {
  started_at: Date;
  direction: string;
  from_number: string | null;
  to_number: string | null;
  contact_name: string | null;
  duration_seconds: number | null;
  booking_confirmed: boolean;
  is_emergency: boolean;
  transferred: boolean;
  financial_value: string;
  lead_temperature: string | null;
  sentiment_label: string | null;
  summary: string | null;
};

export async function callsForExport(db: Db, orgId: string, from: Date, to: Date): Promise<ExportCallRow[]> {
  const { rows } = await db.query<ExportCallRow>(
    `select cl.started_at, cl.direction, cl.from_number, cl.to_number, c.name as contact_name, cl.duration_seconds, cl.booking_confirmed,
            cl.is_emergency, cl.transfer_to is not null as transferred, cl.financial_value, cl.lead_temperature, cl.sentiment_label, cl.summary
       from public.call_logs cl
       left join public.contacts c on c.id = cl.contact_id and c.org_id = cl.org_id
      where cl.org_id = $1 and cl.started_at >= $2 and cl.started_at < $3
      order by cl.started_at desc, cl.id desc
      limit 10000`,
    [orgId, from, to],
  );
  return rows;
}
