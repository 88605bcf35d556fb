import type { Db } from "../../db/database";
import type { Chunk } from "./chunk";

export type KnowledgeDocumentRow = {
  id: string;
  title: string;
  source_type: string;
  size_bytes: number;
  status: string;
  error: string | null;
  enabled: boolean;
  chunk_count: number;
  uploaded_by_name: string | null;
  content?: string;
  created_at: Date;
  updated_at: Date;
  processed_at: Date | null;
};

const DOCUMENT_COLUMNS = `d.id, d.title, d.source_type, d.size_bytes, d.status, d.error, d.enabled, d.chunk_count,
  d.created_at, d.updated_at, d.processed_at,
  (select coalesce(nullif(p.full_name, ''), 'a team member') from public.profiles p where p.user_id = d.uploaded_by and p.org_id = d.org_id limit 1) as uploaded_by_name`;

export async function insertDocument(
  db: Db,
  d: { orgId: string; title: string; sourceType: string; sizeBytes: number; content: string; uploadedBy: string | null },
): Promise<KnowledgeDocumentRow> {
  const { rows } = await db.query<KnowledgeDocumentRow>(
    `with inserted as (
       insert into public.knowledge_documents (org_id, title, source_type, size_bytes, content, uploaded_by)
       values ($1, $2, $3, $4, $5, $6) returning *)
     select ${DOCUMENT_COLUMNS}, d.content from inserted d`,
    [d.orgId, d.title, d.sourceType, d.sizeBytes, d.content, d.uploadedBy],
  );
  return rows[0]!;
}

/** Uploaded documents (quick answers: `quickAnswers`), newest first. */
export async function listDocuments(db: Db, orgId: string, o: { quickAnswers: boolean }): Promise<KnowledgeDocumentRow[]> {
  const { rows } = await db.query<KnowledgeDocumentRow>(
    `select ${DOCUMENT_COLUMNS}${o.quickAnswers ? ", d.content" : ""} from public.knowledge_documents d
      where d.org_id = $1 and (d.source_type = 'quick_answer') = $2
      order by d.created_at desc, d.id
      limit 500`,
    [orgId, o.quickAnswers],
  );
  return rows;
}

export async function updateDocument(db: Db, orgId: string, id: string, patch: { enabled?: boolean; title?: string }): Promise<KnowledgeDocumentRow | null> {
  const { rows } = await db.query<KnowledgeDocumentRow>(
    `with updated as (
       update public.knowledge_documents set enabled = coalesce($3, enabled), title = coalesce($4, title)
        where org_id = $1 and id = $2 returning *)
     select ${DOCUMENT_COLUMNS}, d.content from updated d`,
    [orgId, id, patch.enabled ?? null, patch.title ?? null],
  );
  return rows[0] ?? null;
}

/** A quick answer's new wording: searchable again once the knowledge-index job has re-split it. */
export async function updateQuickAnswer(db: Db, orgId: string, id: string, q: { question: string; answer: string }): Promise<KnowledgeDocumentRow | null> {
  const { rows } = await db.query<KnowledgeDocumentRow>(
    `with updated as (
       update public.knowledge_documents
          set title = $3, content = $4, size_bytes = octet_length($4), status = 'processing', error = null
        where org_id = $1 and id = $2 and source_type = 'quick_answer' returning *)
     select ${DOCUMENT_COLUMNS}, d.content from updated d`,
    [orgId, id, q.question, q.answer],
  );
  return rows[0] ?? null;
}

export async function deleteDocument(db: Db, orgId: string, id: string): Promise<{ title: string; source_type: string } | null> {
  const { rows } = await db.query<{ title: string; source_type: string }>(
    "delete from public.knowledge_documents where org_id = $1 and id = $2 returning title, source_type",
    [orgId, id],
  );
  return rows[0] ?? null;
}

export async function documentToIndex(db: Db, orgId: string, id: string): Promise<{ content: string; source_type: string; content_hash: string } | null> {
  const { rows } = await db.query<{ content: string; source_type: string; content_hash: string }>(
    "select content, source_type, md5(content) as content_hash from public.knowledge_documents where org_id = $1 and id = $2",
    [orgId, id],
  );
  return rows[0] ?? null;
}

/**
 * Replaces a document's chunks and marks it ready, in the caller's transaction — only if its text
 * is still the one that was split (`contentHash`); otherwise a newer job owns it and nothing is
 * written. `embeddings` (pgvector literals, one per chunk) only where the column exists.
 */
export async function replaceChunks(
  db: Db,
  e: { orgId: string; documentId: string; contentHash: string; chunks: Chunk[]; embeddings: string[] | null },
): Promise<boolean> {
  const marked = await db.query(
    `update public.knowledge_documents set status = 'ready', error = null, chunk_count = $4, processed_at = now()
      where org_id = $1 and id = $2 and md5(content) = $3`,
    [e.orgId, e.documentId, e.contentHash, e.chunks.length],
  );
  if (marked.rowCount === 0) return false;
  await db.query("delete from public.knowledge_chunks where org_id = $1 and document_id = $2", [e.orgId, e.documentId]);
  const params = [e.orgId, e.documentId, e.chunks.map((c) => c.position), e.chunks.map((c) => c.heading), e.chunks.map((c) => c.content)];
  if (e.embeddings) {
    await db.query(
      `insert into public.knowledge_chunks (org_id, document_id, position, heading, content, embedding)
       select $1, $2, p, h, c, v::extensions.vector from unnest($3::int[], $4::text[], $5::text[], $6::text[]) as t(p, h, c, v)`,
      [...params, e.embeddings],
    );
  } else {
    await db.query(
      `insert into public.knowledge_chunks (org_id, document_id, position, heading, content)
       select $1, $2, p, h, c from unnest($3::int[], $4::text[], $5::text[]) as t(p, h, c)`,
      params,
    );
  }
  return true;
}

