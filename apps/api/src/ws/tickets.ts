import { createHash, randomBytes } from "node:crypto";
import type { Database, JwtClaims } from "../db/database";

/** Long enough to open a socket right after asking; short enough to be useless if leaked. */
export const TICKET_TTL_SECONDS = 30;

const hash = (ticket: string) => createHash("sha256").update(ticket).digest("hex");

/** Issues a single-use ticket for the signed-in user (stored hashed, under their RLS). */
export async function issueTicket(db: Database, claims: JwtClaims, orgId: string, now: Date): Promise<{ ticket: string; expiresAt: Date }> {
  const ticket = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + TICKET_TTL_SECONDS * 1000);
  await db.asUser(claims, (tx) =>
    tx.query("insert into public.live_tickets (token_hash, org_id, user_id, expires_at) values ($1, $2, $3, $4)", [hash(ticket), orgId, claims.sub, expiresAt]),
  );
  return { ticket, expiresAt };
}

export type TicketHolder = { orgId: string; userId: string };

/**
 * Redeems a ticket on whichever API process the socket reached: the row is deleted as it is read,
 * so a second use — here or on another process — finds nothing. Expired tickets are refused and
 * swept along the way.
 */
export async function consumeTicket(db: Database, ticket: string, now: Date): Promise<TicketHolder | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(ticket)) return null;
  const { rows } = await db.asSystem((tx) =>
    tx.query<{ org_id: string; user_id: string; expires_at: Date; token_hash: string }>(
      `delete from public.live_tickets
        where token_hash = $1 or expires_at < $2::timestamptz - interval '10 minutes'
        returning org_id, user_id, expires_at, token_hash`,
      [hash(ticket), now],
    ),
  );
  const row = rows.find((r) => r.token_hash === hash(ticket));
  if (!row || row.expires_at.getTime() <= now.getTime()) return null;
  return { orgId: row.org_id, userId: row.user_id };
}
