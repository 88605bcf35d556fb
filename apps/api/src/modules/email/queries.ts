import type { Db } from "../../db/database";

export type OutboxRow = { id: string; recipient: string | null; subject: string | null; content: string; purpose: string; created_at: Date };

/** The development outbox: emails kept on this machine because SMTP_URL is not set. Newest first. */
export async function listOutbox(db: Db, orgId: string, limit: number): Promise<OutboxRow[]> {
  const { rows } = await db.query<OutboxRow>(
    `select id, recipient, subject, content, purpose, created_at
       from public.messages
      where org_id = $1 and method = 'email' and service_provider = 'outbox'
      order by created_at desc, id desc
      limit $2`,
    [orgId, limit],
  );
  return rows;
}

/** Sets an email's subject (messages.subject; the shared insert in modules/messages/queries.ts does not know it). */
export async function setSubject(db: Db, orgId: string, id: string, subject: string): Promise<void> {
  await db.query("update public.messages set subject = $3 where org_id = $1 and id = $2", [orgId, id, subject]);
}

export type RecordedEmail = { id: string; status: string; recipient: string | null; subject: string | null; content: string };

/** An email recorded earlier (queued by a dashboard action), for its delivery job. */
export async function recordedEmail(db: Db, orgId: string, id: string): Promise<RecordedEmail | null> {
  const { rows } = await db.query<RecordedEmail>(
    "select id, status, recipient, subject, content from public.messages where org_id = $1 and id = $2 and method = 'email'",
    [orgId, id],
  );
  return rows[0] ?? null;
}
