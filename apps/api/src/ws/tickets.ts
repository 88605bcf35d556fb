import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../db/database";
import { DomainError } from "../lib/domain-error";
import type { AuthContext } from "../modules/auth/session";
import { countOutstandingTickets, deleteTicketAndExpired, insertTicket, lockTicketsOfUser } from "./queries";

/** Long enough to open a socket right after asking; short enough to be useless if leaked. */
export const TICKET_TTL_SECONDS = 30;
/** Unused, unexpired tickets one user may hold at once; a dashboard needs one per (re)connect. */
export const MAX_OUTSTANDING_TICKETS = 10;

const hash = (ticket: string) => createHash("sha256").update(ticket).digest("hex");

/**
 * Issues a single-use ticket for a verified session (stored hashed), bound to the session that
 * asked for it so the feed can close the socket when that session is revoked. Written as the
 * service role: members cannot insert tickets themselves, or they could mint one with any expiry
 * through Supabase's REST API (migration 20261129000200).
 */
export async function issueTicket(db: Database, auth: AuthContext, now: Date): Promise<{ ticket: string; expiresAt: Date }> {
  const ticket = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + TICKET_TTL_SECONDS * 1000);
  await db.asService(auth.orgId, async (tx) => {
    // Serialise one user's ticket requests so two at once cannot both pass the cap.
    await lockTicketsOfUser(tx, auth.userId);
    if ((await countOutstandingTickets(tx, auth.userId, now)) >= MAX_OUTSTANDING_TICKETS) {
      throw new DomainError(
        "rate_limited",
        "too_many_live_tickets",
        `Too many live-feed tickets are waiting to be used (${MAX_OUTSTANDING_TICKETS} at most per user). Use one to open the live feed, or wait ${TICKET_TTL_SECONDS} seconds for them to expire.`,
        TICKET_TTL_SECONDS,
      );
    }
    await insertTicket(tx, { tokenHash: hash(ticket), orgId: auth.orgId, userId: auth.userId, sessionId: auth.sessionId, expiresAt });
  });
  return { ticket, expiresAt };
}

export type TicketHolder = { orgId: string; userId: string; sessionId: string };

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
  return { orgId: row.org_id, userId: row.user_id, sessionId: row.session_id };
}
