/**
 * A local stand-in for an OpenAI-compatible embeddings API (POST /v1/embeddings), speaking its
 * documented wire format: `{ model, input: string[], dimensions, encoding_format }` →
 * `{ object: "list", data: [{ object: "embedding", index, embedding }], model, usage }`, and
 * `{ error: { message, type } }` with 401 for a wrong key. The vectors are made from word groups
 * ("concepts"), so texts that share a concept but no word are close — as real embeddings are.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeEmbeddings = { url: string; apiKey: string; requests: { input: string[]; model: string; dimensions?: number }[]; close: () => Promise<void> };

/** Each group is one dimension: a text "about" any of these words points that way. */
export const CONCEPTS: string[][] = [
  ["parking", "park", "garage", "car", "vehicle"],
  ["numbing", "numb", "anesthetic", "hurt", "hurts", "painful", "pain", "sting"],
  ["payment", "pay", "card", "cash", "price", "cost"],
  ["laser", "hair", "removal"],
  ["breastfeeding", "pregnant", "pregnancy", "nursing", "baby"],
];

function embed(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().split(/[^a-z]+/);
  CONCEPTS.forEach((group, i) => {
    v[i] = words.filter((w) => group.includes(w)).length;
  });
  v[dimensions - 1] = 0.05; // never the zero vector
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

async function body(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startFakeEmbeddings(apiKey = "sk-test-embeddings"): Promise<FakeEmbeddings> {
  const requests: FakeEmbeddings["requests"] = [];
  const server = createServer(async (req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.method !== "POST" || req.url !== "/v1/embeddings") {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { message: `Unknown request URL: ${req.method} ${req.url}`, type: "invalid_request_error" } }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" } }));
      return;
    }
    const b = await body(req);
    const input: string[] = Array.isArray(b.input) ? b.input : [b.input];
    requests.push({ input, model: b.model, dimensions: b.dimensions });
    const dimensions = b.dimensions ?? 1536;
    res.end(
      JSON.stringify({
        object: "list",
        data: input.map((text, index) => ({ object: "embedding", index, embedding: embed(text, dimensions) })),
        model: b.model,
        usage: { prompt_tokens: input.join(" ").split(/\s+/).length, total_tokens: input.join(" ").split(/\s+/).length },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
