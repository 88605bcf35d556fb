import { vapiTools, type VapiToolDefinition } from "@voxanne/contracts";
import { modelWithout, patchAssistantModel } from "../../integrations/vapi/assistant-tools";
import { createVapiClient, VAPI_NOT_CONFIGURED, vapiMessage } from "../../integrations/vapi/client";
import { registeredTool, type RegisteredTool } from "../../integrations/vapi/queries";
import { canonicalJson, ensureGlobalTools, sha256, toolBody } from "../../integrations/vapi/tool-sync";
import { insertOperatorAudit } from "../../modules/admin/queries";
import { recordOrgTools } from "../../modules/agents/queries";
import { listSyncedAgents, orgToolLinks } from "../../modules/operations/queries";
import { forEachVapiAssistant } from "../each-assistant";
import type { CliCommand } from "../types";

const OUR_TOOL_NAMES = new Set((Object.values(vapiTools) as VapiToolDefinition[]).map((d) => d.name));

/** An inline copy of one of our tools (how assistants carried them before the global registry). */
const isInlineCopyOfOurs = (tool: Record<string, unknown>) =>
  tool?.type === "function" && OUR_TOOL_NAMES.has(String((tool.function as { name?: unknown } | undefined)?.name ?? ""));

export const command: CliCommand = {
  name: "migrate-existing-tools",
  summary: "Move every clinic onto the global tool registry: register each tool once, link it through model.toolIds, drop inline copies",
  dryRun: true,
  async run(ctx) {
    const client = createVapiClient(ctx.config);
    if (!client) return { ok: false, error: VAPI_NOT_CONFIGURED };
    const { db } = await ctx.database();
    const defs = Object.values(vapiTools) as VapiToolDefinition[];

    // 1. The registry: which tools are missing or out of date in Vapi.
    const stale: string[] = [];
    for (const def of defs) {
      const hash = sha256(canonicalJson(toolBody(def, ctx.config)));
      const existing = await db.asSystem((tx) => registeredTool(tx, def.name));
      if (existing?.definitionHash !== hash) stale.push(def.name);
    }
    let registry: RegisteredTool[] = [];
    if (!ctx.dryRun || stale.length === 0) {
      try {
        registry = await ensureGlobalTools(db, client, ctx.config);
      } catch (err) {
        return { ok: false, error: `Registering the tools in Vapi failed: ${vapiMessage(err)}`, data: { dryRun: ctx.dryRun, registered: [] } };
      }
    }
    const registryIds = registry.map((t) => t.vapiToolId);

    // 2. Each assistant: link the registry by id, drop inline copies, record org_tools.
    const agents = await db.asSystem((tx) => listSyncedAgents(tx));
    const migrated: { orgId: string; assistantId: string; linked: number; inlineRemoved: number; orgToolsUpdated: boolean }[] = [];
    const failures = await forEachVapiAssistant(ctx, client, agents, async (agent, assistant) => {
      const model = assistant.model ?? {};
      const inline = (model.tools ?? []).filter(isInlineCopyOfOurs);
      const linked = new Set(model.toolIds ?? []);
      const missing = stale.length > 0 && ctx.dryRun ? defs.length : registryIds.filter((id) => !linked.has(id)).length;
      const links = await db.asSystem((tx) => orgToolLinks(tx, agent.org_id));
      const orgToolsStale =
        registry.length === 0 ||
        links.length !== registry.length ||
        registry.some((r) => !links.some((l) => l.tool_name === r.toolName && l.vapi_tool_id === r.vapiToolId && l.definition_hash === r.definitionHash));
      if (inline.length === 0 && missing === 0 && !orgToolsStale) return;
      migrated.push({
        orgId: agent.org_id,
        assistantId: agent.vapi_assistant_id,
        linked: missing,
        inlineRemoved: inline.length,
        orgToolsUpdated: orgToolsStale,
      });
      if (ctx.dryRun) return;
      if (inline.length > 0 || missing > 0) {
        await patchAssistantModel(client, agent.vapi_assistant_id, modelWithout(model, [], { dropInline: isInlineCopyOfOurs, toolIds: registryIds }));
      }
      await db.asSystem(async (tx) => {
        await recordOrgTools(tx, agent.org_id, registry);
        await insertOperatorAudit(tx, {
          orgId: agent.org_id,
          actorUserId: null,
          action: "vapi.tools_migrated",
          targetType: "agents",
          targetId: agent.vapi_assistant_id,
          data: { role: agent.role, linked: missing, inlineRemoved: inline.map((t) => (t.function as { name?: string }).name) },
        });
      });
    });
    const would = ctx.dryRun ? "Would " : "";
    if (stale.length > 0) ctx.print(`${would}${ctx.dryRun ? "register" : "Registered"} ${stale.length} tool(s) in Vapi: ${stale.join(", ")}.`);
    ctx.print(`${agents.length} assistant(s) checked.`);
    for (const m of migrated)
      ctx.print(
        `  ${would}${ctx.dryRun ? "migrate" : "Migrated"} assistant ${m.assistantId} (org ${m.orgId}): ${m.linked} tool(s) linked, ${m.inlineRemoved} inline copy(ies) removed`,
      );
    for (const f of failures) ctx.print(`  ✗ assistant ${f.assistantId} (org ${f.orgId}): ${f.error}`);
    if (stale.length === 0 && migrated.length === 0 && failures.length === 0) ctx.print("  ✓ every assistant uses the global tool registry: nothing to do");
    return {
      ok: failures.length === 0,
      data: { dryRun: ctx.dryRun, registered: stale, checked: agents.length, migrated, failures },
      error: failures.length ? `${failures.length} assistant(s) could not be migrated (listed above); run again once Vapi answers.` : undefined,
    };
  },
};
