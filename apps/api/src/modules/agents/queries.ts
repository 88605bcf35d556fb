import type { AgentRole, AgentSettings } from "@voxanne/contracts";
import type { Db } from "../../db/database";
import type { PromptFacts } from "./prompt";

export type AgentRow = {
  id: string;
  org_id: string;
  role: AgentRole;
  name: string;
  first_message: string | null;
  system_prompt: string | null;
  voice_provider: string;
  voice_id: string;
  transcriber_provider: string;
  transcriber_model: string;
  model_provider: string;
  model_name: string;
  language: string;
  max_duration_seconds: number;
  end_call_phrases: string[];
  emergency_script: string | null;
  recording_enabled: boolean;
  hipaa_enabled: boolean;
  vapi_assistant_id: string | null;
  sync_status: "not_configured" | "pending" | "syncing" | "synced" | "failed";
  sync_error: string | null;
  last_synced_at: Date | null;
  config_version: number;
  synced_version: number | null;
  settings_saved_at: Date | null;
  updated_at: Date;
};

const COLUMNS = `id, org_id, role, name, first_message, system_prompt, voice_provider, voice_id, transcriber_provider, transcriber_model,
  model_provider, model_name, language, max_duration_seconds, end_call_phrases, emergency_script, recording_enabled, hipaa_enabled,
  vapi_assistant_id, sync_status, sync_error, last_synced_at, config_version, synced_version, settings_saved_at, updated_at`;

export async function listAgentRows(db: Db, orgId: string): Promise<AgentRow[]> {
  const { rows } = await db.query<AgentRow>(`select ${COLUMNS} from public.agents where org_id = $1 order by role`, [orgId]);
  return rows;
}

export async function findAgentRowById(db: Db, orgId: string, id: string): Promise<AgentRow | null> {
  const { rows } = await db.query<AgentRow>(`select ${COLUMNS} from public.agents where org_id = $1 and id = $2`, [orgId, id]);
  return rows[0] ?? null;
}

export async function findAgentRow(db: Db, orgId: string, role: AgentRole): Promise<AgentRow | null> {
  const { rows } = await db.query<AgentRow>(`select ${COLUMNS} from public.agents where org_id = $1 and role = $2`, [orgId, role]);
  return rows[0] ?? null;
}

/** Saves the settings (creating the agent if needed) and bumps its version; `status` is pending or not_configured. */
export async function saveAgentRow(db: Db, orgId: string, role: AgentRole, s: AgentSettings, status: "pending" | "not_configured"): Promise<AgentRow> {
  const { rows } = await db.query<AgentRow>(
    `insert into public.agents as a (org_id, role, name, first_message, system_prompt, voice_provider, voice_id, transcriber_provider, transcriber_model,
            model_provider, model_name, language, max_duration_seconds, end_call_phrases, emergency_script, recording_enabled, hipaa_enabled,
            sync_status, sync_error, settings_saved_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, null, now())
     on conflict (org_id, role) do update
        set name = excluded.name, first_message = excluded.first_message, system_prompt = excluded.system_prompt,
            voice_provider = excluded.voice_provider, voice_id = excluded.voice_id,
            transcriber_provider = excluded.transcriber_provider, transcriber_model = excluded.transcriber_model,
            model_provider = excluded.model_provider, model_name = excluded.model_name, language = excluded.language,
            max_duration_seconds = excluded.max_duration_seconds, end_call_phrases = excluded.end_call_phrases,
            emergency_script = excluded.emergency_script, recording_enabled = excluded.recording_enabled, hipaa_enabled = excluded.hipaa_enabled,
            sync_status = excluded.sync_status, sync_error = null, settings_saved_at = now(), config_version = a.config_version + 1
     returning ${COLUMNS}`,
    [
      orgId,
      role,
      s.name,
      s.firstMessage,
      s.systemPrompt,
      s.voice.provider,
      s.voice.voiceId,
      s.transcriber.provider,
      s.transcriber.model,
      s.model.provider,
      s.model.model,
      s.language,
      s.maxDurationSeconds,
      s.endCallPhrases,
      s.emergencyScript,
      s.recordingEnabled,
      s.hipaaEnabled,
      status,
    ],
  );
  return rows[0]!;
}

