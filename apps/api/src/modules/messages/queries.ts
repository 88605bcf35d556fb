import type { Db } from "../../db/database";

export type MessageStatus = "queued" | "sent" | "delivered" | "failed" | "not_sent";

export type NewMessage = {
  method: "sms" | "email";
  purpose: string;
  recipient: string | null;
  content: string;
  status: MessageStatus;
  statusReason?: string | null;
  /** Machine-readable why (opted_out, quiet_hours, rate_limited, not_connected, …). */
  statusCode?: string | null;
  serviceProvider?: string | null;
  externalMessageId?: string | null;
  callLogId?: string | null;
  contactId?: string | null;
  appointmentId?: string | null;
  idempotencyKey?: string | null;
  sentAt?: Date | null;
};

export type MessageRow = { id: string; status: MessageStatus; status_reason: string | null; status_code: string | null };

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
                                  service_provider, external_message_id, call_log_id, contact_id, idempotency_key, sent_at,
                                  status_code, appointment_id)
     values ($1, 'outbound', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     on conflict (org_id, idempotency_key) do nothing
     returning id, status, status_reason, status_code`,
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
      m.statusCode ?? null,
      m.appointmentId ?? null,
    ],
  );
  if (rows[0]) return { ...rows[0], inserted: true };
  const existing = await db.query<MessageRow>("select id, status, status_reason, status_code from public.messages where org_id = $1 and idempotency_key = $2", [
    orgId,
    m.idempotencyKey,
  ]);
  return { ...existing.rows[0]!, inserted: false };
}

export async function updateMessageOutcome(
  db: Db,
  orgId: string,
  id: string,
  outcome: {
    status: MessageStatus;
    statusReason?: string | null;
    statusCode?: string | null;
    serviceProvider?: string | null;
    externalMessageId?: string | null;
    sentAt?: Date | null;
  },
): Promise<void> {
  // A message that was not handed over has no send time (its claim, if any, is released).
  await db.query(
    `update public.messages
        set status = $3, status_reason = $4, service_provider = coalesce($5, service_provider),
            external_message_id = coalesce($6, external_message_id),
            sent_at = case when $3 in ('sent', 'delivered') then coalesce($7, sent_at, now()) when $3 = 'queued' then sent_at else null end,
            status_code = $8
      where org_id = $1 and id = $2`,
    [
      orgId,
      id,
      outcome.status,
      outcome.statusReason ?? null,
      outcome.serviceProvider ?? null,
      outcome.externalMessageId ?? null,
      outcome.sentAt ?? null,
      outcome.statusCode ?? null,
    ],
  );
}

export type SmsRules = {
  timezone: string;
  sms_quiet_start: string;
  sms_quiet_end: string;
  sms_hourly_limit: number;
  sms_booking_confirmation: boolean;
  sms_reminder_offsets_minutes: number[];
  name: string;
};

/** The clinic's SMS settings (organizations). */
export async function smsRules(db: Db, orgId: string): Promise<SmsRules | null> {
  const { rows } = await db.query<SmsRules>(
    `select timezone, sms_quiet_start::text, sms_quiet_end::text, sms_hourly_limit, sms_booking_confirmation,
            sms_reminder_offsets_minutes, name
       from public.organizations where id = $1`,
    [orgId],
  );
  return rows[0] ?? null;
}

/** One clinic's SMS sends are decided one at a time, so the hourly limit holds under concurrency. */
export async function lockSmsSending(db: Db, orgId: string): Promise<void> {
  await db.query("select pg_advisory_xact_lock(hashtext('voxanne:sms-send'), hashtext($1))", [orgId]);
}

/** SMS handed to the provider in the hour before `now` (sent_at is set when a send is claimed). */
export async function smsSentSince(db: Db, orgId: string, since: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from public.messages where org_id = $1 and method = 'sms' and direction = 'outbound' and sent_at > $2",
    [orgId, since],
  );
  return rows[0]!.n;
}

export async function isOptedOut(db: Db, orgId: string, phone: string): Promise<boolean> {
  const { rows } = await db.query("select 1 from public.sms_opt_outs where org_id = $1 and phone = $2", [orgId, phone]);
  return rows.length > 0;
}

/** Records an opt-out (STOP, or Twilio's 21610); true when it is new. */
export async function insertOptOut(db: Db, orgId: string, phone: string, keyword: string): Promise<boolean> {
  const { rowCount } = await db.query("insert into public.sms_opt_outs (org_id, phone, keyword) values ($1, $2, $3) on conflict (org_id, phone) do nothing", [
    orgId,
    phone,
    keyword,
  ]);
  return (rowCount ?? 0) > 0;
}

export async function deleteOptOut(db: Db, orgId: string, phone: string): Promise<boolean> {
  const { rowCount } = await db.query("delete from public.sms_opt_outs where org_id = $1 and phone = $2", [orgId, phone]);
  return (rowCount ?? 0) > 0;
}

/** Claims a queued message for sending: its sent_at counts against the hourly limit from now on. */
export async function claimMessage(db: Db, orgId: string, id: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query("update public.messages set sent_at = $3 where org_id = $1 and id = $2 and status = 'queued' and sent_at is null", [
    orgId,
    id,
    at,
  ]);
  return (rowCount ?? 0) > 0;
}

export async function releaseMessageClaim(db: Db, orgId: string, id: string): Promise<void> {
  await db.query("update public.messages set sent_at = null where org_id = $1 and id = $2 and status = 'queued'", [orgId, id]);
}

export type QueuedMessage = { id: string; recipient: string | null; content: string; status: MessageStatus; purpose: string; sent_at: Date | null };

export async function findMessage(db: Db, orgId: string, id: string): Promise<QueuedMessage | null> {
  const { rows } = await db.query<QueuedMessage>("select id, recipient, content, status, purpose, sent_at from public.messages where org_id = $1 and id = $2", [
    orgId,
    id,
  ]);
  return rows[0] ?? null;
}

const STATUS_RANK: Record<string, number> = { queued: 0, sent: 1, failed: 2, delivered: 2, not_sent: 2 };

/**
 * Twilio's status callback for one of our messages. Callbacks can arrive out of order: a status
 * only moves forward (queued → sent → delivered | failed), never back.
 */
export async function applyDeliveryStatus(
  db: Db,
  orgId: string,
  externalId: string,
  update: { status: "sent" | "delivered" | "failed"; reason: string | null; code: string | null },
): Promise<{ id: string; recipient: string | null } | null> {
  const { rows } = await db.query<{ id: string; status: string; recipient: string | null }>(
    "select id, status, recipient from public.messages where org_id = $1 and external_message_id = $2 and direction = 'outbound' for update",
    [orgId, externalId],
  );
  const row = rows[0];
  if (!row) return null;
  if ((STATUS_RANK[update.status] ?? 0) <= (STATUS_RANK[row.status] ?? 0)) return { id: row.id, recipient: row.recipient };
  await db.query(
    `update public.messages set status = $3, status_reason = coalesce($4, status_reason), status_code = coalesce($5, status_code),
            sent_at = coalesce(sent_at, now())
      where org_id = $1 and id = $2`,
    [orgId, row.id, update.status, update.reason, update.code],
  );
  return { id: row.id, recipient: row.recipient };
}

/** An SMS a patient sent to the clinic's number (kept so staff can read replies); `recipient` holds the other party, the patient. */
export async function insertInboundSms(db: Db, orgId: string, m: { from: string; to: string; body: string; externalId: string | null }): Promise<void> {
  await db.query(
    `insert into public.messages (org_id, direction, method, purpose, recipient, content, status, service_provider, external_message_id, sent_at,
                                  idempotency_key)
     values ($1, 'inbound', 'sms', 'inbound', $2, $3, 'delivered', 'twilio', $4, now(), $5)
     on conflict (org_id, idempotency_key) do nothing`,
    [orgId, m.from, m.body.slice(0, 5000), m.externalId, m.externalId ? `inbound:${m.externalId}` : null],
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

/** Whether the patient asked not to be texted: marked on their lead, or by replying STOP (sms_opt_outs). */
export async function smsOptedOut(db: Db, orgId: string, phone: string): Promise<boolean> {
  const { rows } = await db.query(
    `select 1 from public.contacts where org_id = $1 and phone = $2 and sms_opted_out_at is not null
     union all
     select 1 from public.sms_opt_outs where org_id = $1 and phone = $2`,
    [orgId, phone],
  );
  return rows.length > 0;
}
