/**
 * Registers every tool once, globally, in Vapi (POST /tool), from its single definition
 * (packages/contracts/src/vapi-tools.ts). Each registration is versioned by the SHA-256 of its
 * canonical JSON: an unchanged definition sends nothing, a changed one is one PATCH. Concurrent
 * syncs (many clinics saving at once) take turns on a transaction-scoped advisory lock, so each
 * tool is created once.
 */
import { createHash } from "node:crypto";
import type { VapiClient, Vapi } from "@vapi-ai/server-sdk";
import { vapiFunctionDefinition, vapiTools, type VapiToolDefinition } from "@voxanne/contracts";
import type { Config } from "../../config";
import type { Database } from "../../db/database";
import { lockToolRegistry, type RegisteredTool, registeredTool, saveRegisteredTool } from "./queries";

/** Key order must not change a hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Where Vapi sends webhooks and tool calls, and the header that authenticates them (integrations/vapi/auth.ts). */
export function vapiServer(config: Pick<Config, "PUBLIC_API_URL" | "VAPI_SECRET_HEADER" | "vapiWebhookSecret">, path: "/api/vapi/tools" | "/api/vapi/webhook") {
  return { url: `${config.PUBLIC_API_URL.replace(/\/+$/, "")}${path}`, headers: { [config.VAPI_SECRET_HEADER]: config.vapiWebhookSecret } };
}

/** The body of POST /tool for one definition. */
export function toolBody(def: VapiToolDefinition, config: Parameters<typeof vapiServer>[0]) {
  return {
    type: "function" as const,
    async: false,
    function: vapiFunctionDefinition(def),
    server: { ...vapiServer(config, "/api/vapi/tools"), timeoutSeconds: 20 },
    messages: [
      { type: "request-start", content: "One moment while I check that." },
      { type: "request-response-delayed", timingMilliseconds: 4000, content: "Still checking, thanks for waiting." },
      { type: "request-failed", content: "Sorry, I couldn't complete that just now." },
    ],
  };
}

/**
 * Makes Vapi's tools match our definitions and returns the registry (name → Vapi id and hash).
 * One transaction per tool, holding that tool's registry lock while Vapi answers: a tool created
 * is recorded before the next is tried, so a failure halfway never registers one twice.
 */
export async function ensureGlobalTools(db: Database, client: VapiClient, config: Parameters<typeof vapiServer>[0]): Promise<RegisteredTool[]> {
  const result: RegisteredTool[] = [];
  for (const def of Object.values(vapiTools) as VapiToolDefinition[]) {
    const body = toolBody(def, config);
    const hash = sha256(canonicalJson(body));
    const registered = await db.asSystem(async (tx) => {
      await lockToolRegistry(tx, def.name);
      const existing = await registeredTool(tx, def.name);
      if (existing?.definitionHash === hash) return existing;
      let vapiToolId: string;
      if (existing) {
        await client.tools.update({ id: existing.vapiToolId, body } as unknown as Vapi.UpdateToolsRequest);
        vapiToolId = existing.vapiToolId;
      } else {
        vapiToolId = ((await client.tools.create(body as unknown as Vapi.CreateToolsRequest)) as { id: string }).id;
      }
      const saved = { toolName: def.name, vapiToolId, definitionHash: hash };
      await saveRegisteredTool(tx, saved);
      return saved;
    });
    result.push(registered);
  }
  return result;
}
