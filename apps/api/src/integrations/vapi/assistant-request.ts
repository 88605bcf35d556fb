import type { VapiMessage } from "@voxanne/contracts";
import type { AppDeps } from "../../deps";
import { countryOf, toE164 } from "../../lib/phone";
import type { Logger } from "../../logger";
import { renderSystemPrompt } from "../../modules/agents/prompt";
import { findAgentRowById, promptFacts } from "../../modules/agents/queries";
import { settingsOf } from "../../modules/agents/service";
import { agentIdForLine, resolveClinic } from "../../modules/clinic/queries";
import { transferDecision } from "../../modules/clinic/transfer-policy";
import { findContactByPhone } from "../../modules/contacts/queries";
import { callInfo } from "./payload";
import { assistantBody } from "./assistant";
import { registeredToolIds } from "./queries";
import { toSpeakable } from "./speech";
import { cannotTransferReply } from "./tools/transfer";

type AssistantRequestDeps = Pick<AppDeps, "db" | "clock" | "config">;

export const LINE_NOT_IN_SERVICE = "Sorry, this number is not in service. Please check the number and call again.";
export const LINE_NOT_READY = "Sorry, this clinic's phone assistant isn't set up yet. Please call back later.";
export const LINE_SUSPENDED = "Sorry, this clinic's phone assistant is unavailable right now. Please call back later.";

/**
 * `assistant-request` (a number with no assistant linked): the clinic's inbound assistant, with
 * variables the prompt can use. Settings saved on the Receptionist page are sent with the answer
 * (as overrides of the synced assistant, or as a transient assistant before the first sync), so an
 * edit applies to the next call even while its sync is still running. Must answer within 7.5 s.
 */
export async function handleAssistantRequest(message: VapiMessage, deps: AssistantRequestDeps, log: Logger): Promise<object> {
  const info = callInfo(message);
  // The assistant is what we are choosing, so only the phone number identifies the clinic here.
  const identity = { assistantId: null, phoneNumberId: info.phoneNumberId, phoneNumber: info.phoneNumber };
  return deps.db.asSystem(async (db) => {
    const clinic = await resolveClinic(db, identity);
    if (!clinic) {
      log.warn({ phoneNumberId: info.phoneNumberId, callId: info.callId }, "assistant-request for an unknown phone number");
      return { error: LINE_NOT_IN_SERVICE };
    }
    if (clinic.status !== "active") return { error: LINE_SUSPENDED };
    const agentId = await agentIdForLine(db, clinic.orgId, clinic.agentId);
    const agent = agentId ? await findAgentRowById(db, clinic.orgId, agentId) : null;
    const assistantId = agent?.vapi_assistant_id ?? null;
    if (!assistantId && !agent?.settings_saved_at) {
      log.warn({ orgId: clinic.orgId, callId: info.callId }, "assistant-request but the clinic has no synced inbound assistant");
      return { error: LINE_NOT_READY };
    }
    const caller = toE164(info.callerNumber, countryOf(info.phoneNumber) ?? "US");
    const contact = caller ? await findContactByPhone(db, clinic.orgId, caller) : null;
    const firstName = contact?.name?.trim().split(/\s+/)[0];
    const variableValues = {
      clinicName: clinic.name,
      clinicTimezone: clinic.timezone,
      callerIsKnownPatient: Boolean(contact),
      ...(firstName ? { patientFirstName: firstName } : {}),
    };
    if (!agent?.settings_saved_at) return { assistantId, assistantOverrides: { variableValues } };

    // The saved settings, as the sync would send them.
    const facts = (await promptFacts(db, clinic.orgId))!;
    const settings = settingsOf(agent, agent.role, facts.clinicName);
    const saved = assistantBody(
      {
        orgId: clinic.orgId,
        role: agent.role,
        clinicName: facts.clinicName,
        settings,
        systemPrompt: renderSystemPrompt({ ...facts, emergencyScript: settings.emergencyScript }, settings.systemPrompt),
        toolIds: await registeredToolIds(db),
      },
      deps.config,
    );
    if (!assistantId) return { assistant: saved, assistantOverrides: { variableValues } };
    const { name: _name, metadata: _metadata, server: _server, serverMessages: _messages, ...overrides } = saved;
    return { assistantId, assistantOverrides: { ...overrides, variableValues } };
  });
}

/** `transfer-destination-request`: the clinic's transfer number, or why not (after hours, none set). */
export async function handleTransferDestinationRequest(message: VapiMessage, deps: AssistantRequestDeps, log: Logger): Promise<object> {
  const info = callInfo(message);
  const now = deps.clock.now();
  return deps.db.asSystem(async (db) => {
    const clinic = await resolveClinic(db, info);
    if (!clinic) {
      log.warn(
        { assistantId: info.assistantId, phoneNumberId: info.phoneNumberId, callId: info.callId },
        "transfer-destination-request for an unknown assistant / phone number",
      );
      return { error: "Sorry, I can't transfer this call right now. Offer to take a message." };
    }
    const decision = transferDecision(clinic, now);
    if (decision.kind === "transfer") {
      return {
        destination: { type: "number", number: decision.number, message: "Connecting you to the front desk now." },
        message: { type: "request-start", message: "Transferring you now." },
      };
    }
    // Vapi speaks this error to the caller as is: only the spoken part.
    return { error: toSpeakable((await cannotTransferReply(db, clinic, now, decision)).say) };
  });
}
