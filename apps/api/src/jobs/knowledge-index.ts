/**
 * Makes one knowledge document searchable: split into chunks, embedded when vectors are on, and
 * written with its status in one transaction (modules/knowledge/service.ts: indexDocument). The
 * Knowledge page polls the document list, so "processing" turns "ready" there without a reload.
 */
import { indexDocument, knowledgeSearchMode, type Embedder } from "../modules/knowledge/service";
import { KNOWLEDGE_INDEX_JOB, type KnowledgeIndexData } from "../modules/knowledge/index-job";
import { defineJob } from "./runner";

declare module "./runner" {
  interface JobServices {
    knowledge?: { embedder: Embedder | null };
  }
}

export const knowledgeIndexJob = defineJob<KnowledgeIndexData>({
  name: KNOWLEDGE_INDEX_JOB,
  retryLimit: 3,
  handler: async (data, { db, logger, services }) => {
    const embedder = services.knowledge?.embedder ?? null;
    const outcome = await indexDocument(db, { embedder, log: logger }, data);
    if (outcome === "indexed") {
      const mode = await db.asService(data.orgId, (tx) => knowledgeSearchMode(tx, embedder));
      logger.info({ orgId: data.orgId, documentId: data.documentId, searchMode: mode.mode }, "knowledge document indexed");
    } else {
      logger.info({ orgId: data.orgId, documentId: data.documentId, outcome }, "knowledge document not indexed");
    }
  },
});
