-- The clinic's knowledge base: uploaded documents (PDF, DOCX, TXT, Markdown) and quick answers,
-- split into chunks that the receptionist searches during a call (apps/api/src/modules/knowledge/).
-- Search is hybrid and runs in the database: full text (English stemming, accents folded) plus
-- trigram similarity for misspellings, always; vector similarity only where the `vector`
-- extension exists (Supabase, PGlite) — the embedded and Debian servers have none, so the
-- embedding column is created only when the extension can be.

create extension if not exists unaccent with schema extensions;
create extension if not exists pg_trgm with schema extensions;

-- English stemming with accents folded first ("Café" finds "cafe"). A named configuration keeps
-- to_tsvector immutable, so the chunks' tsvector can be a generated column.
do $$
begin
  if not exists (select 1 from pg_ts_config where cfgname = 'voxanne_english' and cfgnamespace = 'public'::regnamespace) then
    create text search configuration public.voxanne_english (copy = pg_catalog.english);
    alter text search configuration public.voxanne_english
      alter mapping for hword, hword_part, word with extensions.unaccent, english_stem;
  end if;
end $$;

create table public.knowledge_documents (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  title text not null check (length(btrim(title)) between 1 and 200),
  source_type text not null check (source_type in ('pdf', 'docx', 'txt', 'markdown', 'quick_answer')),
  size_bytes integer not null check (size_bytes >= 0),
  -- The extracted text (a quick answer's answer); chunks are rebuilt from it.
  content text not null check (length(btrim(content)) > 0 and length(content) <= 2000000),
  status text not null default 'processing' check (status in ('processing', 'ready', 'failed')),
  error text check (error is null or length(error) <= 500),
  enabled boolean not null default true,
  chunk_count integer not null default 0 check (chunk_count >= 0),
  uploaded_by uuid references auth.users (id) on delete set null,
  processed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, id)
);
create index knowledge_documents_org_created on public.knowledge_documents (org_id, created_at desc);
create trigger knowledge_documents_updated_at before update on public.knowledge_documents
  for each row execute function public.set_updated_at();

create table public.knowledge_chunks (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  document_id uuid not null,
  position integer not null check (position >= 0),
  heading text check (heading is null or length(heading) <= 300),
  content text not null check (length(btrim(content)) > 0 and length(content) <= 8000),
  -- The heading weighs more than the body: a chunk under "Parking" is about parking.
  search_vector tsvector generated always as (
    setweight(to_tsvector('public.voxanne_english'::regconfig, coalesce(heading, '')), 'A')
    || setweight(to_tsvector('public.voxanne_english'::regconfig, content), 'B')
  ) stored,
  created_at timestamptz not null default now(),
  -- A chunk always belongs to a document of the same clinic.
  foreign key (org_id, document_id) references public.knowledge_documents (org_id, id) on delete cascade,
  unique (document_id, position)
);
create index knowledge_chunks_search on public.knowledge_chunks using gin (search_vector);
create index knowledge_chunks_trigram on public.knowledge_chunks using gin (lower(content) extensions.gin_trgm_ops);
create index knowledge_chunks_org on public.knowledge_chunks (org_id, document_id);

-- Vectors where the extension exists (Supabase puts extensions in schema `extensions`). The
-- column's presence is what the API checks (modules/knowledge/queries.ts: vectorSearchAvailable).
do $$
declare
  vector_schema text;
begin
  if exists (select 1 from pg_available_extensions where name = 'vector') then
    create extension if not exists vector with schema extensions;
    select n.nspname into vector_schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'vector';
    execute format('alter table public.knowledge_chunks add column embedding %I.vector(1536)', vector_schema);
    execute format('create index knowledge_chunks_embedding on public.knowledge_chunks using hnsw (embedding %I.vector_cosine_ops)', vector_schema);
  else
    raise notice 'extension "vector" is not available: knowledge search uses full text and trigrams only';
  end if;
end $$;

-- Every member reads and searches the knowledge base; owners and admins rename, enable, disable
-- and delete documents. Documents are created and chunks written only by the server, after the
-- file was read (the upload route and the knowledge-index job).
alter table public.knowledge_documents enable row level security;
create policy knowledge_documents_select on public.knowledge_documents
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
create policy knowledge_documents_update on public.knowledge_documents
  for update to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'))
  with check (org_id = (select public.auth_org_id()));
create policy knowledge_documents_delete on public.knowledge_documents
  for delete to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin'));
revoke all on public.knowledge_documents from anon, authenticated;
grant select, delete on public.knowledge_documents to authenticated;
grant update (title, enabled) on public.knowledge_documents to authenticated;

alter table public.knowledge_chunks enable row level security;
create policy knowledge_chunks_select on public.knowledge_chunks
  for select to authenticated
  using (org_id = (select public.auth_org_id()) and (select public.auth_role()) in ('owner', 'admin', 'staff'));
revoke all on public.knowledge_chunks from anon, authenticated;
grant select on public.knowledge_chunks to authenticated;
