/**
 * Reading and repairing the tools on an assistant Vapi holds, for the operator commands
 * (src/cli/commands: nuclear-vapi-cleanup, migrate-existing-tools, verify-agent-access). A PATCH
 * of `model` replaces it whole, so every repair sends the entire current model with
 * only the tool fields changed.
 */
import { type Vapi, type VapiClient, VapiError } from "@vapi-ai/server-sdk";
import { isBannedToolType } from "./assistant";

type Loose = Record<string, unknown>;
export type AssistantModel = Loose & { toolIds?: string[]; tools?: Loose[] };

export async function getAssistant(client: VapiClient, id: string): Promise<(Loose & { model?: AssistantModel }) | null> {
  try {
    return (await client.assistants.get({ id })) as unknown as Loose & { model?: AssistantModel };
  } catch (err) {
    if (err instanceof VapiError && err.statusCode === 404) return null;
    throw err;
  }
}

/** A tool's type, or null when Vapi no longer has it. */
export async function toolType(client: VapiClient, id: string): Promise<string | null> {
  try {
    const tool = (await client.tools.get({ id })) as unknown as { type?: string };
    return tool.type ?? "unknown";
  } catch (err) {
    if (err instanceof VapiError && err.statusCode === 404) return null;
    throw err;
  }
}

export type BannedTool = { where: "toolIds" | "tools"; id: string | null; type: string };

/** The native tools we ban on this assistant: inline ones by type, linked ones by the type Vapi reports (or gone). */
export async function findBannedTools(client: VapiClient, model: AssistantModel, ours: ReadonlySet<string>): Promise<BannedTool[]> {
  const found: BannedTool[] = [];
  for (const tool of model.tools ?? []) {
    if (isBannedToolType(tool?.type)) found.push({ where: "tools", id: typeof tool.id === "string" ? tool.id : null, type: String(tool.type) });
  }
  for (const id of model.toolIds ?? []) {
    if (ours.has(id)) continue;
    const type = await toolType(client, id);
    if (type === null) found.push({ where: "toolIds", id, type: "deleted in Vapi" });
    else if (isBannedToolType(type)) found.push({ where: "toolIds", id, type });
  }
  return found;
}

/** The model without the given tools (the rest kept exactly as Vapi holds it). */
export function modelWithout(
  model: AssistantModel,
  banned: readonly BannedTool[],
  extra: { dropInline?: (tool: Loose) => boolean; toolIds?: string[] } = {},
): AssistantModel {
  const bannedIds = new Set(banned.filter((b) => b.where === "toolIds").map((b) => b.id));
  const bannedInlineTypes = new Set(banned.filter((b) => b.where === "tools").map((b) => b.type));
  const keptIds = (model.toolIds ?? []).filter((id) => !bannedIds.has(id));
  const keptInline = (model.tools ?? []).filter((t) => !bannedInlineTypes.has(String(t?.type)) && !(extra.dropInline?.(t) ?? false));
  const next: AssistantModel = { ...model, toolIds: [...new Set([...(extra.toolIds ?? []), ...keptIds])] };
  if (keptInline.length > 0) next.tools = keptInline;
  else delete next.tools;
  return next;
}

export async function patchAssistantModel(client: VapiClient, id: string, model: AssistantModel): Promise<void> {
  await client.assistants.update({ id, model } as unknown as Vapi.UpdateAssistantDto);
}
