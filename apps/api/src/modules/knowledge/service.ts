/**
 * The knowledge base's rules: what an upload stores, how a document becomes searchable chunks
 * (the knowledge-index job), and how a question is answered — hybrid search in the database
 * (full text + trigrams, with vectors fused in by reciprocal rank fusion when available) and one
 * speakable line from the best passage.
 */
import type { KnowledgeDocument, KnowledgeSearchHit, KnowledgeSearchMode, KnowledgeSearchResult, QuickAnswer, QuickAnswerInput } from "@voxanne/contracts";
import type { Db } from "../../db/database";
import type { JobQueue } from "../../lib/job-queue";
import { notFound } from "../../lib/domain-error";
import type { Logger } from "../../logger";
import { chunkDocument } from "./chunk";
import { extractDocument, type UploadedFile } from "./extract";
import { KNOWLEDGE_INDEX_JOB, type KnowledgeIndexData } from "./index-job";
import {
  deleteDocument,
  documentToIndex,
  insertDocument,
  insertKnowledgeAudit,
  type KnowledgeDocumentRow,
  listDocuments,
  markDocumentFailed,
  replaceChunks,
  textRankings,
  updateDocument,
  updateQuickAnswer,
  vectorRanking,
  vectorSearchAvailable,
} from "./queries";
import { spokenAnswer } from "./spoken";

/** Turns text into vectors (an embedding provider; integrations/embeddings). Null: not configured. */
export type Embedder = {
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
};

type Actor = { orgId: string; userId: string };

const HITS_PER_RANKING = 20;
/** Reciprocal rank fusion constant (the usual 60: later ranks still count, but little). */
const RRF_K = 60;
/** A vector neighbour farther than this is not an answer (cosine similarity). */
export const MIN_VECTOR_SIMILARITY = 0.5;

export function toDocument(row: KnowledgeDocumentRow): KnowledgeDocument {
  return {
    id: row.id,
    title: row.title,
    sourceType: row.source_type as KnowledgeDocument["sourceType"],
    sizeBytes: row.size_bytes,
    status: row.status as KnowledgeDocument["status"],
    error: row.error,
    enabled: row.enabled,
    chunkCount: row.chunk_count,
    uploadedBy: row.uploaded_by_name,
    createdAt: row.created_at.toISOString(),
    processedAt: row.processed_at?.toISOString() ?? null,
  };
}

function toQuickAnswer(row: KnowledgeDocumentRow): QuickAnswer {
  return {
    id: row.id,
    question: row.title,
    answer: row.content ?? "",
    enabled: row.enabled,
    status: row.status as QuickAnswer["status"],
    updatedAt: row.updated_at.toISOString(),
  };
}

async function queueIndexing(db: Db, jobs: JobQueue | undefined, data: KnowledgeIndexData, log: Logger): Promise<void> {
  if (!jobs) {
    log.warn({ orgId: data.orgId, documentId: data.documentId }, "no job runner in this process: the document stays processing until one runs");
    return;
  }
  await jobs.send(KNOWLEDGE_INDEX_JOB, data, { db, singletonKey: `${data.documentId}:${data.contentHash}` });
}

/**
 * An upload: the text is read first (a refusal stores nothing), then the document row, its audit
 * event and its indexing job are written in the caller's one transaction.
 */
export async function uploadDocument(db: Db, deps: { jobs?: JobQueue; log: Logger }, actor: Actor, file: UploadedFile): Promise<KnowledgeDocument> {
  const extracted = await extractDocument(file);
  const row = await insertDocument(db, {
    orgId: actor.orgId,
    title: extracted.title,
    sourceType: extracted.sourceType,
    sizeBytes: file.bytes.length,
    content: extracted.text,
    uploadedBy: actor.userId,
  });
  await insertKnowledgeAudit(db, {
    orgId: actor.orgId,
    actorUserId: actor.userId,
    action: "knowledge.document_uploaded",
    documentId: row.id,
    data: { title: row.title, sourceType: row.source_type, sizeBytes: row.size_bytes },
  });
  await queueIndexing(db, deps.jobs, { orgId: actor.orgId, documentId: row.id, contentHash: await contentHashOf(db, actor.orgId, row.id) }, deps.log);
  return toDocument(row);
}

async function contentHashOf(db: Db, orgId: string, id: string): Promise<string> {
  return (await documentToIndex(db, orgId, id))!.content_hash;
}

export async function listKnowledgeDocuments(db: Db, orgId: string): Promise<KnowledgeDocument[]> {
  return (await listDocuments(db, orgId, { quickAnswers: false })).map(toDocument);
}

export async function listQuickAnswers(db: Db, orgId: string): Promise<QuickAnswer[]> {
  return (await listDocuments(db, orgId, { quickAnswers: true })).map(toQuickAnswer);
}

