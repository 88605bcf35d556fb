/**
 * The clinic's assistant as Vapi stores it: built from the saved agent (modules/agents), created
 * once, then updated by fetch → merge → PATCH of the whole `model` (a PATCH replaces `model`
 * entirely), keeping what Vapi holds that we do not manage and removing native tools
 * we ban. Tools are linked through `model.toolIds`, never `model.tools`.
 */
import type { AgentRole, AgentSettings } from "@voxanne/contracts";
import { vapiServer } from "./tool-sync";

type Loose = Record<string, unknown>;

/** Native Vapi tool types that bypass our backend (they would act without our checks): removed from every assistant. */
export const BANNED_TOOL_TYPES = [
  /^google\./,
  /^gohighlevel\./,
  /^ghl$/,
  /^make$/,
  /^slack\./,
  /^sms$/,
  /^mcp$/,
  /^code$/,
  /^bash$/,
  /^computer$/,
  /^textEditor$/,
  /^apiRequest$/,
  /^query$/,
  /^sipRequest$/,
];
export const isBannedToolType = (type: unknown) => typeof type === "string" && BANNED_TOOL_TYPES.some((re) => re.test(type));

/** Fields Vapi returns but does not accept back. */
const READ_ONLY = ["id", "orgId", "createdAt", "updatedAt", "latestVersion", "isServerUrlSecretSet"];

/** Vapi wants the transcriber language as a bare code ("en"), the assistant's as given. */
const transcriberLanguage = (language: string) => language.split("-")[0]!;

export type AssistantInput = {
  orgId: string;
  role: AgentRole;
  clinicName: string;
  settings: AgentSettings;
  systemPrompt: string;
  toolIds: string[];
};

/** What we manage on an assistant. */
export function assistantBody(input: AssistantInput, config: Parameters<typeof vapiServer>[0]) {
  const s = input.settings;
  return {
    name: `${input.clinicName} ${s.name}`.slice(0, 40),
    firstMessage: s.firstMessage,
    firstMessageMode: input.role === "inbound" ? "assistant-speaks-first" : "assistant-waits-for-user",
    model: {
      provider: s.model.provider,
      model: s.model.model,
      messages: [{ role: "system", content: input.systemPrompt }],
      toolIds: input.toolIds,
    },
    voice: { provider: s.voice.provider, voiceId: s.voice.voiceId },
    transcriber: { provider: s.transcriber.provider, model: s.transcriber.model, language: transcriberLanguage(s.language) },
    maxDurationSeconds: s.maxDurationSeconds,
    endCallPhrases: s.endCallPhrases,
    artifactPlan: { recordingEnabled: s.recordingEnabled && !s.hipaaEnabled },
    compliancePlan: { hipaaEnabled: s.hipaaEnabled },
    // A control URL on every call (staff take-over, emergency transfer); no audio stream (listenUrl).
    monitorPlan: { listenEnabled: false, controlEnabled: true },
    server: vapiServer(config, "/api/vapi/webhook"),
    serverMessages: ["status-update", "end-of-call-report", "tool-calls", "transfer-destination-request", "transcript", "conversation-update"],
    metadata: { voxanneOrgId: input.orgId, voxanneRole: input.role },
  };
}

/**
 * The full assistant to PATCH: Vapi's current one without read-only fields, our fields on top,
 * and a `model` that keeps Vapi-side model settings (temperature, knowledge base, …) with our
 * messages and tool ids, and without banned tools (inline ones, and linked ones whose type Vapi
 * reported as banned).
 */
export function mergeAssistant(current: Loose, ours: ReturnType<typeof assistantBody>, bannedToolIds: ReadonlySet<string>): Loose {
  const base = Object.fromEntries(Object.entries(current).filter(([k]) => !READ_ONLY.includes(k)));
  const currentModel = (current.model && typeof current.model === "object" ? current.model : {}) as Loose;
  const keptToolIds = (Array.isArray(currentModel.toolIds) ? (currentModel.toolIds as unknown[]) : []).filter(
    (id): id is string => typeof id === "string" && !bannedToolIds.has(id) && !ours.model.toolIds.includes(id),
  );
  const inlineTools = Array.isArray(currentModel.tools) ? (currentModel.tools as Loose[]).filter((t) => !isBannedToolType(t?.type)) : undefined;
  const model: Loose = { ...currentModel, ...ours.model, toolIds: [...ours.model.toolIds, ...keptToolIds] };
  if (inlineTools && inlineTools.length > 0) model.tools = inlineTools;
  else delete model.tools;
  return { ...base, ...ours, model };
}
