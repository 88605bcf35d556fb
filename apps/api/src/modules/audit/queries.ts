import type { Db } from "../../db/database";

/** Who did something on the dashboard, for the audit trail. */
export type Actor = { orgId: string; userId: string };

/**
 * One row of the append-only audit trail, written in the same transaction as the change it
 * records (members cannot insert into audit_events themselves: the server writes it as the
 * service role for the member's own org).
 */
export async function insertAudit(db: Db, actor: Actor, e: { action: string; targetType: string; targetId: string | null; data?: object }): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_user_id, actor_type, action, target_type, target_id, data)
     values ($1, $2, 'user', $3, $4, $5, $6)`,
    [actor.orgId, actor.userId, e.action, e.targetType, e.targetId, e.data ?? {}],
  );
}