export async function changeDocument(db: Db, actor: Actor, id: string, patch: { enabled?: boolean; title?: string }): Promise<KnowledgeDocument> {
  const row = await updateDocument(db, actor.orgId, id, patch);
  if (!row) throw notFound("That document is not in this clinic's knowledge base (it may have been deleted). Reload the page.", "knowledge_document_not_found");
  await insertKnowledgeAudit(db, { orgId: actor.orgId, actorUserId: actor.userId, action: "knowledge.document_updated", documentId: id, data: patch });
  return toDocument(row);
}

export async function removeDocument(db: Db, actor: Actor, id: string): Promise<void> {
  const removed = await deleteDocument(db, actor.orgId, id);
  if (!removed)
    throw notFound("That document is not in this clinic's knowledge base (it may have been deleted already). Reload the page.", "knowledge_document_not_found");
  await insertKnowledgeAudit(db, {
    orgId: actor.orgId,
    actorUserId: actor.userId,
    action: "knowledge.document_deleted",
    documentId: id,
    data: { title: removed.title, sourceType: removed.source_type },
  });
}

export async function createQuickAnswer(db: Db, deps: { jobs?: JobQueue; log: Logger }, actor: Actor, input: QuickAnswerInput): Promise<QuickAnswer> {
  const row = await insertDocument(db, {
    orgId: actor.orgId,
    title: input.question,
    sourceType: "quick_answer",
    sizeBytes: Buffer.byteLength(input.answer),
    content: input.answer,
    uploadedBy: actor.userId,
  });
  await insertKnowledgeAudit(db, {
    orgId: actor.orgId,
    actorUserId: actor.userId,
    action: "knowledge.quick_answer_created",
    documentId: row.id,
    data: { question: input.question },
  });
  await queueIndexing(db, deps.jobs, { orgId: actor.orgId, documentId: row.id, contentHash: await contentHashOf(db, actor.orgId, row.id) }, deps.log);
  return toQuickAnswer(row);
}

export async function changeQuickAnswer(
  db: Db,
  deps: { jobs?: JobQueue; log: Logger },
  actor: Actor,
  id: string,
  input: QuickAnswerInput,
): Promise<QuickAnswer> {
  const row = await updateQuickAnswer(db, actor.orgId, id, input);
  if (!row) throw notFound("That quick answer no longer exists. Reload the page.", "quick_answer_not_found");
  await insertKnowledgeAudit(db, {
    orgId: actor.orgId,
    actorUserId: actor.userId,
    action: "knowledge.quick_answer_updated",
    documentId: id,
    data: { question: input.question },
  });
  await queueIndexing(db, deps.jobs, { orgId: actor.orgId, documentId: id, contentHash: await contentHashOf(db, actor.orgId, id) }, deps.log);
  return toQuickAnswer(row);
}

/** A pgvector literal: "[0.1,0.2,…]". */
export const vectorLiteral = (v: number[]) => `[${v.map((x) => (Number.isFinite(x) ? x : 0)).join(",")}]`;

export type IndexOutcome = "indexed" | "superseded" | "gone" | "failed";

/**
 * The knowledge-index job's work for one document: split it, embed the chunks (when vectors are
 * on), then write chunks and status in one transaction — a crash or a provider failure leaves the
 * previous chunks in place, never half of the new ones. An embedding failure does not block
 * search: the chunks are stored without vectors (full text still finds them) and it is logged.
 */
export async function indexDocument(
  database: { asService<T>(orgId: string, fn: (db: Db) => Promise<T>): Promise<T> },
  deps: { embedder: Embedder | null; log: Logger },
  data: KnowledgeIndexData,
): Promise<IndexOutcome> {
  const { orgId, documentId } = data;
  const doc = await database.asService(orgId, async (db) => {
    const found = await documentToIndex(db, orgId, documentId);
    return found ? { ...found, vectors: deps.embedder ? await vectorSearchAvailable(db) : false } : null;
  });
  if (!doc) return "gone";
  if (doc.content_hash !== data.contentHash) return "superseded";
  const chunks = chunkDocument(doc.content, doc.source_type as KnowledgeDocument["sourceType"]);
  if (chunks.length === 0) {
    await database.asService(orgId, (db) => markDocumentFailed(db, orgId, documentId, "No text to search was found in this document."));
    return "failed";
  }
  let embeddings: string[] | null = null;
  if (deps.embedder && doc.vectors) {
    try {
      const texts = chunks.map((c) => (c.heading ? `${c.heading}\n${c.content}` : c.content));
      embeddings = (await deps.embedder.embed(texts)).map(vectorLiteral);
    } catch (err) {
      deps.log.warn({ err, orgId, documentId }, "embedding provider failed; the document is searchable by full text only");
    }
  }
  const written = await database.asService(orgId, (db) => replaceChunks(db, { orgId, documentId, contentHash: data.contentHash, chunks, embeddings }));
  return written ? "indexed" : "superseded";
}

