/** The background indexing of one document (queued by an upload or a quick-answer save, run by jobs/knowledge-index.ts). */
export const KNOWLEDGE_INDEX_JOB = "knowledge-index";
/** `contentHash`: md5 of the text that was queued; a job for older text does nothing. */
export type KnowledgeIndexData = { orgId: string; documentId: string; contentHash: string };
