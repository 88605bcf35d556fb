import type { Db } from "../../db/database";

export type ToolInvocation = {
  orgId: string;
  callId: string;
  toolCallId: string;
  toolName: string;
  /** Already redacted. */
  args: unknown;
  result: string | null;
  error: string | null;
  outcome: string | null;
  emergency: boolean;
  appointmentId: string | null;
  durationMs: number;
};

/**
 * Stores a tool call's answer once per (org, call, toolCallId). Returns "inserted", or the answer
 * already stored when the same tool call was answered concurrently (a replay racing the original).
 */
export async function storeToolInvocation(db: Db, t: ToolInvocation): Promise<"inserted" | { result: string | null; error: string | null } | null> {
  const { rows } = await db.query(
    `insert into public.tool_invocations
       (org_id, vapi_call_id, tool_call_id, tool_name, arguments, result, error, outcome, emergency, appointment_id, duration_ms)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (org_id, vapi_call_id, tool_call_id) do nothing
     returning id`,
    [t.orgId, t.callId, t.toolCallId, t.toolName, t.args, t.result, t.error, t.outcome, t.emergency, t.appointmentId, t.durationMs],
  );
  if (rows.length > 0) return "inserted";
  const stored = await db.query<{ result: string | null; error: string | null }>(
    "select result, error from public.tool_invocations where org_id = $1 and vapi_call_id = $2 and tool_call_id = $3",
    [t.orgId, t.callId, t.toolCallId],
  );
  return stored.rows[0] ?? null;
}

/** The audit row for an emergency phrase in a tool call, committed durably whatever the tool. */
export async function recordEmergencyFlag(db: Db, e: { orgId: string; callId: string; tool: string; toolCallId: string; phrase: string }): Promise<void> {
  // The flag must survive a crash, even in a read-only tool's transaction: back to a durable commit.
  await db.query("select set_config('synchronous_commit', 'on', true)");
  await db.query(
    `insert into public.audit_events (org_id, actor_type, action, target_type, target_id, data)
     values ($1, 'vapi', 'call.emergency_flagged', 'call', $2, $3)`,
    [e.orgId, e.callId || null, { tool: e.tool, toolCallId: e.toolCallId, phrase: e.phrase }],
  );
}

/** The audit row for a caller who failed verification (what they asked for; no names, numbers or dates). */
export async function recordCallerNotVerified(db: Db, e: { orgId: string; callId: string; request: string; callerHasId: boolean }): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_type, action, target_type, target_id, data)
     values ($1, 'vapi', 'call.caller_not_verified', 'call', $2, $3)`,
    [e.orgId, e.callId || null, { request: e.request, callerId: e.callerHasId }],
  );
}
