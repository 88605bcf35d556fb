import type { VapiClient } from "@vapi-ai/server-sdk";
import { twilioAccountPort } from "../../integrations/twilio/account";
import { getAssistant } from "../../integrations/vapi/assistant-tools";
import { createVapiClient, VAPI_NOT_CONFIGURED, vapiMessage } from "../../integrations/vapi/client";
import { registeredToolIds } from "../../integrations/vapi/queries";
import { isConnected, readCredential } from "../../modules/credentials/service";
import { clinicNumbers, findOrganization, inboundAssistantId } from "../../modules/operations/queries";
import { orgOption } from "../org-option";
import type { CliCommand } from "../types";

/** One line of the checklist: ✓ ok, ✗ failed (with the fix), – not applicable (an optional integration not connected). */
type Check = { check: string; status: "ok" | "failed" | "skipped"; detail: string; fix: string | null };

const MARK = { ok: "✓", failed: "✗", skipped: "–" } as const;

export const command: CliCommand = {
  name: "verify-agent-access",
  summary: "Checklist for one clinic: Twilio credentials valid, number imported and linked, assistant with every tool linked, Google token",
  usage: "--org <uuid>",
  options: { org: { type: "string" } },
  dryRun: true, // read-only: a dry run is the same run
  async run(ctx, { values }) {
    const org = orgOption(values);
    if ("error" in org) return { ok: false, error: org.error };
    const { db } = await ctx.database();
    const clinic = await db.asSystem((tx) => findOrganization(tx, org.orgId));
    if (!clinic) return { ok: false, error: `No clinic has id ${org.orgId}.` };
    const orgId = org.orgId;
    const vapi = createVapiClient(ctx.config);
    const keys = ctx.config.encryptionKeys;
    const checks: Check[] = [];

    // 1. Twilio credentials, checked with Twilio itself.
    const twilioConnected = await db.asSystem((tx) => isConnected(tx, orgId, "twilio"));
    if (!twilioConnected) {
      checks.push({
        check: "twilio_credentials",
        status: "failed",
        detail: "Twilio is not connected.",
        fix: "Connect the clinic's Twilio account on Integrations.",
      });
    } else {
      try {
        const credentials = await db.asSystem((tx) => readCredential(tx, keys, orgId, "twilio"));
        const account = await twilioAccountPort(credentials, ctx.config).verify();
        checks.push({
          check: "twilio_credentials",
          status: "ok",
          detail: `Twilio accepts the credentials${account.status ? ` (account ${account.status})` : ""}.`,
          fix: null,
        });
      } catch (err) {
        checks.push({
          check: "twilio_credentials",
          status: "failed",
          detail: err instanceof Error ? err.message : String(err),
          fix: "Reconnect Twilio on Integrations with the account's current auth token (or API key).",
        });
      }
    }

    // 2–3. The number in Vapi, linked to the inbound assistant; the assistant with every tool.
    const assistantId = await db.asSystem((tx) => inboundAssistantId(tx, orgId));
    if (!vapi) {
      checks.push({ check: "number_linked", status: "failed", detail: "Vapi is not configured on this server.", fix: VAPI_NOT_CONFIGURED });
      checks.push({ check: "assistant_tools", status: "failed", detail: "Vapi is not configured on this server.", fix: VAPI_NOT_CONFIGURED });
    } else {
      checks.push(await numberCheck(vapi, await db.asSystem((tx) => clinicNumbers(tx, orgId)), assistantId, orgId));
      checks.push(await assistantCheck(vapi, assistantId, await db.asSystem((tx) => registeredToolIds(tx))));
    }

    // 4. Google Calendar: optional; when connected its token must refresh.
    const googleConnected = await db.asSystem((tx) => isConnected(tx, orgId, "google"));
    checks.push(
      googleConnected
        ? {
            check: "google_token",
            status: "failed",
            detail: "Google Calendar is connected, but this server cannot refresh its token yet (no Google client in this build).",
            fix: "Upgrade the API to a build with the Google Calendar integration.",
          }
        : {
            check: "google_token",
            status: "skipped",
            detail: "Google Calendar is not connected (optional).",
            fix: "Connect Google Calendar on Integrations to sync appointments.",
          },
    );

    ctx.print(`${clinic.name} (${orgId})`);
    for (const c of checks) ctx.print(`  ${MARK[c.status]} ${c.detail}${c.status === "failed" && c.fix ? `\n      Fix: ${c.fix}` : ""}`);
    const failed = checks.filter((c) => c.status === "failed");
    return {
      ok: failed.length === 0,
      data: { orgId, checks },
      error: failed.length ? `${failed.length} check(s) failed for ${clinic.name}; each line above says how to fix it.` : undefined,
    };
  },
};

