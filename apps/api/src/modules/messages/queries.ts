import type { Db } from "../../db/database";

export type MessageStatus = "queued" | "sent" | "delivered" | "failed" | "not_sent";

export type NewMessage = {
  method: "sms" | "email";
  purpose: string;
  recipient: string | null;
  content: string;
  status: MessageStatus;
  statusReason?: string | null;
  serviceProvider?: string | null;
  externalMessageId?: string | null;
  callLogId?: string | null;
  contactId?: string | null;
  idempotencyKey?: string | null;
  sentAt?: Date | null;
};

export type MessageRow = { id: string; status: MessageStatus; status_reason: string | null };

export type HotLeadCall = {
  id: string;
  lead_score: number | null;
  financial_value: string | null;
  service_interests: string[] | null;
  contact_id: string | null;
  from_number: string | null;
  to_number: string | null;
  direction: string;
  is_emergency: boolean;
  contact_name: string | null;
  contact_phone: string | null;
  hot_lead_alert_number: string | null;
};

/** Where the clinic wants SMS alerts (hot leads, call-back requests): organizations.hot_lead_alert_number. */
export async function clinicAlertNumber(db: Db, orgId: string): Promise<string | null> {
  const { rows } = await db.query<{ n: string | null }>("select hot_lead_alert_number as n from public.organizations where id = $1", [orgId]);
  return rows[0]?.n ?? null;
}

/** A call with its contact and the clinic's alert number: what a hot-lead alert says and where it goes. */
export async function hotLeadCall(db: Db, orgId: string, callLogId: string): Promise<HotLeadCall | null> {
  const { rows } = await db.query<HotLeadCall>(
    `select c.id, c.lead_score, c.financial_value, c.service_interests, c.contact_id, c.from_number, c.to_number, c.direction, c.is_emergency,
            ct.name as contact_name, ct.phone as contact_phone, o.hot_lead_alert_number
       from public.call_logs c
       join public.organizations o on o.id = c.org_id
       left join public.contacts ct on ct.id = c.contact_id
      where c.org_id = $1 and c.id = $2`,
    [orgId, callLogId],
  );
  return rows[0] ?? null;
}

/**
 * Records an outbound message. With an idempotency key, a second attempt returns the first row
 * (inserted: false) instead of adding another.
 */
export async function insertMessage(db: Db, orgId: string, m: NewMessage): Promise<MessageRow & { inserted: boolean }> {
  const { rows } = await db.query<MessageRow>(
    `insert into public.messages (org_id, direction, method, purpose, recipient, content, status, status_reason,
                                  service_provider, external_message_id, call_log_id, contact_id, idempotency_key, sent_at)
     values ($1, 'outbound', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     on conflict (org_id, idempotency_key) do nothing
     returning id, status, status_reason`,
    [
      orgId,
      m.method,
      m.purpose,
      m.recipient,
      m.content,
      m.status,
      m.statusReason ?? null,
      m.serviceProvider ?? null,
      m.externalMessageId ?? null,
      m.callLogId ?? null,
      m.contactId ?? null,
      m.idempotencyKey ?? null,
      m.sentAt ?? null,
    ],
  );
  if (rows[0]) return { ...rows[0], inserted: true };
  const existing = await db.query<MessageRow>("select id, status, status_reason from public.messages where org_id = $1 and idempotency_key = $2", [
    orgId,
    m.idempotencyKey,
  ]);
  return { ...existing.rows[0]!, inserted: false };
}

export async function updateMessageOutcome(
  db: Db,
  orgId: string,
  id: string,
  outcome: { status: MessageStatus; statusReason?: string | null; serviceProvider?: string | null; externalMessageId?: string | null; sentAt?: Date | null },
): Promise<void> {
  await db.query(
    `update public.messages
        set status = $3, status_reason = $4, service_provider = coalesce($5, service_provider),
            external_message_id = coalesce($6, external_message_id), sent_at = coalesce($7, sent_at)
      where org_id = $1 and id = $2`,
    [orgId, id, outcome.status, outcome.statusReason ?? null, outcome.serviceProvider ?? null, outcome.externalMessageId ?? null, outcome.sentAt ?? null],
  );
}

/** A recorded outbound message, for the job that sends it. */
export async function messageToSend(db: Db, orgId: string, id: string): Promise<(MessageRow & { recipient: string | null; content: string }) | null> {
  const { rows } = await db.query<MessageRow & { recipient: string | null; content: string }>(
    "select id, status, status_reason, recipient, content from public.messages where org_id = $1 and id = $2",
    [orgId, id],
  );
  return rows[0] ?? null;
}

/** Whether the patient asked not to be texted (contacts.sms_opted_out_at), by number. */
export async function smsOptedOut(db: Db, orgId: string, phone: string): Promise<boolean> {
  const { rows } = await db.query("select 1 from public.contacts where org_id = $1 and phone = $2 and sms_opted_out_at is not null", [orgId, phone]);
  return rows.length > 0;
}