/** Whether vectors take part in search here, and if not, what would turn them on. */
export async function knowledgeSearchMode(db: Db, embedder: Embedder | null): Promise<KnowledgeSearchMode & { vectors: boolean }> {
  if (!embedder) {
    return {
      mode: "full_text",
      vectors: false,
      vectorNote:
        "Full-text search only: set EMBEDDING_API_KEY (an OpenAI-compatible embeddings API) on a database with the vector extension, such as Supabase, to add vector search.",
    };
  }
  if (!(await vectorSearchAvailable(db))) {
    return {
      mode: "full_text",
      vectors: false,
      vectorNote:
        'Full-text search only: this database has no "vector" extension (pgvector). Run on a database that has it, such as Supabase, and re-upload documents to add vector search.',
    };
  }
  return { mode: "hybrid", vectors: true, vectorNote: null };
}

/**
 * The clinic's best passages for a question, best first. Each ranking (full text, trigram, and
 * vector when on) contributes 1 / (RRF_K + rank); the score is normalised to 0–1 by the most a
 * chunk could get. Only enabled, ready documents of `orgId` are searched.
 */
export async function searchKnowledge(
  db: Db,
  deps: { embedder: Embedder | null; log: Logger },
  orgId: string,
  question: string,
  limit = 5,
): Promise<KnowledgeSearchMode & { hits: KnowledgeSearchHit[] }> {
  const mode = await knowledgeSearchMode(db, deps.embedder);
  const text = await textRankings(db, orgId, question, HITS_PER_RANKING);
  let vector: Awaited<ReturnType<typeof vectorRanking>> = [];
  let vectorsUsed = mode.vectors;
  if (mode.vectors && deps.embedder) {
    try {
      const [embedding] = await deps.embedder.embed([question]);
      vector = await vectorRanking(db, orgId, vectorLiteral(embedding!), HITS_PER_RANKING, MIN_VECTOR_SIMILARITY);
    } catch (err) {
      vectorsUsed = false;
      deps.log.warn({ err, orgId }, "embedding the question failed; answered from full text only");
    }
  }
  type Fused = Omit<KnowledgeSearchHit, "score"> & { rrf: number; wordsMatched: number };
  const fused = new Map<string, Fused>();
  const add = (
    row: { id: string; document_id: string; title: string; source_type: string; heading: string | null; content: string; words_matched?: number },
    rank: number,
    by: KnowledgeSearchHit["matchedBy"][number],
  ) => {
    const hit = fused.get(row.id) ?? {
      chunkId: row.id,
      documentId: row.document_id,
      documentTitle: row.title,
      sourceType: row.source_type as KnowledgeSearchHit["sourceType"],
      heading: row.heading,
      content: row.content,
      matchedBy: [],
      rrf: 0,
      wordsMatched: "words_matched" in row ? Number(row.words_matched) : 0,
    };
    hit.rrf += 1 / (RRF_K + rank);
    hit.matchedBy.push(by);
    fused.set(row.id, hit);
  };
  for (const row of text) {
    if (row.fts_rank !== null) add(row, row.fts_rank, "full_text");
    if (row.trigram_rank !== null) add(row, row.trigram_rank, "trigram");
  }
  for (const [i, row] of vector.entries()) add(row, i + 1, "vector");
  const best = (vectorsUsed ? 3 : 2) / (RRF_K + 1);
  const hits = [...fused.values()]
    // Equal fused ranks (first in one ranking, second in the other): the chunk with more of the question's words wins.
    .sort((a, b) => b.rrf - a.rrf || b.wordsMatched - a.wordsMatched || a.chunkId.localeCompare(b.chunkId))
    .slice(0, limit)
    .map(({ rrf, wordsMatched: _, ...hit }) => ({ ...hit, score: Math.round((rrf / best) * 1000) / 1000 }));
  return {
    mode: vectorsUsed ? "hybrid" : "full_text",
    vectorNote: vectorsUsed ? null : (mode.vectorNote ?? "The embedding provider did not answer; this answer used full text only."),
    hits,
  };
}

/** What the receptionist says to a question, and the passages behind it (the "try a question" preview and the tool). */
export async function answerQuestion(
  db: Db,
  deps: { embedder: Embedder | null; log: Logger },
  orgId: string,
  question: string,
): Promise<KnowledgeSearchResult> {
  const found = await searchKnowledge(db, deps, orgId, question);
  return { ...found, spoken: spokenAnswer(found.hits[0] ?? null, question) };
}
