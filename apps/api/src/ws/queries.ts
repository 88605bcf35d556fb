import type { Db } from "../db/database";

export async function insertTicket(db: Db, t: { tokenHash: string; orgId: string; userId: string; sessionId: string; expiresAt: Date }): Promise<void> {
  await db.query("insert into public.live_tickets (token_hash, org_id, user_id, session_id, expires_at) values ($1, $2, $3, $4, $5)", [
    t.tokenHash,
    t.orgId,
    t.userId,
    t.sessionId,
    t.expiresAt,
  ]);
}

/** A transaction-scoped lock per user, held until the ticket is inserted. */
export async function lockTicketsOfUser(db: Db, userId: string): Promise<void> {
  await db.query("select pg_advisory_xact_lock(hashtextextended('live_tickets:' || $1::text, 0))", [userId]);
}

export async function countOutstandingTickets(db: Db, userId: string, now: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>("select count(*)::int as n from public.live_tickets where user_id = $1 and expires_at > $2", [userId, now]);
  return rows[0]?.n ?? 0;
}

/** Deletes the ticket as it is read, and sweeps tickets expired for over ten minutes. */
export async function deleteTicketAndExpired(db: Db, tokenHash: string, now: Date) {
  const { rows } = await db.query<{ org_id: string; user_id: string; session_id: string; expires_at: Date; token_hash: string }>(
    `delete from public.live_tickets
      where token_hash = $1 or expires_at < $2::timestamptz - interval '10 minutes'
      returning org_id, user_id, session_id, expires_at, token_hash`,
    [tokenHash, now],
  );
  return rows;
}
