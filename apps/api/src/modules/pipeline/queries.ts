import { prepared, type Db } from "../../db/database";
import type { ServiceCatalogEntry } from "./lead-scoring";

/**
 * Serialises every lifecycle write of these Vapi calls (concurrent redeliveries queue up here).
 * A batch of reports takes all its calls' locks in one statement, in one fixed order, so two
 * batches cannot deadlock on them.
 */
export async function lockCalls(db: Db, vapiCallIds: string[]): Promise<void> {
  await db.query(prepared("select pg_advisory_xact_lock(hashtextextended('voxanne:call:' || id, 0)) from unnest($1::text[]) as id order by id"), [
    [...new Set(vapiCallIds)].sort(),
  ]);
}

export type ReportContext = {
  timezone: string;
  services: ServiceCatalogEntry[];
  appointments: { id: string; status: string; serviceId: string | null; serviceName: string | null; price: number | null; contactId: string | null }[];
  tools: { tool: string; outcome: string | null; emergency: boolean; appointmentId: string | null; arguments: Record<string, unknown> }[];
  contact: { id: string; leadStatus: "new" | "contacted" | "booked" | "lost"; name: string | null; returning: boolean } | null;
  existing: { id: string; orgId: string; reportReceivedAt: string | null; startedAt: string; transferTo: string | null; transferTime: string | null } | null;
};

/** What the pipeline reads for one report: its clinic, call and caller. */
export type ReportKey = { orgId: string; vapiCallId: string; phone: string | null };

/**
 * Everything the pipeline reads for a batch of reports, in one round trip; null for a report
 * whose organization does not exist. In the order of `keys`.
 */
export async function loadReportContexts(db: Db, keys: ReportKey[]): Promise<(ReportContext | null)[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query(
    prepared(`select k.n::int as n, o.timezone,
       (select coalesce(json_agg(json_build_object('id', s.id, 'name', s.name, 'price', s.price, 'keywords', s.keywords)), '[]'::json)
          from public.services s where s.org_id = k.org_id and s.active) as services,
       (select coalesce(json_agg(json_build_object('id', a.id, 'status', a.status, 'serviceId', a.service_id, 'serviceName', sv.name,
                                                   'price', sv.price, 'contactId', a.contact_id)), '[]'::json)
          from public.appointments a left join public.services sv on sv.id = a.service_id
         where a.org_id = k.org_id and a.vapi_call_id = k.call_id) as appointments,
       (select coalesce(json_agg(json_build_object('tool', t.tool_name, 'outcome', t.outcome, 'emergency', t.emergency,
                                                   'appointmentId', t.appointment_id, 'arguments', t.arguments) order by t.created_at), '[]'::json)
          from public.tool_invocations t where t.org_id = k.org_id and t.vapi_call_id = k.call_id) as tools,
       (select json_build_object('id', c.id, 'leadStatus', c.lead_status, 'name', c.name,
                 'returning', exists (select 1 from public.call_logs cl where cl.org_id = k.org_id and cl.contact_id = c.id
                                        and cl.vapi_call_id <> k.call_id and cl.report_received_at is not null)
                           or exists (select 1 from public.appointments a2 where a2.org_id = k.org_id and a2.contact_id = c.id
                                        and a2.vapi_call_id is distinct from k.call_id))
          from public.contacts c where c.org_id = k.org_id and c.phone = k.phone) as contact,
       (select json_build_object('id', cl.id, 'orgId', cl.org_id, 'reportReceivedAt', cl.report_received_at, 'startedAt', cl.started_at,
                                 'transferTo', cl.transfer_to, 'transferTime', cl.transfer_time)
          from public.call_logs cl where cl.vapi_call_id = k.call_id) as existing
     from unnest($1::uuid[], $2::text[], $3::text[]) with ordinality as k(org_id, call_id, phone, n)
     join public.organizations o on o.id = k.org_id`),
    [keys.map((k) => k.orgId), keys.map((k) => k.vapiCallId), keys.map((k) => k.phone)],
  );
  const contexts: (ReportContext | null)[] = keys.map(() => null);
  for (const r of rows) {
    contexts[r.n - 1] = {
      timezone: r.timezone,
      services: (r.services as ServiceCatalogEntry[]).map((s) => ({ ...s, price: Number(s.price) })),
      appointments: r.appointments,
      tools: r.tools,
      contact: r.contact,
      existing: r.existing,
    };
  }
  return contexts;
}

