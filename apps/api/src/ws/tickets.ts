import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../db/database";
import { deleteTicketAndExpired, insertTicket } from "./queries";

/** Long enough to open a socket right after asking; short enough to be useless if leaked. */
export const TICKET_TTL_SECONDS = 30;

const hash = (ticket: string) => createHash("sha256").update(ticket).digest("hex");

/**
 * Issues a single-use ticket for a verified session (stored hashed). Written as the service role:
 * members cannot insert tickets themselves, or they could mint one with any expiry through
 * Supabase's REST API (migration 20261129000200).
 */
export async function issueTicket(db: Database, holder: TicketHolder, now: Date): Promise<{ ticket: string; expiresAt: Date }> {
  const ticket = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + TICKET_TTL_SECONDS * 1000);
  await db.asService(holder.orgId, (tx) => insertTicket(tx, { tokenHash: hash(ticket), orgId: holder.orgId, userId: holder.userId, expiresAt }));
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
  const rows = await db.asSystem((tx) => deleteTicketAndExpired(tx, hash(ticket), now));
  const row = rows.find((r) => r.token_hash === hash(ticket));
  if (!row || row.expires_at.getTime() <= now.getTime()) return null;
  return { orgId: row.org_id, userId: row.user_id };
}