export async function insertAgentAudit(db: Db, e: { orgId: string; actorUserId: string; role: AgentRole; action: string; data: object }): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_user_id, action, target_type, target_id, data)
     values ($1, $2, $3, 'agent', $4, $5)`,
    [e.orgId, e.actorUserId, e.action, e.role, e.data],
  );
}

/** The clinic's line in Vapi, which outbound (test) calls are placed from. */
export async function vapiLineId(db: Db, orgId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    "select vapi_phone_number_id as id from public.phone_numbers where org_id = $1 and vapi_phone_number_id is not null order by created_at limit 1",
    [orgId],
  );
  return rows[0]?.id ?? null;
}

/** How many times the clinic used "Call my phone" since `since` (the rate limit counts audit rows). */
export async function countTestCalls(db: Db, orgId: string, since: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from public.audit_events where org_id = $1 and action = 'agent.test_call' and created_at >= $2",
    [orgId, since],
  );
  return rows[0]!.n;
}

/** Everything the prompt template fills in. */
export async function promptFacts(db: Db, orgId: string): Promise<Omit<PromptFacts, "emergencyScript"> | null> {
  const { rows } = await db.query(
    `select o.name, o.clinic_type, o.timezone, o.currency, o.business_hours, o.after_hours_mode, o.min_cancel_notice_minutes,
            coalesce((select json_agg(json_build_object('name', s.name, 'price', s.price, 'durationMinutes', s.duration_minutes) order by s.price, s.name)
                        from public.services s where s.org_id = o.id and s.active), '[]'::json) as services
       from public.organizations o where o.id = $1`,
    [orgId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    clinicName: r.name,
    clinicType: r.clinic_type,
    timezone: r.timezone,
    currency: r.currency,
    businessHours: r.business_hours,
    afterHoursMode: r.after_hours_mode,
    minCancelNoticeMinutes: r.min_cancel_notice_minutes,
    services: (r.services as { name: string; price: string | number; durationMinutes: number }[]).map((s) => ({ ...s, price: Number(s.price) })),
  };
}

// Sync bookkeeping (service role) ----------------------------------------------------------------

export async function markSyncing(db: Db, orgId: string, role: AgentRole): Promise<AgentRow | null> {
  const { rows } = await db.query<AgentRow>(
    `update public.agents set sync_status = 'syncing', sync_error = null where org_id = $1 and role = $2 returning ${COLUMNS}`,
    [orgId, role],
  );
  return rows[0] ?? null;
}

/** Records a finished sync of `version`; a save made meanwhile (a newer version) stays pending for its own job. */
export async function markSynced(db: Db, orgId: string, role: AgentRole, version: number, assistantId: string): Promise<void> {
  await db.query(
    `update public.agents
        set vapi_assistant_id = $4, synced_version = greatest(coalesce(synced_version, 0), $3), last_synced_at = now(),
            sync_status = case when config_version > $3 then 'pending' else 'synced' end, sync_error = null
      where org_id = $1 and role = $2`,
    [orgId, role, version, assistantId],
  );
}

export async function markSyncFailed(db: Db, orgId: string, role: AgentRole, message: string): Promise<void> {
  await db.query("update public.agents set sync_status = 'failed', sync_error = $3 where org_id = $1 and role = $2", [orgId, role, message.slice(0, 500)]);
}

export type OrgToolLink = { toolName: string; vapiToolId: string; definitionHash: string };

export async function recordOrgTools(db: Db, orgId: string, links: OrgToolLink[]): Promise<void> {
  await db.query(
    `insert into public.org_tools (org_id, tool_name, vapi_tool_id, definition_hash)
     select $1, t.tool_name, t.vapi_tool_id, t.definition_hash
       from jsonb_to_recordset($2::jsonb) as t(tool_name text, vapi_tool_id text, definition_hash text)
     on conflict (org_id, tool_name) do update
        set vapi_tool_id = excluded.vapi_tool_id, definition_hash = excluded.definition_hash, linked_at = now()`,
    [orgId, JSON.stringify(links.map((l) => ({ tool_name: l.toolName, vapi_tool_id: l.vapiToolId, definition_hash: l.definitionHash })))],
  );
}

/**
 * A new config version for every agent already in Vapi, after the clinic facts in its prompt
 * (hours, prices, name…) changed; the returned versions are queued for sync.
 */
export async function bumpSyncedAgents(db: Db, orgId: string): Promise<{ role: AgentRole; version: number }[]> {
  const { rows } = await db.query<{ role: AgentRole; version: number }>(
    `update public.agents set config_version = config_version + 1, sync_status = 'pending', sync_error = null
      where org_id = $1 and vapi_assistant_id is not null
      returning role, config_version as version`,
    [orgId],
  );
  return rows;
}