export type ContactUpsert = {
  phone: string;
  name: string | null;
  leadStatus: string;
  leadScore: number;
  leadTemperature: string;
  interests: string[];
  contactedAt: Date;
};

export type CompletedCall = {
  vapiCallId: string;
  direction: string;
  fromNumber: string | null;
  toNumber: string | null;
  startedAt: Date;
  endedAt: Date | null;
  durationSeconds: number | null;
  transcript: string | null;
  messages: unknown[];
  summary: string | null;
  recordingUrl: string | null;
  stereoRecordingUrl: string | null;
  recordingStatus: string;
  transferTo: string | null;
  transferTime: Date | null;
  transferReason: string | null;
  sentimentScore: number;
  sentimentLabel: string;
  sentimentSource: string;
  urgency: string;
  isEmergency: boolean;
  bookingConfirmed: boolean;
  leadScore: number;
  leadTemperature: string;
  serviceInterests: string[];
  financialValue: number;
  endedReason: string | null;
  cost: number | null;
  contactId: string | null;
  reportReceivedAt: Date;
};

/** One report's writes: the completed call, and its caller as a lead when the number is known. */
export type ReportWrite = { orgId: string; call: CompletedCall; lead: ContactUpsert | null };

/**
 * Writes a batch's completed calls, and their callers as leads, in one statement (one round trip
 * and one firing of each statement trigger for the whole batch; bench/postcall.bench.ts). No two
 * writes may share a call id or an (org, caller) pair: one statement cannot change a row twice
 * (modules/pipeline/service.ts runs such repeats in a later round).
 * A call is inserted if no status-update came first, otherwise filled in; guarded by
 * report_received_at, so only the first report ever lands. A lead is created on first contact,
 * otherwise updated without losing what we knew, and linked to its call (else `call.contactId`).
 * Returns the stored call ids by Vapi call id; a call another org owns is not among them.
 */
