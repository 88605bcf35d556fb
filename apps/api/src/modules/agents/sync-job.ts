import type { AgentRole } from "@voxanne/contracts";

/** The background sync of one agent to Vapi (queued by a save, run by jobs/agent-sync.ts). */
export const AGENT_SYNC_JOB = "agent-sync";
export type AgentSyncData = { orgId: string; role: AgentRole; version: number };
