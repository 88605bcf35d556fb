import { z } from "zod";
import { defineRoute, IsoDateTime, Ok, Uuid } from "./route";

/**
 * The clinic's knowledge base: uploaded documents and quick answers, split into chunks that the
 * receptionist searches during a call (`searchKnowledgeBase`, Vapi's `knowledge-base-request`).
 */

/** The largest file the upload accepts (10 MiB); a larger one is refused with 413 and nothing is stored. */
export const KNOWLEDGE_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** What the upload accepts, by file extension (the content is checked too). */
export const KNOWLEDGE_UPLOAD_EXTENSIONS = [".pdf", ".docx", ".txt", ".md", ".markdown"] as const;
/** The multipart field that carries the file. */
export const KNOWLEDGE_UPLOAD_FIELD = "file";

export const KnowledgeSourceType = z.enum(["pdf", "docx", "txt", "markdown", "quick_answer"]);
export type KnowledgeSourceType = z.infer<typeof KnowledgeSourceType>;

/** processing: the knowledge-index job is splitting it; ready: searchable; failed: see `error`. */
export const KnowledgeStatus = z.enum(["processing", "ready", "failed"]);
export type KnowledgeStatus = z.infer<typeof KnowledgeStatus>;

export const KnowledgeDocument = z.object({
  id: Uuid,
  title: z.string(),
  sourceType: KnowledgeSourceType,
  sizeBytes: z.number().int().min(0),
  status: KnowledgeStatus,
  error: z.string().nullable(),
  enabled: z.boolean(),
  chunkCount: z.number().int().min(0),
  uploadedBy: z.string().nullable().describe("The uploader's name or email, when known"),
  createdAt: IsoDateTime,
  processedAt: IsoDateTime.nullable(),
});
export type KnowledgeDocument = z.infer<typeof KnowledgeDocument>;

export const KnowledgeDocumentList = z.object({ documents: z.array(KnowledgeDocument) });
export type KnowledgeDocumentList = z.infer<typeof KnowledgeDocumentList>;

export const KnowledgeDocumentPatch = z
  .object({
    enabled: z.boolean().optional(),
    title: z.string().trim().min(1, "Give the document a title.").max(200, "Keep the title under 200 characters.").optional(),
  })
  .refine((v) => v.enabled !== undefined || v.title !== undefined, { message: "Send enabled or title." });
export type KnowledgeDocumentPatch = z.infer<typeof KnowledgeDocumentPatch>;

/** A short question-and-answer pair (hours, parking, payment, aftercare). */
export const QuickAnswer = z.object({
  id: Uuid,
  question: z.string(),
  answer: z.string(),
  enabled: z.boolean(),
  status: KnowledgeStatus,
  updatedAt: IsoDateTime,
});
export type QuickAnswer = z.infer<typeof QuickAnswer>;

export const QuickAnswerInput = z.object({
  question: z.string().trim().min(3, "Write the question a caller would ask, e.g. Do you have parking?").max(200, "Keep the question under 200 characters."),
  answer: z.string().trim().min(2, "Write the answer the receptionist should give.").max(1500, "Keep the answer under 1,500 characters."),
});
export type QuickAnswerInput = z.infer<typeof QuickAnswerInput>;

export const QuickAnswerList = z.object({ quickAnswers: z.array(QuickAnswer) });

export const KnowledgeSearchQuery = z.object({
  q: z.string().trim().min(2, "Type a question of at least two characters.").max(500, "Keep the question under 500 characters."),
});

export const KnowledgeSearchHit = z.object({
  chunkId: Uuid,
  documentId: Uuid,
  documentTitle: z.string(),
  sourceType: KnowledgeSourceType,
  heading: z.string().nullable(),
  content: z.string(),
  /** 0–1, higher is closer (reciprocal rank fusion of the rankings that found it, normalised). */
  score: z.number(),
  /** Which rankings found it. */
  matchedBy: z.array(z.enum(["full_text", "trigram", "vector"])),
});
export type KnowledgeSearchHit = z.infer<typeof KnowledgeSearchHit>;

/** full_text: full text + trigrams; hybrid: with vectors fused in. `vectorNote` says why vectors are off. */
export const KnowledgeSearchMode = z.object({
  mode: z.enum(["full_text", "hybrid"]),
  vectorNote: z.string().nullable(),
});
export type KnowledgeSearchMode = z.infer<typeof KnowledgeSearchMode>;

export const KnowledgeSearchResult = KnowledgeSearchMode.extend({
  /** Exactly what the receptionist would say to this question (the searchKnowledgeBase tool's answer). */
  spoken: z.string(),
  hits: z.array(KnowledgeSearchHit),
});
export type KnowledgeSearchResult = z.infer<typeof KnowledgeSearchResult>;

const ALL = ["owner", "admin", "staff"] as const;
const EDITORS = ["owner", "admin"] as const;

export const knowledgeRoutes = {
  list: defineRoute({
    method: "get",
    path: "/api/knowledge/documents",
    tag: "knowledge",
    summary: "The clinic's uploaded documents with their processing status",
    response: KnowledgeDocumentList,
    access: ALL,
  }),
  upload: defineRoute({
    method: "post",
    path: "/api/knowledge/documents",
    tag: "knowledge",
    summary:
      "Upload a document (multipart/form-data, field `file`: PDF, DOCX, TXT or Markdown, at most 10 MiB). The text is read at once (a corrupt, encrypted or empty file is refused and nothing is stored); splitting and indexing run as a job (status processing → ready)",
    response: KnowledgeDocument,
    status: 202,
    access: EDITORS,
    action: "add to the knowledge base",
  }),
  update: defineRoute({
    method: "patch",
    path: "/api/knowledge/documents/:documentId",
    tag: "knowledge",
    summary: "Enable, disable or rename a document (a disabled document is never used on calls)",
    body: KnowledgeDocumentPatch,
    response: KnowledgeDocument,
    access: EDITORS,
    action: "change the knowledge base",
  }),
  remove: defineRoute({
    method: "delete",
    path: "/api/knowledge/documents/:documentId",
    tag: "knowledge",
    summary: "Delete a document and its chunks",
    response: Ok,
    access: EDITORS,
    action: "change the knowledge base",
  }),
  listQuickAnswers: defineRoute({
    method: "get",
    path: "/api/knowledge/quick-answers",
    tag: "knowledge",
    summary: "The clinic's quick answers (short question-and-answer pairs)",
    response: QuickAnswerList,
    access: ALL,
  }),
  createQuickAnswer: defineRoute({
    method: "post",
    path: "/api/knowledge/quick-answers",
    tag: "knowledge",
    summary: "Add a quick answer",
    body: QuickAnswerInput,
    response: QuickAnswer,
    status: 201,
    access: EDITORS,
    action: "change the knowledge base",
  }),
  updateQuickAnswer: defineRoute({
    method: "put",
    path: "/api/knowledge/quick-answers/:quickAnswerId",
    tag: "knowledge",
    summary: "Change a quick answer",
    body: QuickAnswerInput,
    response: QuickAnswer,
    access: EDITORS,
    action: "change the knowledge base",
  }),
  search: defineRoute({
    method: "get",
    path: "/api/knowledge/search",
    tag: "knowledge",
    summary: "Try a question: what the receptionist would say and the chunks it came from",
    query: KnowledgeSearchQuery,
    response: KnowledgeSearchResult,
    access: ALL,
  }),
} as const;
