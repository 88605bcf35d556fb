import type { Db } from "../db/database";

export async function insertTicket(db: Db, t: { tokenHash: string; orgId: string; userId: string; expiresAt: Date }): Promise<void> {
  await db.query("insert into public.live_tickets (token_hash, org_id, user_id, expires_at) values ($1, $2, $3, $4)", [
    t.tokenHash,
    t.orgId,
    t.userId,
    t.expiresAt,
  ]);
}

/** Deletes the ticket as it is read, and sweeps tickets expired for over ten minutes. */
export async function deleteTicketAndExpired(db: Db, tokenHash: string, now: Date) {
  const { rows } = await db.query<{ org_id: string; user_id: string; expires_at: Date; token_hash: string }>(
    `delete from public.live_tickets
      where token_hash = $1 or expires_at < $2::timestamptz - interval '10 minutes'
      returning org_id, user_id, expires_at, token_hash`,
    [tokenHash, now],
  );
  return rows;
}
