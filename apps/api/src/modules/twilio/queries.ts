import type { Db } from "../../db/database";

export type ClinicNumberRow = {
  id: string;
  org_id: string;
  e164: string;
  twilio_sid: string | null;
  vapi_phone_number_id: string | null;
  agent_id: string | null;
  created_at: Date;
};

const NUMBER_COLUMNS = "id, org_id, e164, twilio_sid, vapi_phone_number_id, agent_id, created_at";

/**
 * Serialises connect and disconnect of one clinic for the rest of the transaction: a double click
 * waits for the first request and then finds its result instead of repeating its side effects.
 */
export async function lockTwilioConnection(db: Db, orgId: string): Promise<void> {
  await db.query("select pg_advisory_xact_lock(hashtext('voxanne:twilio-connection'), hashtext($1))", [orgId]);
}

/** Numbers this clinic connected from its Twilio account (they carry the Twilio number SID). */
export async function twilioNumbers(db: Db, orgId: string): Promise<ClinicNumberRow[]> {
  const { rows } = await db.query<ClinicNumberRow>(
    `select ${NUMBER_COLUMNS} from public.phone_numbers where org_id = $1 and twilio_sid is not null order by created_at`,
    [orgId],
  );
  return rows;
}

/** Who holds this number, across clinics (service role): a number answers for one clinic only. */
export async function numberOwner(db: Db, e164: string): Promise<{ org_id: string } | null> {
  const { rows } = await db.query<{ org_id: string }>("select org_id from public.phone_numbers where e164 = $1", [e164]);
  return rows[0] ?? null;
}

export async function insertTwilioNumber(
  db: Db,
  orgId: string,
  n: { e164: string; twilioSid: string; vapiPhoneNumberId: string | null; agentId: string | null },
): Promise<ClinicNumberRow> {
  const { rows } = await db.query<ClinicNumberRow>(
    `insert into public.phone_numbers (org_id, e164, label, twilio_sid, vapi_phone_number_id, agent_id)
     values ($1, $2, 'Clinic line (Twilio)', $3, $4, $5)
     returning ${NUMBER_COLUMNS}`,
    [orgId, n.e164, n.twilioSid, n.vapiPhoneNumberId, n.agentId],
  );
  return rows[0]!;
}

export async function deleteTwilioNumbers(db: Db, orgId: string): Promise<number> {
  const { rowCount } = await db.query("delete from public.phone_numbers where org_id = $1 and twilio_sid is not null", [orgId]);
  return rowCount ?? 0;
}

/** The inbound receptionist: its row id and, once synced, its Vapi assistant. */
export async function inboundAgent(db: Db, orgId: string): Promise<{ id: string; vapi_assistant_id: string | null } | null> {
  const { rows } = await db.query<{ id: string; vapi_assistant_id: string | null }>(
    "select id, vapi_assistant_id from public.agents where org_id = $1 and role = 'inbound'",
    [orgId],
  );
  return rows[0] ?? null;
}

export async function insertTwilioAudit(
  db: Db,
  e: {
    orgId: string;
    actorUserId: string | null;
    actorType?: "user" | "twilio" | "system";
    action: string;
    targetType?: string;
    targetId?: string;
    data: object;
  },
): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_user_id, actor_type, action, target_type, target_id, data)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [e.orgId, e.actorUserId, e.actorType ?? "user", e.action, e.targetType ?? "integration", e.targetId ?? "twilio", e.data],
  );
}
