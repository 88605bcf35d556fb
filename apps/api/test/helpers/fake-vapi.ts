/**
 * A fake Vapi API on 127.0.0.1 for tests: it speaks the request and response shapes the SDK uses
 * (reference: /assistant, /tool, /phone-number, /call, /credential — ids, createdAt/updatedAt,
 * `{ statusCode, message, error }` errors), records every request, and can be told to fail the
 * next N requests to a path with a given status.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Recorded = { method: string; path: string; body: any; authorization: string | undefined };
type Failure = { method: string; path: RegExp; status: number; message: string; times: number };

export type FakeVapi = {
  url: string;
  requests: Recorded[];
  assistants: Map<string, any>;
  tools: Map<string, any>;
  calls: Map<string, any>;
  phoneNumbers: Map<string, any>;
  credentials: Map<string, any>;
  /** The next `times` requests matching method and path answer `status` with Vapi's error body. */
  failNext(method: string, path: RegExp, status: number, times?: number, message?: string): void;
  /** Requests matching method and a path prefix. */
  sent(method: string, pathPrefix: string): Recorded[];
  reset(): void;
  close(): Promise<void>;
};

const READ_BODY_LIMIT = 1_000_000;

async function readJson(req: IncomingMessage): Promise<any> {
  let raw = "";
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > READ_BODY_LIMIT) throw new Error("body too large");
  }
  return raw ? JSON.parse(raw) : undefined;
}

export async function startFakeVapi(): Promise<FakeVapi> {
  const requests: Recorded[] = [];
  const assistants = new Map<string, any>();
  const tools = new Map<string, any>();
  const calls = new Map<string, any>();
  const phoneNumbers = new Map<string, any>();
  const credentials = new Map<string, any>();
  const failures: Failure[] = [];
  const stamp = () => new Date().toISOString();
  const entity = (body: any) => ({ ...body, id: randomUUID(), orgId: "org_fake_vapi", createdAt: stamp(), updatedAt: stamp() });

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const path = url.pathname;
    let body: any;
    try {
      body = await readJson(req);
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ statusCode: 400, message: ["Invalid JSON"], error: "Bad Request" }));
      return;
    }
    requests.push({ method, path, body, authorization: req.headers.authorization });
    const send = (status: number, payload: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    const error = (status: number, message: string) =>
      send(status, { statusCode: status, message, error: status >= 500 ? "Internal Server Error" : "Bad Request" });

    const failure = failures.find((f) => f.method === method && f.path.test(path) && f.times > 0);
    if (failure) {
      failure.times--;
      return error(failure.status, failure.message);
    }
    if (req.headers.authorization !== "Bearer test-vapi-private-key")
      return error(401, "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.");

    const [, collection, id] = path.split("/");
    const stores: Record<string, Map<string, any>> = { assistant: assistants, tool: tools, call: calls, "phone-number": phoneNumbers, credential: credentials };
    const store = collection ? (stores[collection] ?? null) : null;
    if (!store) return error(404, `Cannot ${method} ${path}`);
    if (method === "POST" && !id) {
      if (collection === "tool" && body?.type !== "function") return error(400, "type must be one of the supported tool types");
      if (collection === "phone-number" && !/^\+[1-9]\d{6,14}$/.test(String(body?.number ?? "")))
        return error(400, "number must be a valid phone number in E.164 format");
      if (collection === "credential" && typeof body?.provider !== "string") return error(400, "provider must be a string");
      const created = entity(
        collection === "call"
          ? { ...body, status: "queued", type: "outboundPhoneCall" }
          : collection === "phone-number"
            ? { ...body, status: "active" }
            : collection === "credential"
              ? { provider: body.provider, name: body.name ?? null } // secrets are write-only, as in Vapi
              : body,
      );
      store.set(created.id, created);
      return send(201, created);
    }
    if (method === "GET" && !id) return send(200, [...store.values()]);
    const existing = id ? store.get(id) : undefined;
    if (!existing) return error(404, `Couldn't Find ${collection} ${id}`);
    if (method === "GET") return send(200, existing);
    if (method === "PATCH") {
      for (const readOnly of ["id", "orgId", "createdAt", "updatedAt"]) {
        if (body && readOnly in body) return error(400, `property ${readOnly} should not exist`);
      }
      const updated = { ...existing, ...body, updatedAt: stamp() };
      store.set(id!, updated);
      return send(200, updated);
    }
    if (method === "DELETE") {
      store.delete(id!);
      return send(200, existing);
    }
    return error(404, `Cannot ${method} ${path}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    assistants,
    tools,
    calls,
    phoneNumbers,
    credentials,
    failNext(method, path, status, times = 1, message = status >= 500 ? "Internal server error" : "Bad request") {
      failures.push({ method, path, status, message, times });
    },
    sent: (method, pathPrefix) => requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)),
    reset() {
      requests.length = 0;
      failures.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
