import type { Database } from "../db/database";
import type { Logger } from "../logger";
import { documentToIndex, insertDocument, listDocuments } from "../modules/knowledge/queries";
import { indexDocument } from "../modules/knowledge/service";

/** The demo clinic's quick answers, so "Try a question" and searchKnowledgeBase answer out of the box. */
export const DEMO_QUICK_ANSWERS = [
  {
    question: "Do you have parking?",
    answer: "Yes. Free parking is in the garage behind the clinic; bring your ticket to reception and we validate it.",
  },
  {
    question: "What payment methods do you accept?",
    answer: "We accept Visa, Mastercard, American Express, HSA and FSA cards, and monthly payment plans through Cherry.",
  },
  {
    question: "What should I do after Botox?",
    answer: "Stay upright for four hours, and avoid exercise, facials and rubbing the area for 24 hours. Call us if anything feels unusual.",
  },
];

/** Adds the demo quick answers once (skipped when the clinic has any) and indexes them at once, without the job. */
export async function seedDemoKnowledge(deps: { db: Database; logger: Logger }, orgId: string, ownerUserId: string): Promise<void> {
  const { db, logger } = deps;
  const existing = await db.asService(orgId, (tx) => listDocuments(tx, orgId, { quickAnswers: true }));
  if (existing.length > 0) return;
  for (const qa of DEMO_QUICK_ANSWERS) {
    const doc = await db.asService(orgId, async (tx) => {
      const row = await insertDocument(tx, {
        orgId,
        title: qa.question,
        sourceType: "quick_answer",
        sizeBytes: Buffer.byteLength(qa.answer),
        content: qa.answer,
        uploadedBy: ownerUserId,
      });
      return documentToIndex(tx, orgId, row.id).then((d) => ({ id: row.id, contentHash: d!.content_hash }));
    });
    await indexDocument(db, { embedder: null, log: logger }, { orgId, documentId: doc.id, contentHash: doc.contentHash });
  }
}
