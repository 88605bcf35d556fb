/**
 * The clinic's receptionists. Saving validates (the contract), stores, audits and answers at once;
 * the sync to Vapi runs as a job (jobs/agent-sync.ts) and reports progress live (agent.sync
 * events from the agents table's trigger). Without Vapi configured everything still saves, with
 * sync status not_configured.
 */
import { type Agent, type AgentRole, type AgentSettings, AgentRole as Roles } from "@voxanne/contracts";
import type { Db } from "../../db/database";
import { forbidden, notFound } from "../../lib/domain-error";
import type { JobQueue } from "../../lib/job-queue";
import { defaultAgentSettings } from "./defaults";
import { renderSystemPrompt, type PromptFacts } from "./prompt";
import { type AgentRow, bumpSyncedAgents, findAgentRow, insertAgentAudit, listAgentRows, promptFacts, saveAgentRow } from "./queries";
import { AGENT_SYNC_JOB, type AgentSyncData } from "./sync-job";

/** The settings a row holds (defaults where a legacy row left a field empty). */
export function settingsOf(row: AgentRow | null, role: AgentRole, clinicName: string): AgentSettings {
  const d = defaultAgentSettings(role, clinicName);
  if (!row) return d;
  return {
    name: row.name,
    firstMessage: row.first_message ?? d.firstMessage,
    systemPrompt: row.system_prompt,
    voice: { provider: row.voice_provider, voiceId: row.voice_id },
    model: { provider: row.model_provider, model: row.model_name },
    transcriber: { provider: row.transcriber_provider, model: row.transcriber_model },
    language: row.language,
    maxDurationSeconds: row.max_duration_seconds,
    endCallPhrases: row.end_call_phrases,
    emergencyScript: row.emergency_script,
    recordingEnabled: row.recording_enabled,
    hipaaEnabled: row.hipaa_enabled,
  };
}

function toAgent(role: AgentRole, row: AgentRow | null, facts: Omit<PromptFacts, "emergencyScript">): Agent {
  const settings = settingsOf(row, role, facts.clinicName);
  return {
    ...settings,
    role,
    renderedPrompt: renderSystemPrompt({ ...facts, emergencyScript: settings.emergencyScript }, settings.systemPrompt),
    syncStatus: row?.sync_status ?? "not_configured",
    syncError: row?.sync_error ?? null,
    lastSyncedAt: row?.last_synced_at?.toISOString() ?? null,
    vapiAssistantId: row?.vapi_assistant_id ?? null,
    settingsSavedAt: row?.settings_saved_at?.toISOString() ?? null,
    updatedAt: (row?.updated_at ?? new Date(0)).toISOString(),
  };
}

async function factsFor(db: Db, orgId: string) {
  const facts = await promptFacts(db, orgId);
  if (!facts) throw notFound("Your organization was not found.");
  return facts;
}

/** Both receptionists, saved or not yet (then with the defaults). */
export async function listAgents(db: Db, orgId: string): Promise<Agent[]> {
  const rows = await listAgentRows(db, orgId);
  const facts = await factsFor(db, orgId);
  return Roles.options.map((role) => toAgent(role, rows.find((r) => r.role === role) ?? null, facts));
}

export async function getAgent(db: Db, orgId: string, role: AgentRole): Promise<Agent> {
  const row = await findAgentRow(db, orgId, role);
  const facts = await factsFor(db, orgId);
  return toAgent(role, row, facts);
}

export type SaveAgentDeps = { jobs?: JobQueue; vapiConfigured: boolean };

/**
 * Saves a receptionist (owner or admin), audits the change and queues its sync. Answers with
 * sync status pending, or not_configured when this server has no Vapi key.
 */
export async function saveAgent(
  db: Db,
  deps: SaveAgentDeps,
  who: { orgId: string; userId: string; role: "owner" | "admin" | "staff" },
  role: AgentRole,
  settings: AgentSettings,
): Promise<Agent> {
  if (who.role === "staff") throw forbidden("Only the clinic's owner or an admin can change the receptionist. Ask them to make this change.");
  const syncable = deps.vapiConfigured && deps.jobs !== undefined;
  const row = await saveAgentRow(db, who.orgId, role, settings, syncable ? "pending" : "not_configured");
  await insertAgentAudit(db, { orgId: who.orgId, actorUserId: who.userId, role, action: "agent.saved", data: { version: row.config_version } });
  if (syncable) {
    const data: AgentSyncData = { orgId: who.orgId, role, version: row.config_version };
    await deps.jobs!.send(AGENT_SYNC_JOB, data, { db, singletonKey: `agent-sync:${who.orgId}:${role}:${row.config_version}` });
  }
  return toAgent(role, row, await factsFor(db, who.orgId));
}

/**
 * The clinic's facts the prompt carries (hours, services, prices, name) changed: re-sync every
 * receptionist already in Vapi, in the caller's transaction. Tools read settings on every call, so
 * this only refreshes what the assistant was told up front.
 */
export async function resyncAgentsAfterClinicChange(db: Db, deps: SaveAgentDeps, orgId: string): Promise<void> {
  if (!deps.vapiConfigured || !deps.jobs) return;
  for (const { role, version } of await bumpSyncedAgents(db, orgId)) {
    const data: AgentSyncData = { orgId, role, version };
    await deps.jobs.send(AGENT_SYNC_JOB, data, { db, singletonKey: `agent-sync:${orgId}:${role}:${version}` });
  }
}
