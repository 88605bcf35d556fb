import { prepared, type Db } from "../../db/database";

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
 * Stores a tool call's answer once per (org, call, toolCallId) as the transaction's last statement,
 * and commits (Db.commitWith: one round trip for both). Returns "inserted", or the answer already
 * stored when the same tool call was answered concurrently (a replay racing the original).
 */
export async function storeToolInvocationAndCommit(db: Db, t: ToolInvocation): Promise<"inserted" | { result: string | null; error: string | null }> {
  // On a conflict the no-op update waits for the first answer's commit and returns it (a plain
  // DO NOTHING returns nothing, and a second read could not follow the COMMIT). `xmax = 0` only
  // on a row this statement inserted.
  const { rows } = await db.commitWith<{ inserted: boolean; result: string | null; error: string | null }>(
    prepared(`insert into public.tool_invocations
       (org_id, vapi_call_id, tool_call_id, tool_name, arguments, result, error, outcome, emergency, appointment_id, duration_ms)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (org_id, vapi_call_id, tool_call_id) do update set tool_call_id = excluded.tool_call_id
     returning (xmax = 0) as inserted, result, error`),
    [t.orgId, t.callId, t.toolCallId, t.toolName, t.args, t.result, t.error, t.outcome, t.emergency, t.appointmentId, t.durationMs],
  );
  const row = rows[0]!;
  return row.inserted ? "inserted" : { result: row.result, error: row.error };
}

/** The audit row for an emergency phrase in a tool call, committed durably whatever the tool. */
export async function recordEmergencyFlag(db: Db, e: { orgId: string; callId: string; tool: string; toolCallId: string; phrase: string }): Promise<void> {
  // The flag must survive a crash, even in a read-only tool's transaction: back to a durable commit.
  await db.query("select set_config('synchronous_commit', 'on', true)");
  await db.query(
    prepared(`insert into public.audit_events (org_id, actor_type, action, target_type, target_id, data)
     values ($1, 'vapi', 'call.emergency_flagged', 'call', $2, $3)`),
    [e.orgId, e.callId || null, { tool: e.tool, toolCallId: e.toolCallId, phrase: e.phrase }],
  );
}

/** The audit row for a caller who failed verification (what they asked for; no names, numbers or dates). */
export async function recordCallerNotVerified(db: Db, e: { orgId: string; callId: string; request: string; callerHasId: boolean }): Promise<void> {
  await db.query(
    prepared(`insert into public.audit_events (org_id, actor_type, action, target_type, target_id, data)
     values ($1, 'vapi', 'call.caller_not_verified', 'call', $2, $3)`),
    [e.orgId, e.callId || null, { request: e.request, callerId: e.callerHasId }],
  );
}

// The global tool registry (vapi_tools): each tool is registered in Vapi once for every clinic.

export type RegisteredTool = { toolName: string; vapiToolId: string; definitionHash: string };

/** Serialises registry changes to one tool across processes until the transaction ends, so concurrent syncs register it once. */
export async function lockToolRegistry(db: Db, toolName: string): Promise<void> {
  await db.query("select pg_advisory_xact_lock(hashtext('voxanne:vapi-tool:' || $1))", [toolName]);
}

export async function registeredTool(db: Db, toolName: string): Promise<RegisteredTool | null> {
  const { rows } = await db.query<{ tool_name: string; vapi_tool_id: string; definition_hash: string }>(
    "select tool_name, vapi_tool_id, definition_hash from public.vapi_tools where tool_name = $1",
    [toolName],
  );
  const r = rows[0];
  return r ? { toolName: r.tool_name, vapiToolId: r.vapi_tool_id, definitionHash: r.definition_hash } : null;
}

/** Every registered tool's Vapi id, in name order. */
export async function registeredToolIds(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>("select vapi_tool_id as id from public.vapi_tools order by tool_name");
  return rows.map((r) => r.id);
}

export async function saveRegisteredTool(db: Db, t: RegisteredTool): Promise<void> {
  await db.query(
    `insert into public.vapi_tools (tool_name, vapi_tool_id, definition_hash) values ($1, $2, $3)
     on conflict (tool_name) do update set vapi_tool_id = excluded.vapi_tool_id, definition_hash = excluded.definition_hash`,
    [t.toolName, t.vapiToolId, t.definitionHash],
  );
}
