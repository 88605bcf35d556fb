import type { VapiClient } from "@vapi-ai/server-sdk";
import { getAssistant } from "../integrations/vapi/assistant-tools";
import { vapiMessage } from "../integrations/vapi/client";
import type { SyncedAgentRow } from "../modules/operations/queries";
import { startProgress } from "./progress";
import type { CliContext } from "./types";

export type AssistantFailure = { orgId: string; assistantId: string; error: string };

type Assistant = NonNullable<Awaited<ReturnType<typeof getAssistant>>>;

/**
 * Visits every clinic's assistant as Vapi has it, with a progress bar. An assistant Vapi no longer
 * has, or a Vapi error while visiting one, is a failure for that clinic and the walk goes on:
 * operator commands report them all at the end and exit 1.
 */
export async function forEachVapiAssistant(
  ctx: Pick<CliContext, "json">,
  client: VapiClient,
  agents: SyncedAgentRow[],
  visit: (agent: SyncedAgentRow, assistant: Assistant) => Promise<void>,
): Promise<AssistantFailure[]> {
  const failures: AssistantFailure[] = [];
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
      await visit(agent, assistant);
    } catch (err) {
      failures.push({ orgId: agent.org_id, assistantId: agent.vapi_assistant_id, error: vapiMessage(err) });
    }
  }
  bar.stop();
  return failures;
}
