import { findBannedTools, modelWithout, patchAssistantModel } from "../../integrations/vapi/assistant-tools";
import { createVapiClient, VAPI_NOT_CONFIGURED } from "../../integrations/vapi/client";
import { registeredToolIds } from "../../integrations/vapi/queries";
import { insertOperatorAudit } from "../../modules/admin/queries";
import { listSyncedAgents } from "../../modules/operations/queries";
import { forEachVapiAssistant } from "../each-assistant";
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
    const failures = await forEachVapiAssistant(ctx, client, agents, async (agent, assistant) => {
      const banned = await findBannedTools(client, assistant.model ?? {}, ours);
      if (banned.length === 0) return;
      cleaned.push({ orgId: agent.org_id, assistantId: agent.vapi_assistant_id, removed: banned });
      if (ctx.dryRun) return;
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
    });
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
