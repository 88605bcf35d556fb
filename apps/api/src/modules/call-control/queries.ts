import type { Db } from "../../db/database";

/**
 * Stores a live call's control URL (Vapi `call.monitor.controlUrl`) for the clinic that owns the
 * call. Nothing is stored for a call that already ended, so a late message cannot bring it back.
 * With `orgId` the call row may not exist yet (a tool call can arrive before any status-update).
 */
export async function rememberControlUrl(db: Db, c: { vapiCallId: string; url: string; orgId?: string }): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into public.call_controls as cc (vapi_call_id, org_id, control_url)
     select $1, coalesce($3::uuid, cl.org_id), $2
       from (select 1) one
       left join public.call_logs cl on cl.vapi_call_id = $1
      where coalesce($3::uuid, cl.org_id) is not null
        and (cl.id is null or (cl.status <> 'ended' and ($3::uuid is null or cl.org_id = $3::uuid)))
     on conflict (vapi_call_id) do update set control_url = excluded.control_url
      where cc.org_id = excluded.org_id and cc.control_url <> excluded.control_url`,
    [c.vapiCallId, c.url, c.orgId ?? null],
  );
  return (rowCount ?? 0) > 0;
}

/** An ended call cannot be controlled: its URL is forgotten. */
export async function forgetControlUrl(db: Db, vapiCallId: string): Promise<void> {
  await db.query("delete from public.call_controls where vapi_call_id = $1", [vapiCallId]);
}

export async function controlUrlOf(db: Db, orgId: string, vapiCallId: string): Promise<string | null> {
  const { rows } = await db.query<{ control_url: string }>("select control_url from public.call_controls where org_id = $1 and vapi_call_id = $2", [
    orgId,
    vapiCallId,
  ]);
  return rows[0]?.control_url ?? null;
}

export type ControllableCall = {
  vapi_call_id: string;
  status: string;
  control_url: string | null;
  transfer_number: string | null;
};

/** A call of the clinic with its control URL (if any) and where "Transfer to me" goes. */
export async function controllableCall(db: Db, orgId: string, callId: string): Promise<ControllableCall | null> {
  const { rows } = await db.query<ControllableCall>(
    `select cl.vapi_call_id, cl.status, cc.control_url,
            coalesce((select a.transfer_number from public.agents a
                       where a.org_id = cl.org_id and a.transfer_number is not null
                       order by (a.role = 'inbound') desc limit 1), o.transfer_number) as transfer_number
       from public.call_logs cl
       join public.organizations o on o.id = cl.org_id
       left join public.call_controls cc on cc.vapi_call_id = cl.vapi_call_id and cc.org_id = cl.org_id
      where cl.org_id = $1 and cl.id = $2`,
    [orgId, callId],
  );
  return rows[0] ?? null;
}

/**
 * Flags the call as an emergency the moment a caller describes one. Returns the call row's id and
 * whether this was the first flag of the call (a row lock makes concurrent tool calls agree), so
 * the transfer and the clinic's alert happen once per call.
 */
export async function flagEmergencyCall(
  db: Db,
  c: { orgId: string; vapiCallId: string; fromNumber: string | null; toNumber: string | null },
): Promise<{ callLogId: string; first: boolean } | null> {
  const inserted = await db.query<{ id: string }>(
    `insert into public.call_logs (org_id, vapi_call_id, status, from_number, to_number, is_emergency, urgency)
     values ($1, $2, 'in-progress', $3, $4, true, 'high')
     on conflict (vapi_call_id) do nothing
     returning id`,
    [c.orgId, c.vapiCallId, c.fromNumber, c.toNumber],
  );
  if (inserted.rows[0]) return { callLogId: inserted.rows[0].id, first: true };
  const updated = await db.query<{ id: string }>(
    `update public.call_logs set is_emergency = true, urgency = 'high'
      where org_id = $1 and vapi_call_id = $2 and not is_emergency
      returning id`,
    [c.orgId, c.vapiCallId],
  );
  if (updated.rows[0]) return { callLogId: updated.rows[0].id, first: true };
  const existing = await db.query<{ id: string }>("select id from public.call_logs where org_id = $1 and vapi_call_id = $2", [c.orgId, c.vapiCallId]);
  return existing.rows[0] ? { callLogId: existing.rows[0].id, first: false } : null;
}

export type EmergencyTransferStatus = "transferred" | "failed" | "requested" | "not_possible";

/** What became of the emergency transfer; a transfer that happened is also the call's transfer. */
export async function recordEmergencyTransfer(
  db: Db,
  t: { orgId: string; vapiCallId: string; status: EmergencyTransferStatus; to: string | null; note: string | null; at: Date; reason: string },
): Promise<void> {
  await db.query(
    `update public.call_logs
        set emergency_transfer_status = $3, emergency_transfer_note = left($5, 500),
            transfer_to = case when $3 = 'transferred' then coalesce(transfer_to, $4) else transfer_to end,
            transfer_time = case when $3 = 'transferred' then coalesce(transfer_time, $6) else transfer_time end,
            transfer_reason = case when $3 = 'transferred' then coalesce(transfer_reason, $7) else transfer_reason end
      where org_id = $1 and vapi_call_id = $2`,
    [t.orgId, t.vapiCallId, t.status, t.to, t.note, t.at, t.reason],
  );
}

export type EmergencyAlertFacts = {
  id: string;
  from_number: string | null;
  emergency_transfer_status: EmergencyTransferStatus | null;
  emergency_transfer_note: string | null;
  transfer_to: string | null;
  alert_number: string | null;
  timezone: string;
};

/** The call and the clinic's alert number, for the emergency SMS. */
export async function emergencyAlertFacts(db: Db, orgId: string, vapiCallId: string): Promise<EmergencyAlertFacts | null> {
  const { rows } = await db.query<EmergencyAlertFacts>(
    `select cl.id, cl.from_number, cl.emergency_transfer_status, cl.emergency_transfer_note, cl.transfer_to,
            o.hot_lead_alert_number as alert_number, o.timezone
       from public.call_logs cl join public.organizations o on o.id = cl.org_id
      where cl.org_id = $1 and cl.vapi_call_id = $2`,
    [orgId, vapiCallId],
  );
  return rows[0] ?? null;
}
