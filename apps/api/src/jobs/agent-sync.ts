/**
 * Syncs one clinic's agent to Vapi: the global tools (integrations/vapi/tool-sync.ts), then the
 * assistant (create, or fetch → merge → PATCH). Vapi's 5xx and timeouts are retried at 2, 4 and
 * 8 s; a 4xx, or the last retry failing, marks the agent failed with Vapi's message for the clinic.
 */
import { type Vapi, type VapiClient, VapiError } from "@vapi-ai/server-sdk";
import type { Config } from "../config";
import { assistantBody, isBannedToolType, mergeAssistant } from "../integrations/vapi/assistant";
import { isTransient, vapiMessage } from "../integrations/vapi/client";
import { ensureGlobalTools } from "../integrations/vapi/tool-sync";
import { renderSystemPrompt } from "../modules/agents/prompt";
import { markSyncFailed, markSynced, markSyncing, promptFacts, recordOrgTools } from "../modules/agents/queries";
import { settingsOf } from "../modules/agents/service";
import { AGENT_SYNC_JOB, type AgentSyncData } from "../modules/agents/sync-job";
import { defineJob } from "./runner";

declare module "./runner" {
  interface JobServices {
    vapi?: { client: VapiClient | null; config: Config; retryDelaysMs?: number[] };
  }
}

const RETRY_DELAYS_MS = [2000, 4000, 8000];

export const agentSyncJob = defineJob<AgentSyncData>({
  name: AGENT_SYNC_JOB,
  // Retries happen inside the job on Vapi's schedule; pg-boss only retries a crash.
  retryLimit: 1,
  handler: async ({ orgId, role }, { db, logger, services }) => {
    const vapi = services.vapi;
    if (!vapi?.client) {
      await db.asService(orgId, (tx) => markSyncFailed(tx, orgId, role, "Vapi is not connected on this server."));
      return;
    }
    const { client, config } = vapi;
    const row = await db.asService(orgId, (tx) => markSyncing(tx, orgId, role));
    if (!row) return; // the agent was deleted meanwhile

    const delays = vapi.retryDelaysMs ?? RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        const tools = await ensureGlobalTools(db, client, config);
        const facts = (await db.asService(orgId, (tx) => promptFacts(tx, orgId)))!;
        const settings = settingsOf(row, role, facts.clinicName);
        const ours = assistantBody(
          {
            orgId,
            role,
            clinicName: facts.clinicName,
            settings,
            systemPrompt: renderSystemPrompt({ ...facts, emergencyScript: settings.emergencyScript }, settings.systemPrompt),
            toolIds: tools.map((t) => t.vapiToolId),
          },
          config,
        );
        let assistantId = row.vapi_assistant_id;
        if (!assistantId) {
          assistantId = ((await client.assistants.create(ours as unknown as Vapi.CreateAssistantDto)) as { id: string }).id;
        } else {
          const current = (await client.assistants.get({ id: assistantId })) as unknown as Record<string, unknown>;
          const model = (current.model ?? {}) as { toolIds?: string[] };
          const foreign = (model.toolIds ?? []).filter((id) => !tools.some((t) => t.vapiToolId === id));
          const banned = new Set<string>();
          for (const id of foreign) {
            // A linked tool that no longer exists in Vapi is dropped like a banned one.
            const tool = (await client.tools.get({ id }).catch((err: unknown) => {
              if (err instanceof VapiError && err.statusCode === 404) return null;
              throw err;
            })) as unknown as { type?: string } | null;
            if (!tool || isBannedToolType(tool.type)) banned.add(id);
          }
          await client.assistants.update({ id: assistantId, ...mergeAssistant(current, ours, banned) } as unknown as Vapi.UpdateAssistantDto);
        }
        await db.asService(orgId, async (tx) => {
          await recordOrgTools(tx, orgId, tools);
          await markSynced(tx, orgId, role, row.config_version, assistantId!);
        });
        logger.info({ orgId, role, version: row.config_version }, "agent synced to Vapi");
        return;
      } catch (err) {
        if (isTransient(err) && attempt < delays.length) {
          logger.warn({ orgId, role, attempt: attempt + 1, err: vapiMessage(err) }, "Vapi sync failed; retrying");
          await new Promise((r) => setTimeout(r, delays[attempt]));
          continue;
        }
        await db.asService(orgId, (tx) => markSyncFailed(tx, orgId, role, vapiMessage(err)));
        logger.warn({ orgId, role, err: vapiMessage(err) }, "Vapi sync failed");
        return;
      }
    }
  },
});
