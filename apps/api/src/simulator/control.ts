import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Vapi's per-call control URL (`call.monitor.controlUrl`) for simulated calls: `npm run simulate --
 * --control` gives each call a `monitor.controlUrl` on 127.0.0.1, so "Transfer to me" and "End
 * call" in the dashboard really end the simulated call. The API only posts to it when
 * VAPI_CONTROL_URL_HOSTS lists 127.0.0.1 (outside production). Answers 404 once the call is over,
 * as Vapi does.
 */
export type TakeOverRequest = { type: "end-call" } | { type: "transfer"; to: string };

export type SimControl = {
  urlFor(callId: string): string;
  /** What the dashboard asked for this call, once it has. */
  takenOver(callId: string): TakeOverRequest | null;
  close(): Promise<void>;
};

export async function startSimControl(onRequest: (callId: string, request: TakeOverRequest) => void = () => {}): Promise<SimControl> {
  const calls = new Map<string, string>();
  const requests = new Map<string, TakeOverRequest>();
  const server: Server = createServer(async (req, res) => {
    const answer = (status: number, body: object) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const token = /^\/([0-9a-f-]{36})\/control$/.exec(req.url ?? "")?.[1];
    const callId = token ? calls.get(token) : undefined;
    if (req.method !== "POST" || !callId || requests.has(callId)) return answer(404, { statusCode: 404, message: "Call not found or has ended" });
    let body: { type?: string; destination?: { number?: string } };
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(400, { statusCode: 400, message: ["Invalid JSON"] });
    }
    const request: TakeOverRequest | null =
      body.type === "end-call"
        ? { type: "end-call" }
        : body.type === "transfer" && body.destination?.number
          ? { type: "transfer", to: body.destination.number }
          : null;
    if (!request) return answer(200, { success: true });
    requests.set(callId, request);
    onRequest(callId, request);
    return answer(200, { success: true });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    urlFor(callId) {
      const token = randomUUID();
      calls.set(token, callId);
      return `${base}/${token}/control`;
    },
    takenOver: (callId) => requests.get(callId) ?? null,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
