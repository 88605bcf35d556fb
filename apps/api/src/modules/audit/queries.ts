import type { AuditAction } from "@voxanne/contracts";
import type { Db } from "../../db/database";

export type NewAuditEvent = {
  orgId: string;
  actorUserId: string | null;
  actorType?: "user" | "system" | "operator" | "vapi";
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  ip?: string | null;
  userAgent?: string | null;
  data?: Record<string, unknown>;
};

/** Appends one event to the clinic's trail (service role: members cannot write audit_events). */
export async function insertAuditEvent(db: Db, e: NewAuditEvent): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_user_id, actor_type, action, target_type, target_id, ip, user_agent, data)
     values ($1, $2, $3, $4, $5, $6, $7::inet, $8, $9)`,
    [
      e.orgId,
      e.actorUserId,
      e.actorType ?? (e.actorUserId ? "user" : "system"),
      e.action,
      e.targetType ?? null,
      e.targetId ?? null,
      e.ip ?? null,
      e.userAgent?.slice(0, 512) ?? null,
      e.data ?? {},
    ],
  );
}

export type AuditRow = {
  id: string;
  created_at: Date;
  cursor_ts: string;
  action: string;
  actor_type: "user" | "system" | "operator" | "vapi" | "twilio";
  actor_user_id: string | null;
  actor_name: string | null;
  actor_email: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  data: Record<string, unknown>;
};

export type AuditQuery = {
  actor?: string;
  action?: string;
  /** Days in the clinic's time zone, inclusive. */
  from?: string;
  to?: string;
  after?: { startedAt: string; id: string };
  limit: number;
};

/**
 * The trail, newest first, keyset-paginated on (created_at, id). Day filters are read in the
 * clinic's own time zone. The actor's name and email come from their profile (none for someone
 * since removed from the clinic).
 */
export async function listAuditEvents(db: Db, orgId: string, f: AuditQuery): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `select e.id, e.created_at, e.created_at::text as cursor_ts, e.action, e.actor_type, e.actor_user_id,
            p.full_name as actor_name, p.email as actor_email,
            e.target_type, e.target_id, host(e.ip) as ip, e.data
       from public.audit_events e
       join public.organizations o on o.id = e.org_id
       left join public.profiles p on p.user_id = e.actor_user_id and p.org_id = e.org_id
      where e.org_id = $1
        and ($2::uuid is null or e.actor_user_id = $2)
        and ($3::text is null or e.action = $3)
        and ($4::date is null or e.created_at >= ($4::date)::timestamp at time zone o.timezone)
        and ($5::date is null or e.created_at < ($5::date + 1)::timestamp at time zone o.timezone)
        and ($6::timestamptz is null or (e.created_at, e.id) < ($6::timestamptz, $7::uuid))
      order by e.created_at desc, e.id desc
      limit $8`,
    [orgId, f.actor ?? null, f.action ?? null, f.from ?? null, f.to ?? null, f.after?.startedAt ?? null, f.after?.id ?? null, f.limit + 1],
  );
  return rows;
}

export type PersonRow = { user_id: string; full_name: string | null; email: string | null };

/** Everyone on the team and everyone who appears in the trail, for the person filter. */
export async function listAuditPeople(db: Db, orgId: string): Promise<PersonRow[]> {
  const { rows } = await db.query<PersonRow>(
    `select ids.user_id, p.full_name, p.email
       from (select user_id from public.profiles where org_id = $1
             union
             select distinct actor_user_id from public.audit_events where org_id = $1 and actor_user_id is not null) ids
       left join public.profiles p on p.user_id = ids.user_id and p.org_id = $1
      order by p.full_name nulls last, p.email nulls last, ids.user_id`,
    [orgId],
  );
  return rows;
}

/** Who did something on the dashboard, for the audit trail. */
export type Actor = { orgId: string; userId: string };

/**
 * One row of the append-only audit trail, written in the same transaction as the change it
 * records (members cannot insert into audit_events themselves: the server writes it as the
 * service role for the member's own org).
 */
export async function insertAudit(db: Db, actor: Actor, e: { action: AuditAction; targetType: string; targetId: string | null; data?: object }): Promise<void> {
  await insertAuditEvent(db, {
    orgId: actor.orgId,
    actorUserId: actor.userId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId ?? undefined,
    data: (e.data ?? {}) as Record<string, unknown>,
  });
}
