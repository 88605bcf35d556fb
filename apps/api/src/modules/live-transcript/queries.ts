import type { Db } from "../../db/database";

/** Our id of a call, if its first status update has been stored (RLS-scoped to the org in app.org_id). */
export async function findCallIdByVapiId(db: Db, orgId: string, vapiCallId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>("select id from public.call_logs where org_id = $1 and vapi_call_id = $2", [orgId, vapiCallId]);
  return rows[0]?.id ?? null;
}

/**
 * Queues one live event (its JSON, as the hub sends it) in this transaction's deferred events, the
 * list publish_live_event fills for the table triggers; Database.transaction sends it right after
 * COMMIT (supabase/migrations/20261123000401_live_events_deferred.sql: a NOTIFY inside the
 * transaction would serialise every commit in the database).
 */
export async function deferLiveEvent(db: Db, payload: string): Promise<void> {
  await db.query("select set_config('voxanne.live_events', coalesce(current_setting('voxanne.live_events', true), '') || $1 || chr(10), true)", [payload]);
}
