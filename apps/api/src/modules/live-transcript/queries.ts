import { LIVE_EVENTS_CHANNEL } from "@voxanne/contracts";
import type { Db } from "../../db/database";

/** Our id of a call, if its first status update has been stored (RLS-scoped to the org in app.org_id). */
export async function findCallIdByVapiId(db: Db, orgId: string, vapiCallId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>("select id from public.call_logs where org_id = $1 and vapi_call_id = $2", [orgId, vapiCallId]);
  return rows[0]?.id ?? null;
}

/** Hands one live event to every API process's live feed (ws/live-hub.ts), as the triggers do; sent on commit. */
export async function notifyLiveEvent(db: Db, payload: string): Promise<void> {
  await db.query("select pg_notify($1, $2)", [LIVE_EVENTS_CHANNEL, payload]);
}
