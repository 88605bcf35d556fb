import { prepared, type Db } from "../../db/database";
import { DEFAULT_SERVICE_KEYWORD } from "../services/default-service";
import type { Clinic, ResolvedClinic, VapiIdentity } from "./types";

/** A clinic row (organizations + its default service) as the booking engine sees it. */
function clinicFromRow(r: any, agentId: string | null): Clinic {
  return {
    orgId: r.id,
    name: r.name,
    timezone: r.timezone,
    businessHours: r.business_hours,
    dateOverrides: r.date_overrides,
    currency: r.currency,
    emergencyNumber: r.emergency_number,
    slotMinutes: r.slot_minutes,
    bufferBeforeMinutes: r.buffer_before_minutes,
    bufferAfterMinutes: r.buffer_after_minutes,
    minBookingNoticeMinutes: r.min_booking_notice_minutes,
    minCancelNoticeMinutes: r.min_cancel_notice_minutes,
    transferNumber: r.transfer_number,
    afterHoursMode: r.after_hours_mode,
    status: r.status,
    agentId,
    defaultService: r.default_service_id
      ? { id: r.default_service_id, name: r.default_service_name, price: Number(r.default_service_price), durationMinutes: r.default_service_minutes }
      : null,
  };
}

/**
 * The assistant / number / line lookup, for one identity (SQL expressions for its three parts):
 * call.assistantId → agent, else call.phoneNumberId → phone number, else the line's E.164.
 * Shared by resolveClinic and orgIdsOfIdentities.
 */
const matchIdentity = (assistantId: string, phoneNumberId: string, line: string) => `
       select 1 as priority, org_id, id as agent_id from public.agents
        where ${assistantId} is not null and vapi_assistant_id = ${assistantId}
       union all
       select 2, org_id, agent_id from public.phone_numbers
        where ${phoneNumberId} is not null and vapi_phone_number_id = ${phoneNumberId}
       union all
       select 3, org_id, agent_id from public.phone_numbers
        where ${line} is not null and e164 = ${line}
       order by priority
       limit 1`;

const MATCH_IDENTITY = `matched as (${matchIdentity("$1::text", "$2::text", "$3::text")})`;

const ORGS_OF_IDENTITIES = prepared(`select i.n::int as n,
       (select m.org_id from (${matchIdentity("i.assistant_id", "i.phone_number_id", "i.line")}) m) as org_id
  from unnest($1::text[], $2::text[], $3::text[]) with ordinality as i(assistant_id, phone_number_id, line, n)`);

/**
 * The orgs of several webhooks in one round trip (a batch of end-of-call reports), in their
 * order; null for an identity no clinic has. Only the org: the post-call pipeline needs nothing else.
 */
export async function orgIdsOfIdentities(db: Db, identities: VapiIdentity[]): Promise<(string | null)[]> {
  if (identities.length === 0) return [];
  const { rows } = await db.query<{ n: number; org_id: string | null }>(ORGS_OF_IDENTITIES, [
    identities.map((i) => i.assistantId || null),
    identities.map((i) => i.phoneNumberId || null),
    identities.map((i) => i.phoneNumber || null),
  ]);
  const byN = new Map(rows.map((r) => [r.n, r.org_id]));
  return identities.map((_, k) => byN.get(k + 1) ?? null);
}

export async function orgIdOfIdentity(db: Db, identity: VapiIdentity): Promise<string | null> {
  return (await orgIdsOfIdentities(db, [identity]))[0] ?? null;
}