async function numberCheck(
  vapi: VapiClient,
  numbers: { e164: string; vapi_phone_number_id: string | null }[],
  assistantId: string | null,
  orgId: string,
): Promise<Check> {
  const imported = numbers.filter((n) => n.vapi_phone_number_id);
  if (imported.length === 0)
    return {
      check: "number_linked",
      status: "failed",
      detail: "No phone number is imported into Vapi.",
      fix: "Connect Twilio with the clinic's number on Integrations.",
    };
  const problems: string[] = [];
  for (const n of imported) {
    try {
      const number = (await vapi.phoneNumbers.get({ id: n.vapi_phone_number_id! })) as unknown as { assistantId?: string | null };
      if (assistantId && number.assistantId !== assistantId)
        problems.push(`${n.e164} answers with ${number.assistantId ?? "no assistant"}, not ${assistantId}`);
    } catch (err) {
      problems.push(`${n.e164}: ${vapiMessage(err)}`);
    }
  }
  if (problems.length === 0)
    return {
      check: "number_linked",
      status: "ok",
      detail: `${imported.map((n) => n.e164).join(", ")} imported and linked to the inbound receptionist.`,
      fix: null,
    };
  return {
    check: "number_linked",
    status: "failed",
    detail: problems.join("; "),
    fix: `Run \`npm run voxanne -- release-number --org ${orgId}\`, then connect Twilio again on Integrations.`,
  };
}

async function assistantCheck(vapi: VapiClient, assistantId: string | null, toolIds: string[]): Promise<Check> {
  if (!assistantId)
    return {
      check: "assistant_tools",
      status: "failed",
      detail: "The inbound receptionist has no Vapi assistant.",
      fix: "Save the Receptionist page; it syncs the assistant.",
    };
  try {
    const assistant = await getAssistant(vapi, assistantId);
    if (!assistant)
      return {
        check: "assistant_tools",
        status: "failed",
        detail: `Vapi has no assistant ${assistantId}.`,
        fix: "Save the Receptionist page to create it again.",
      };
    const linked = new Set(assistant.model?.toolIds ?? []);
    const missing = toolIds.filter((id) => !linked.has(id));
    if (toolIds.length === 0)
      return { check: "assistant_tools", status: "failed", detail: "No tool is registered in Vapi.", fix: "Run `npm run voxanne -- migrate-existing-tools`." };
    if (missing.length === 0)
      return { check: "assistant_tools", status: "ok", detail: `Assistant ${assistantId} has all ${toolIds.length} tools linked.`, fix: null };
    return {
      check: "assistant_tools",
      status: "failed",
      detail: `Assistant ${assistantId} is missing ${missing.length} of ${toolIds.length} tools.`,
      fix: "Run `npm run voxanne -- migrate-existing-tools`.",
    };
  } catch (err) {
    return {
      check: "assistant_tools",
      status: "failed",
      detail: vapiMessage(err),
      fix: "Check that Vapi is reachable and VAPI_PRIVATE_KEY is valid, then run again.",
    };
  }
}
