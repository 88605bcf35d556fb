import type { VapiMessage } from "@voxanne/contracts";
import type { AppDeps } from "../../deps";
import type { Logger } from "../../logger";
import { resolveClinic } from "../../modules/clinic/queries";
import { detectEmergency, emergencyNumberForCall } from "../../modules/emergency/detect";
import { searchKnowledge } from "../../modules/knowledge/service";
import { stripMarkup } from "../../modules/knowledge/spoken";
import { countryOf, toE164 } from "../../lib/phone";
import { createEmbedder } from "../embeddings/client";
import { callInfo, knowledgeBaseQuestion } from "./payload";
import { recordEmergencyFlag } from "./queries";

type KnowledgeRequestDeps = Pick<AppDeps, "db" | "config">;

/** Vapi's custom knowledge base answer: documents for the model, or a message to speak as is. */
export type KnowledgeBaseResponse =
  | { documents: { content: string; similarity: number; uuid: string }[] }
  | { message: { role: "assistant"; content: string } };

const MAX_DOCUMENTS = 5;

/**
 * `knowledge-base-request` (an assistant with a custom knowledge base pointed at our server): the
 * clinic's best passages for the caller's last question as `{ documents: [{ content, similarity,
 * uuid }] }`. The clinic comes from the envelope (assistant / phone number), never the question;
 * only its enabled, ready documents are searched. An emergency phrase is answered first, with a
 * message Vapi speaks as is, and flagged like a tool call's. No question or no match → no documents.
 */
export async function handleKnowledgeBaseRequest(message: VapiMessage, deps: KnowledgeRequestDeps, log: Logger): Promise<KnowledgeBaseResponse> {
  const info = callInfo(message);
  const question = knowledgeBaseQuestion(message);
  if (!question) return { documents: [] };
  return deps.db.asSystem(async (db) => {
    const clinic = await resolveClinic(db, info, undefined, { asyncCommit: true });
    if (!clinic) {
      log.warn(
        { assistantId: info.assistantId, phoneNumberId: info.phoneNumberId, callId: info.callId },
        "knowledge-base-request for an unknown assistant / phone number",
      );
      return { documents: [] };
    }
    if (clinic.status !== "active") return { documents: [] };
    const emergency = detectEmergency([question]);
    if (emergency) {
      const dial = emergencyNumberForCall({
        clinicLine: info.phoneNumber ?? null,
        timezone: clinic.timezone,
        callerNumber: toE164(info.callerNumber, countryOf(info.phoneNumber) ?? "US"),
      });
      await recordEmergencyFlag(db, { orgId: clinic.orgId, callId: info.callId, tool: "knowledge-base-request", toolCallId: "", phrase: emergency });
      log.warn(
        { orgId: clinic.orgId, callId: info.callId, phrase: emergency },
        "emergency phrase in a knowledge-base request; caller told to dial emergency services",
      );
      return {
        message: { role: "assistant", content: `This sounds like it could be an emergency. Please hang up now and dial ${dial} for emergency services.` },
      };
    }
    const found = await searchKnowledge(db, { embedder: createEmbedder(deps.config), log }, clinic.orgId, question, MAX_DOCUMENTS);
    log.info({ orgId: clinic.orgId, callId: info.callId, documents: found.hits.length, mode: found.mode }, "knowledge-base-request");
    return {
      documents: found.hits.map((hit) => ({
        content: stripMarkup(hit.heading ? `${hit.heading}: ${hit.content}` : hit.content),
        similarity: hit.score,
        uuid: hit.chunkId,
      })),
    };
  });
}
