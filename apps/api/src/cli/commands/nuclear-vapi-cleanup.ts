import { findBannedTools, getAssistant, modelWithout, patchAssistantModel } from "../../integrations/vapi/assistant-tools";
import { createVapiClient, VAPI_NOT_CONFIGURED, vapiMessage } from "../../integrations/vapi/client";
import { registeredToolIds } from "../../integrations/vapi/queries";
import { insertOperatorAudit } from "../../modules/admin/queries";
import { listSyncedAgents } from "../../modules/operations/queries";
import { startProgress } from "../progress";
import type { CliCommand } from "../types";

export const command: CliCommand = {
  name: "nuclear-vapi-cleanup",
  summary: "Find banned native tools (google.*, gohighlevel.*, sms, mcp, code, apiRequest…) on every clinic's assistant and remove them",
  dryRun: true,
  async run(ctx) {
    const client = createVapiClient(ctx.config);
    if (!client) return { ok: false, error: VAPI_NOT_CONFIGURED };
    const { db } = await ctx.database();
    const { agents, ours } = await db.asSystem(async (tx) => ({ agents: await listSyncedAgents(tx), ours: new Set(await registeredToolIds(tx)) }));
    const cleaned: { orgId: string; assistantId: string; removed: { where: string; id: string | null; type: string }[] }[] = [];
    const failures: { orgId: string; assistantId: string; error: string }[] = [];
    const bar = startProgress(ctx, "Assistants", agents.length);
    for (const agent of agents) {
      bar.tick(agent.org_name);
      try {
        const assistant = await getAssistant(client, agent.vapi_assistant_id);
        if (!assistant) {
          failures.push({
            orgId: agent.org_id,
            assistantId: agent.vapi_assistant_id,
            error: "Vapi has no such assistant; save the Receptionist page to create it again.",
          });
          continue;
        }
        const banned = await findBannedTools(client, assistant.model ?? {}, ours);
        if (banned.length === 0) continue;
        cleaned.push({ orgId: agent.org_id, assistantId: agent.vapi_assistant_id, removed: banned });
        if (ctx.dryRun) continue;
        await patchAssistantModel(client, agent.vapi_assistant_id, modelWithout(assistant.model ?? {}, banned));
        await db.asSystem((tx) =>
          insertOperatorAudit(tx, {
            orgId: agent.org_id,
            actorUserId: null,
            action: "vapi.banned_tools_removed",
            targetType: "agents",
            targetId: agent.vapi_assistant_id,
            data: { role: agent.role, removed: banned },
          }),
        );
      } catch (err) {
        failures.push({ orgId: agent.org_id, assistantId: agent.vapi_assistant_id, error: vapiMessage(err) });
      }
    }
    bar.stop();
    const verb = ctx.dryRun ? "Would remove" : "Removed";
    ctx.print(`${agents.length} assistant(s) checked.`);
    for (const c of cleaned) ctx.print(`  ${verb} ${c.removed.map((r) => r.type).join(", ")} from assistant ${c.assistantId} (org ${c.orgId})`);
    for (const f of failures) ctx.print(`  ✗ assistant ${f.assistantId} (org ${f.orgId}): ${f.error}`);
    if (cleaned.length === 0 && failures.length === 0) ctx.print("  ✓ no banned tools on any assistant: nothing to do");
    return {
      ok: failures.length === 0,
      data: { dryRun: ctx.dryRun, checked: agents.length, cleaned, failures },
      error: failures.length ? `${failures.length} assistant(s) could not be checked or cleaned (listed above); run again once Vapi answers.` : undefined,
    };
  },
};
