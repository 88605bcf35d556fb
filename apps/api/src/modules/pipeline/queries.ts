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

/** Everything the pipeline reads, in one round trip. */
export async function loadReportContext(db: Db, orgId: string, vapiCallId: string, phone: string | null): Promise<ReportContext | null> {
  const { rows } = await db.query(
    prepared(`select o.timezone,
       (select coalesce(json_agg(json_build_object('id', s.id, 'name', s.name, 'price', s.price, 'keywords', s.keywords)), '[]'::json)
          from public.services s where s.org_id = $1 and s.active) as services,
       (select coalesce(json_agg(json_build_object('id', a.id, 'status', a.status, 'serviceId', a.service_id, 'serviceName', sv.name,
                                                   'price', sv.price, 'contactId', a.contact_id)), '[]'::json)
          from public.appointments a left join public.services sv on sv.id = a.service_id
         where a.org_id = $1 and a.vapi_call_id = $2) as appointments,
       (select coalesce(json_agg(json_build_object('tool', t.tool_name, 'outcome', t.outcome, 'emergency', t.emergency,
                                                   'appointmentId', t.appointment_id, 'arguments', t.arguments) order by t.created_at), '[]'::json)
          from public.tool_invocations t where t.org_id = $1 and t.vapi_call_id = $2) as tools,
       (select json_build_object('id', c.id, 'leadStatus', c.lead_status, 'name', c.name,
                 'returning', exists (select 1 from public.call_logs cl where cl.org_id = $1 and cl.contact_id = c.id
                                        and cl.vapi_call_id <> $2 and cl.report_received_at is not null)
                           or exists (select 1 from public.appointments a2 where a2.org_id = $1 and a2.contact_id = c.id
                                        and a2.vapi_call_id is distinct from $2))
          from public.contacts c where c.org_id = $1 and c.phone = $3) as contact,
       (select json_build_object('id', cl.id, 'orgId', cl.org_id, 'reportReceivedAt', cl.report_received_at, 'startedAt', cl.started_at,
                                 'transferTo', cl.transfer_to, 'transferTime', cl.transfer_time)
          from public.call_logs cl where cl.vapi_call_id = $2) as existing
     from public.organizations o where o.id = $1`),
    [orgId, vapiCallId, phone],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    timezone: r.timezone,
    services: (r.services as ServiceCatalogEntry[]).map((s) => ({ ...s, price: Number(s.price) })),
    appointments: r.appointments,
    tools: r.tools,
    contact: r.contact,
    existing: r.existing,
  };
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

/**
 * Writes the completed call, and the caller as a lead, in one statement (one round trip; a
 * report's statements are most of its cost, see bench/postcall.bench.ts).
 * The call is inserted if no status-update came first, otherwise filled in; guarded by
 * report_received_at, so only the first report ever lands. The lead is created on first contact,
 * otherwise updated without losing what we knew, and linked to the call (else `c.contactId`).
 */
export async function completeCallLog(db: Db, orgId: string, c: CompletedCall, lead: ContactUpsert | null): Promise<{ id: string } | null> {
  const { rows } = await db.query<{ id: string }>(
    prepared(`with lead as (
       insert into public.contacts as c (org_id, phone, name, lead_status, lead_score, lead_temperature, service_interests, last_contacted_at)
       select $1, $32, $33, $34, $35, $36, $37::text[], $38 where $32::text is not null
       on conflict (org_id, phone) do update
          set name = coalesce(c.name, excluded.name),
              lead_status = excluded.lead_status,
              lead_score = excluded.lead_score,
              lead_temperature = excluded.lead_temperature,
              service_interests = (select coalesce(array_agg(distinct x order by x), '{}') from unnest(c.service_interests || excluded.service_interests) x),
              last_contacted_at = greatest(c.last_contacted_at, excluded.last_contacted_at)
       returning id
     )
     insert into public.call_logs as cl (
        org_id, vapi_call_id, direction, status, from_number, to_number, started_at, ended_at, duration_seconds,
        transcript, messages, summary, recording_url, stereo_recording_url, recording_status,
        transfer_to, transfer_time, transfer_reason, sentiment_score, sentiment_label, sentiment_source,
        urgency, is_emergency, booking_confirmed, lead_score, lead_temperature, service_interests, financial_value,
        ended_reason, cost, contact_id, report_received_at, last_status_at)
     values ($1, $2, $3, 'ended', $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
             $21, $22, $23, $24, $25, $26::text[], $27, $28, $29, coalesce((select id from lead), $30), $31, $31)
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
     returning cl.id`),
    [
      orgId,
      c.vapiCallId,
      c.direction,
      c.fromNumber,
      c.toNumber,
      c.startedAt,
      c.endedAt,
      c.durationSeconds,
      c.transcript,
      JSON.stringify(c.messages),
      c.summary,
      c.recordingUrl,
      c.stereoRecordingUrl,
      c.recordingStatus,
      c.transferTo,
      c.transferTime,
      c.transferReason,
      c.sentimentScore,
      c.sentimentLabel,
      c.sentimentSource,
      c.urgency,
      c.isEmergency,
      c.bookingConfirmed,
      c.leadScore,
      c.leadTemperature,
      c.serviceInterests,
      c.financialValue,
      c.endedReason,
      c.cost,
      c.contactId,
      c.reportReceivedAt,
      lead?.phone ?? null,
      lead?.name ?? null,
      lead?.leadStatus ?? null,
      lead?.leadScore ?? null,
      lead?.leadTemperature ?? null,
      lead?.interests ?? null,
      lead?.contactedAt ?? null,
    ],
  );
  return rows[0] ?? null;
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

/** Adds one completed call to the org's usage for its day (in the clinic's time zone). */
export async function meterUsage(db: Db, orgId: string, u: { at: Date; timezone: string; seconds: number; cost: number }): Promise<void> {
  await db.query(
    prepared(`insert into public.usage_daily as u (org_id, day, calls, seconds, cost, updated_at)
     values ($1, ($2::timestamptz at time zone $3)::date, 1, $4, $5, now())
     on conflict (org_id, day) do update
        set calls = u.calls + 1, seconds = u.seconds + excluded.seconds, cost = u.cost + excluded.cost, updated_at = now()`),
    [orgId, u.at, u.timezone, u.seconds, u.cost],
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
