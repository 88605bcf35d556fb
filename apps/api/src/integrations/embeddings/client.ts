/**
 * The embedding provider for knowledge-base vectors: any OpenAI-compatible embeddings API, through
 * the official `openai` SDK (EMBEDDING_API_KEY, EMBEDDING_BASE_URL, EMBEDDING_MODEL in config.ts).
 * Unset key → null: knowledge search runs on full text alone (modules/knowledge/service.ts says so).
 */
import type OpenAI from "openai";
import type { Config } from "../../config";
import type { Embedder } from "../../modules/knowledge/service";

/** The width of the knowledge_chunks.embedding column (migration 20261214000100). */
export const EMBEDDING_DIMENSIONS = 1536;
const BATCH = 64;

const cache = new WeakMap<Config, Embedder | null>();

export function createEmbedder(config: Config): Embedder | null {
  if (cache.has(config)) return cache.get(config)!;
  let embedder: Embedder | null = null;
  if (config.EMBEDDING_API_KEY) {
    const apiKey = config.EMBEDDING_API_KEY;
    // The SDK loads on the first embedding, not in every process that reads the config.
    let client: Promise<OpenAI> | null = null;
    const sdk = () =>
      (client ??= import("openai").then(
        ({ default: OpenAIClient }) => new OpenAIClient({ apiKey, baseURL: config.EMBEDDING_BASE_URL, timeout: config.EMBEDDING_TIMEOUT_MS, maxRetries: 1 }),
      ));
    const model = config.EMBEDDING_MODEL;
    embedder = {
      model,
      dimensions: EMBEDDING_DIMENSIONS,
      async embed(texts) {
        const out: number[][] = [];
        for (let i = 0; i < texts.length; i += BATCH) {
          const res = await (await sdk()).embeddings.create({
            model,
            input: texts.slice(i, i + BATCH),
            dimensions: EMBEDDING_DIMENSIONS,
            encoding_format: "float",
          });
          const data = [...res.data].sort((a, b) => a.index - b.index);
          for (const d of data) {
            if (d.embedding.length !== EMBEDDING_DIMENSIONS)
              throw new Error(`the embedding model returned ${d.embedding.length} dimensions, not ${EMBEDDING_DIMENSIONS}`);
            out.push(d.embedding);
          }
        }
        return out;
      },
    };
  }
  cache.set(config, embedder);
  return embedder;
}