export async function markDocumentFailed(db: Db, orgId: string, documentId: string, error: string): Promise<void> {
  await db.query(
    "update public.knowledge_documents set status = 'failed', error = $3, processed_at = now() where org_id = $1 and id = $2 and status = 'processing'",
    [orgId, documentId, error.slice(0, 500)],
  );
}

/** True when the database has the `vector` extension and the chunks' embedding column (migration 20261214000100). */
export async function vectorSearchAvailable(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `select exists (select 1 from pg_attribute
                     where attrelid = to_regclass('public.knowledge_chunks') and attname = 'embedding' and not attisdropped) as ok`,
  );
  return rows[0]?.ok === true;
}

export type RankedChunkRow = {
  id: string;
  document_id: string;
  title: string;
  source_type: string;
  heading: string | null;
  content: string;
  fts_rank: number | null;
  trigram_rank: number | null;
  /** How many of the question's words the chunk contains (trigram similarity summed): breaks ties between equal fused ranks. */
  words_matched: number;
};

/**
 * The two text rankings of the clinic's enabled, ready chunks for a question: full text (English
 * stems, accents folded; any of the question's words, ranked higher when all of them match, as
 * websearch_to_tsquery reads them) and trigram word similarity of each non-stopword of the
 * question (4+ letters, ≥ 0.5), which finds "parkng". Each ranking keeps its best `limit` chunks.
 */
export async function textRankings(db: Db, orgId: string, question: string, limit: number): Promise<RankedChunkRow[]> {
  const { rows } = await db.query<RankedChunkRow>(
    `with input as (
       select websearch_to_tsquery('public.voxanne_english', $2) as strict,
              (select to_tsquery('simple', string_agg(quote_literal(l), ' | '))
                 from unnest(tsvector_to_array(to_tsvector('public.voxanne_english', $2))) l) as loose,
              coalesce((select array_agg(distinct w) from regexp_split_to_table(lower(extensions.unaccent($2)), '[^[:alnum:]]+') w
                         where length(w) >= 4 and ts_lexize('english_stem', w) <> '{}'), '{}') as words
     ),
     candidates as (
       select c.id, c.document_id, d.title, d.source_type, c.heading, c.content, c.search_vector
         from public.knowledge_chunks c
         join public.knowledge_documents d on d.org_id = c.org_id and d.id = c.document_id
        where c.org_id = $1 and d.enabled and d.status = 'ready'
     ),
     fts as (
       select c.id, row_number() over (
                order by ts_rank_cd(c.search_vector, i.loose, 32) + case when c.search_vector @@ i.strict then 1 else 0 end desc, c.id) as rank
         from candidates c, input i
        where i.loose is not null and c.search_vector @@ i.loose
        order by rank limit $3
     ),
     trigram as (
       select c.id, t.score, row_number() over (order by t.score desc, c.id) as rank
         from candidates c
         cross join input i
         cross join lateral (
           select sum(s.sim) as score, count(*) as n
             from (select extensions.word_similarity(w, lower(extensions.unaccent(coalesce(c.heading, '') || ' ' || c.content))) as sim
                     from unnest(i.words) w) s
            where s.sim >= 0.5) t
        where t.n > 0
        order by rank limit $3
     )
     select c.id, c.document_id, c.title, c.source_type, c.heading, c.content, f.rank::int as fts_rank, t.rank::int as trigram_rank,
            coalesce(t.score, 0)::float8 as words_matched
       from candidates c
       left join fts f on f.id = c.id
       left join trigram t on t.id = c.id
      where f.id is not null or t.id is not null`,
    [orgId, question, limit],
  );
  return rows;
}

export type VectorChunkRow = Omit<RankedChunkRow, "fts_rank" | "trigram_rank" | "words_matched"> & { similarity: number };

/** The clinic's enabled, ready chunks nearest to a question's embedding (cosine), at least `minSimilarity` close. */
export async function vectorRanking(db: Db, orgId: string, embedding: string, limit: number, minSimilarity: number): Promise<VectorChunkRow[]> {
  const { rows } = await db.query<VectorChunkRow>(
    `select * from (
       select c.id, c.document_id, d.title, d.source_type, c.heading, c.content,
              1 - (c.embedding operator(extensions.<=>) $2::extensions.vector) as similarity
         from public.knowledge_chunks c
         join public.knowledge_documents d on d.org_id = c.org_id and d.id = c.document_id
        where c.org_id = $1 and d.enabled and d.status = 'ready' and c.embedding is not null
        order by c.embedding operator(extensions.<=>) $2::extensions.vector
        limit $3) nearest
      where similarity >= $4`,
    [orgId, embedding, limit, minSimilarity],
  );
  return rows.map((r) => ({ ...r, similarity: Number(r.similarity) }));
}

export async function insertKnowledgeAudit(db: Db, e: { orgId: string; actorUserId: string; action: string; documentId: string; data: object }): Promise<void> {
  await db.query(
    `insert into public.audit_events (org_id, actor_user_id, action, target_type, target_id, data)
     values ($1, $2, $3, 'knowledge_document', $4, $5)`,
    [e.orgId, e.actorUserId, e.action, e.documentId, e.data],
  );
}