export async function completeCallLogs(db: Db, writes: ReportWrite[]): Promise<Map<string, string>> {
  if (writes.length === 0) return new Map();
  const input = writes.map(({ orgId, call: c, lead }) => ({
    org_id: orgId,
    vapi_call_id: c.vapiCallId,
    direction: c.direction,
    from_number: c.fromNumber,
    to_number: c.toNumber,
    started_at: c.startedAt,
    ended_at: c.endedAt,
    duration_seconds: c.durationSeconds,
    transcript: c.transcript,
    messages: c.messages,
    summary: c.summary,
    recording_url: c.recordingUrl,
    stereo_recording_url: c.stereoRecordingUrl,
    recording_status: c.recordingStatus,
    transfer_to: c.transferTo,
    transfer_time: c.transferTime,
    transfer_reason: c.transferReason,
    sentiment_score: c.sentimentScore,
    sentiment_label: c.sentimentLabel,
    sentiment_source: c.sentimentSource,
    urgency: c.urgency,
    is_emergency: c.isEmergency,
    booking_confirmed: c.bookingConfirmed,
    lead_score: c.leadScore,
    lead_temperature: c.leadTemperature,
    service_interests: c.serviceInterests,
    financial_value: c.financialValue,
    ended_reason: c.endedReason,
    cost: c.cost,
    contact_id: c.contactId,
    report_received_at: c.reportReceivedAt,
    caller_phone: lead?.phone ?? null,
    caller_name: lead?.name ?? null,
    caller_lead_status: lead?.leadStatus ?? null,
    caller_lead_score: lead?.leadScore ?? null,
    caller_lead_temperature: lead?.leadTemperature ?? null,
    caller_interests: lead?.interests ?? null,
    caller_contacted_at: lead?.contactedAt ?? null,
  }));
  const { rows } = await db.query<{ id: string; vapi_call_id: string }>(
    prepared(`with input as materialized (
       select * from jsonb_to_recordset($1::jsonb) as r(
         org_id uuid, vapi_call_id text, direction text, from_number text, to_number text, started_at timestamptz,
         ended_at timestamptz, duration_seconds integer, transcript text, messages jsonb, summary text, recording_url text,
         stereo_recording_url text, recording_status text, transfer_to text, transfer_time timestamptz, transfer_reason text,
         sentiment_score numeric, sentiment_label text, sentiment_source text, urgency text, is_emergency boolean,
         booking_confirmed boolean, lead_score integer, lead_temperature text, service_interests text[], financial_value numeric,
         ended_reason text, cost numeric, contact_id uuid, report_received_at timestamptz,
         caller_phone text, caller_name text, caller_lead_status text, caller_lead_score integer, caller_lead_temperature text,
         caller_interests text[], caller_contacted_at timestamptz)
     ),
     lead as (
       insert into public.contacts as c (org_id, phone, name, lead_status, lead_score, lead_temperature, service_interests, last_contacted_at)
       select org_id, caller_phone, caller_name, caller_lead_status, caller_lead_score, caller_lead_temperature, caller_interests, caller_contacted_at
         from input where caller_phone is not null
        order by org_id, caller_phone
       on conflict (org_id, phone) do update
          set name = coalesce(c.name, excluded.name),
              lead_status = excluded.lead_status,
              lead_score = excluded.lead_score,
              lead_temperature = excluded.lead_temperature,
              service_interests = (select coalesce(array_agg(distinct x order by x), '{}') from unnest(c.service_interests || excluded.service_interests) x),
              last_contacted_at = greatest(c.last_contacted_at, excluded.last_contacted_at)
       returning id, org_id, phone
     )
     insert into public.call_logs as cl (
        org_id, vapi_call_id, direction, status, from_number, to_number, started_at, ended_at, duration_seconds,
        transcript, messages, summary, recording_url, stereo_recording_url, recording_status,
        transfer_to, transfer_time, transfer_reason, sentiment_score, sentiment_label, sentiment_source,
        urgency, is_emergency, booking_confirmed, lead_score, lead_temperature, service_interests, financial_value,
        ended_reason, cost, contact_id, report_received_at, last_status_at)
     select i.org_id, i.vapi_call_id, i.direction, 'ended', i.from_number, i.to_number, i.started_at, i.ended_at, i.duration_seconds,
            i.transcript, i.messages, i.summary, i.recording_url, i.stereo_recording_url, i.recording_status,
            i.transfer_to, i.transfer_time, i.transfer_reason, i.sentiment_score, i.sentiment_label, i.sentiment_source,
            i.urgency, i.is_emergency, i.booking_confirmed, i.lead_score, i.lead_temperature, i.service_interests, i.financial_value,
            i.ended_reason, i.cost, coalesce(l.id, i.contact_id), i.report_received_at, i.report_received_at
       from input i left join lead l on l.org_id = i.org_id and l.phone = i.caller_phone
      order by i.vapi_call_id
     on conflict (vapi_call_id) do update
        set status = 'ended',
            direction = excluded.direction,
            from_number = coalesce(excluded.from_number, cl.from_number),
            to_number = coalesce(excluded.to_number, cl.to_number),
            started_at = excluded.started_at,
            ended_at = coalesce(excluded.ended_at, cl.ended_at),
            duration_seconds = excluded.duration_seconds,
            transcript = excluded.transcript,
            messages = excluded.messages,
            summary = excluded.summary,
            recording_url = excluded.recording_url,
            stereo_recording_url = excluded.stereo_recording_url,
            recording_status = excluded.recording_status,
            transfer_to = coalesce(excluded.transfer_to, cl.transfer_to),
            transfer_time = coalesce(cl.transfer_time, excluded.transfer_time),
            transfer_reason = coalesce(excluded.transfer_reason, cl.transfer_reason),
            sentiment_score = excluded.sentiment_score,
            sentiment_label = excluded.sentiment_label,
            sentiment_source = excluded.sentiment_source,
            urgency = excluded.urgency,
            is_emergency = excluded.is_emergency,
            booking_confirmed = excluded.booking_confirmed,
            lead_score = excluded.lead_score,
            lead_temperature = excluded.lead_temperature,
            service_interests = excluded.service_interests,
            financial_value = excluded.financial_value,
            ended_reason = coalesce(excluded.ended_reason, cl.ended_reason),
            cost = excluded.cost,
            contact_id = coalesce(excluded.contact_id, cl.contact_id),
            report_received_at = excluded.report_received_at,
            last_status_at = greatest(cl.last_status_at, excluded.last_status_at)
      where cl.org_id = excluded.org_id and cl.report_received_at is null
     returning cl.id, cl.vapi_call_id`),
    [JSON.stringify(input)],
  );
  return new Map(rows.map((r) => [r.vapi_call_id, r.id]));
}