const RESOLVE_CLINIC = prepared(`with ${MATCH_IDENTITY}
  select o.id, o.name, o.timezone, o.business_hours, o.currency, o.emergency_number,
         (select coalesce(jsonb_object_agg(e ->> 'date', e -> 'hours'), '{}'::jsonb)
            from jsonb_array_elements(o.date_overrides) e) as date_overrides,
         o.slot_minutes, o.buffer_before_minutes,
         o.buffer_after_minutes, o.min_booking_notice_minutes, o.min_cancel_notice_minutes,
         case when a.id is not null and not a.transfer_enabled then null
              else coalesce(a.transfer_number, o.transfer_number) end as transfer_number,
         o.after_hours_mode, o.status, m.agent_id,
         set_config('app.org_id', o.id::text, true) as scoped_org,
         -- Read-only tools only record their answer: not worth waiting for a WAL flush.
         case when $6 then set_config('synchronous_commit', 'off', true) end as commit_mode,
         p.result as prior_result, p.error as prior_error, (p.tool_call_id is not null) as has_prior,
         ds.service_id as default_service_id, ds.service_name as default_service_name,
         ds.price as default_service_price, ds.duration_minutes as default_service_minutes
    from matched m
    join public.organizations o on o.id = m.org_id
    left join public.agents a on a.id = m.agent_id
    left join lateral public.get_service_price_by_keyword(o.id, $7) ds on true
    left join public.tool_invocations p
           on $5::text is not null and p.org_id = o.id and p.vapi_call_id = $4 and p.tool_call_id = $5`);

/**
 * Finds the org of a webhook in one indexed query: call.assistantId → agent, else
 * call.phoneNumberId → phone number, else the clinic line's E.164 → phone number. It also sets
 * `app.org_id` for the rest of the transaction (as Database.asService does) and, for tool calls,
 * returns any stored answer for the same (call, toolCallId) so a replay costs no extra round trip.
 * `asyncCommit` turns off synchronous_commit for this transaction (tools that change nothing but
 * their own answer record: losing that record in a crash only means a replay recomputes it).
 */
export async function resolveClinic(
  db: Db,
  identity: VapiIdentity,
  replay?: { callId: string; toolCallId: string },
  options: { asyncCommit?: boolean } = {},
): Promise<ResolvedClinic | null> {
  const { rows } = await db.query(RESOLVE_CLINIC, [
    identity.assistantId || null,
    identity.phoneNumberId || null,
    identity.phoneNumber || null,
    replay?.callId ?? "",
    replay?.toolCallId ?? null,
    options.asyncCommit ?? false,
    DEFAULT_SERVICE_KEYWORD,
  ]);
  const r = rows[0];
  if (!r) return null;
  return {
    ...clinicFromRow(r, r.agent_id),
    prior: r.has_prior ? { result: r.prior_result, error: r.prior_error } : null,
  };
}

/** The agent that answers a clinic line: the line's own agent, else the clinic's inbound agent. */
export async function agentIdForLine(db: Db, orgId: string, agentId: string | null): Promise<string | null> {
  const { rows } = await db.query(
    `select coalesce(
        (select a.id from public.agents a where a.id = $2 and a.org_id = $1),
        (select a.id from public.agents a where a.org_id = $1 and a.role = 'inbound')) as id`,
    [orgId, agentId],
  );
  return rows[0]?.id ?? null;
}

/** The clinic's settings as the booking engine sees them, by org id (dashboard bookings; no agent). */
export async function clinicById(db: Db, orgId: string): Promise<Clinic | null> {
  const { rows } = await db.query(
    `select o.id, o.name, o.timezone, o.business_hours, o.date_overrides, o.currency, o.emergency_number,
            o.slot_minutes, o.buffer_before_minutes, o.buffer_after_minutes,
            o.min_booking_notice_minutes, o.min_cancel_notice_minutes, o.transfer_number, o.after_hours_mode, o.status,
            ds.service_id as default_service_id, ds.service_name as default_service_name,
            ds.price as default_service_price, ds.duration_minutes as default_service_minutes
       from public.organizations o
       left join lateral public.get_service_price_by_keyword(o.id, $2) ds on true
      where o.id = $1`,
    [orgId, DEFAULT_SERVICE_KEYWORD],
  );
  const r = rows[0];
  if (!r) return null;
  return clinicFromRow(r, null);
}
