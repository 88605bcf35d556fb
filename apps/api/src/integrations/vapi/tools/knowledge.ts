import { vapiTools } from "@voxanne/contracts";
import { answerQuestion } from "../../../modules/knowledge/service";
import { createEmbedder } from "../../embeddings/client";
import { toolHandler } from "./types";

/**
 * searchKnowledgeBase: the clinic's own answer to a caller's question, as one speakable line from
 * the best passage of its enabled documents and quick answers — or, when nothing matches, the
 * honest "I don't have that information" line and an offer to take a message (never a guess).
 * Emergency phrases never reach it: tool-calls.ts answers those first.
 */
export const searchKnowledgeBaseTool = toolHandler(
  vapiTools.searchKnowledgeBase,
  async (args, ctx) => {
    const question = args.query;
    if (!question) {
      return {
        error: { say: "Sorry, what would you like to know?", instructions: "Call searchKnowledgeBase again with the caller's question in their words." },
      };
    }
    const embedder = ctx.config ? createEmbedder(ctx.config) : null;
    const answer = await answerQuestion(ctx.db, { embedder, log: ctx.log }, ctx.clinic.orgId, question);
    if (answer.hits.length === 0) {
      return {
        result: { say: answer.spoken, instructions: "Do not guess an answer. Offer to take a message so the clinic can call back." },
        outcome: "knowledge_no_match",
      };
    }
    return { result: { say: answer.spoken }, outcome: "knowledge_answered" };
  },
  { readOnly: true },
);