export type UsageDelta = { orgId: string; at: Date; timezone: string; seconds: number; cost: number };

/**
 * Adds completed calls to their orgs' usage, per day in each clinic's time zone, in one statement
 * whose rows are locked in (org, day) order — so concurrent batches cannot deadlock on them.
 */
export async function meterUsageBatch(db: Db, deltas: UsageDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await db.query(
    prepared(`insert into public.usage_daily as u (org_id, day, calls, seconds, cost, updated_at)
     select d.org_id, (d.at at time zone d.tz)::date, count(*), sum(d.seconds), sum(d.cost), now()
       from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::bigint[], $5::numeric[]) as d(org_id, at, tz, seconds, cost)
      group by 1, 2
      order by 1, 2
     on conflict (org_id, day) do update
        set calls = u.calls + excluded.calls, seconds = u.seconds + excluded.seconds, cost = u.cost + excluded.cost, updated_at = now()`),
    [deltas.map((d) => d.orgId), deltas.map((d) => d.at), deltas.map((d) => d.timezone), deltas.map((d) => d.seconds), deltas.map((d) => d.cost)],
  );
}

export type StatusRow = {
  orgId: string;
  vapiCallId: string;
  direction: string;
  status: string;
  fromNumber: string | null;
  toNumber: string | null;
  customerNumber: string | null;
  at: Date;
  startedAt: Date;
  endedReason: string | null;
  transferTo: string | null;
  transferReason: string | null;
};

/**
 * Moves the call forward to `status` (creating the row on the first message). A status that is
 * not ahead of the stored one — a redelivery, or one that arrives after a later one — changes
 * nothing, so no live event fires either.
 */
export async function advanceCallStatus(db: Db, s: StatusRow): Promise<{ id: string; inserted: boolean } | null> {
  const { rows } = await db.query<{ id: string; inserted: boolean }>(
    prepared(`insert into public.call_logs as cl (org_id, vapi_call_id, direction, status, from_number, to_number, started_at,
                                         ended_at, ended_reason, transfer_to, transfer_time, transfer_reason, last_status_at, contact_id)
     values ($1, $2, $3, $4, $5, $6, $7,
             case when $4 = 'ended' then $8::timestamptz end, $9,
             $10, case when $10::text is not null then $8::timestamptz end, $11, $8,
             (select c.id from public.contacts c where c.org_id = $1 and c.phone = $12))
     on conflict (vapi_call_id) do update
        set status = excluded.status,
            from_number = coalesce(cl.from_number, excluded.from_number),
            to_number = coalesce(cl.to_number, excluded.to_number),
            started_at = case when excluded.status = 'in-progress' and cl.report_received_at is null then excluded.started_at else cl.started_at end,
            ended_at = coalesce(cl.ended_at, excluded.ended_at),
            duration_seconds = coalesce(cl.duration_seconds,
              case when excluded.ended_at is not null
                   then greatest(0, round(extract(epoch from excluded.ended_at - cl.started_at)))::integer end),
            ended_reason = coalesce(cl.ended_reason, excluded.ended_reason),
            transfer_to = coalesce(cl.transfer_to, excluded.transfer_to),
            transfer_time = coalesce(cl.transfer_time, excluded.transfer_time),
            transfer_reason = coalesce(cl.transfer_reason, excluded.transfer_reason),
            contact_id = coalesce(cl.contact_id, excluded.contact_id),
            last_status_at = excluded.last_status_at
      where cl.org_id = excluded.org_id
        and public.call_status_rank(excluded.status) > public.call_status_rank(cl.status)
     returning cl.id, (xmax = 0) as inserted`),
    [
      s.orgId,
      s.vapiCallId,
      s.direction,
      s.status,
      s.fromNumber,
      s.toNumber,
      s.startedAt,
      s.at,
      s.endedReason,
      s.transferTo,
      s.transferReason,
      s.customerNumber,
    ],
  );
  return rows[0] ?? null;
}
