/**
 * The vector branch of knowledge search, where the `vector` extension exists. The embedded
 * PostgreSQL has none (that it is skipped there, and said so, is checked at the end), so this runs
 * the same migrations and the same module code on PGlite with pgvector: the guarded migration adds
 * the embedding column, the knowledge-index work embeds chunks through the real `openai` SDK
 * against a local embeddings API, and search fuses vector similarity into the text rankings.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { pgcrypto } from "@electric-sql/pglite/contrib/pgcrypto";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { vector } from "@electric-sql/pglite-pgvector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/database";
import { listMigrations } from "../src/db/migrate";
import { createEmbedder } from "../src/integrations/embeddings/client";
import { createLogger } from "../src/logger";
import { insertDocument, vectorSearchAvailable, documentToIndex } from "../src/modules/knowledge/queries";
import { indexDocument, knowledgeSearchMode, searchKnowledge, type Embedder } from "../src/modules/knowledge/service";
import { testConfig } from "./helpers/app";
import { createTestDatabase } from "./helpers/db";
import { type FakeEmbeddings, startFakeEmbeddings } from "./helpers/fake-embeddings";

let pglite: PGlite;
let embeddings: FakeEmbeddings;
let embedder: Embedder;
const log = createLogger({ level: "silent" });

/** Our Db over PGlite: the same query function the module code gets from Database. */
const asDb = (q: PGlite | Transaction): Db => {
  const query = (async (text: string, params?: unknown[]) => {
    const r = await q.query(text, params);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  }) as unknown as Db["query"];
  // PGlite commits when the transaction's callback returns, so the last statement is just a statement.
  return { query, commitWith: query };
};
const database = { asService: <T>(_orgId: string, fn: (db: Db) => Promise<T>) => pglite.transaction((tx) => fn(asDb(tx))) };

async function newOrg(name: string): Promise<string> {
  const { rows } = await pglite.query<{ id: string }>("insert into public.organizations (name) values ($1) returning id", [name]);
  return rows[0]!.id;
}

async function addIndexedDocument(orgId: string, title: string, content: string): Promise<string> {
  const db = asDb(pglite);
  const doc = await insertDocument(db, { orgId, title, sourceType: "markdown", sizeBytes: content.length, content, uploadedBy: null });
  const { content_hash } = (await documentToIndex(db, orgId, doc.id))!;
  expect(await indexDocument(database, { embedder, log }, { orgId, documentId: doc.id, contentHash: content_hash })).toBe("indexed");
  return doc.id;
}

beforeAll(async () => {
  pglite = await PGlite.create({ extensions: { vector, btree_gist, pg_trgm, pgcrypto, unaccent } });
  await pglite.exec(readFileSync(join(import.meta.dirname, "../src/db/sql/supabase-local-bootstrap.sql"), "utf8"));
  for (const m of listMigrations()) await pglite.exec(readFileSync(m.file, "utf8"));
  embeddings = await startFakeEmbeddings();
  embedder = createEmbedder(testConfig({ EMBEDDING_API_KEY: embeddings.apiKey, EMBEDDING_BASE_URL: embeddings.url }))!;
}, 120_000);
afterAll(async () => {
  await pglite?.close();
  await embeddings?.close();
});

describe("with the vector extension (PGlite + pgvector)", () => {
  let orgA: string;
  let orgB: string;
  let numbingDoc: string;

  beforeAll(async () => {
    orgA = await newOrg("Vector Clinic A");
    orgB = await newOrg("Vector Clinic B");
    numbingDoc = await addIndexedDocument(orgA, "Treatment comfort", "# Comfort\n\nWe apply a numbing cream twenty minutes before every laser session.");
    await addIndexedDocument(orgA, "Directions", "# Parking\n\nThe garage behind the clinic is free for patients.");
    await addIndexedDocument(orgB, "Other comfort", "# Comfort\n\nClinic B uses an anesthetic spray before injections.");
  });

  it("the guarded migration created the embedding column, and the job stored a vector for every chunk", async () => {
    expect(await vectorSearchAvailable(asDb(pglite))).toBe(true);
    const { rows } = await pglite.query<{ n: number; embedded: number }>(
      "select count(*)::int as n, count(embedding)::int as embedded from public.knowledge_chunks where org_id = $1",
      [orgA],
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(rows[0]!.embedded).toBe(rows[0]!.n);
    expect(embeddings.requests.at(-1)).toMatchObject({ model: "text-embedding-3-small", dimensions: 1536 });
  });

  it("finds a passage that shares no word with the question through vectors alone", async () => {
    const question = "Will it hurt?";
    const withoutVectors = await searchKnowledge(asDb(pglite), { embedder: null, log }, orgA, question);
    expect(withoutVectors.mode).toBe("full_text");
    expect(withoutVectors.hits).toEqual([]);

    const hybrid = await searchKnowledge(asDb(pglite), { embedder, log }, orgA, question);
    expect(hybrid.mode).toBe("hybrid");
    expect(hybrid.vectorNote).toBeNull();
    expect(hybrid.hits[0]).toMatchObject({ documentId: numbingDoc, matchedBy: ["vector"] });
    // Clinic B's anesthetic passage is as close, but never another clinic's.
    expect(hybrid.hits.every((h) => !h.content.includes("Clinic B"))).toBe(true);
  });

  it("fuses the rankings: a passage found by words and by meaning ranks first", async () => {
    const hybrid = await searchKnowledge(asDb(pglite), { embedder, log }, orgA, "Where do I park my car?");
    expect(hybrid.hits[0]!.content).toContain("garage behind the clinic");
    expect(hybrid.hits[0]!.matchedBy).toEqual(expect.arrayContaining(["full_text", "vector"]));
    expect(hybrid.hits[0]!.score).toBeGreaterThan(hybrid.hits[1]?.score ?? 0);
  });

  it("never returns a disabled document's chunks by vector either", async () => {
    await pglite.query("update public.knowledge_documents set enabled = false where id = $1", [numbingDoc]);
    const hybrid = await searchKnowledge(asDb(pglite), { embedder, log }, orgA, "Will it hurt?");
    expect(hybrid.hits).toEqual([]);
    await pglite.query("update public.knowledge_documents set enabled = true where id = $1", [numbingDoc]);
  });
});

describe("without the vector extension (the embedded PostgreSQL)", () => {
  it("skips vectors only because the extension is missing, and says so", async () => {
    const { admin, db } = await createTestDatabase();
    const { rows } = await admin.query("select count(*)::int as n from pg_available_extensions where name = 'vector'");
    expect(rows[0].n).toBe(0);
    const mode = await db.asSystem((tx) => knowledgeSearchMode(tx, embedder));
    expect(mode).toMatchObject({ mode: "full_text", vectors: false });
    expect(mode.vectorNote).toMatch(/no "vector" extension/);
    const unconfigured = await db.asSystem((tx) => knowledgeSearchMode(tx, null));
    expect(unconfigured.vectorNote).toMatch(/set EMBEDDING_API_KEY/);
  });
});
