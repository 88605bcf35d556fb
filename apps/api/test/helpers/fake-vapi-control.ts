/**
 * A fake of Vapi's per-call control URL (`call.monitor.controlUrl`) on 127.0.0.1: `urlFor(callId)`
 * gives a call its `monitor.controlUrl`; every POSTed control message is recorded. Like Vapi, a
 * call that ended (an `end-call` was accepted, or `endCall()`) answers 404, and unknown JSON
 * answers 400. `failNext(status)` makes the next POST fail with that status.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ControlPost = { callId: string; body: any };

export type FakeVapiControl = {
  /** The control URL of one call (a fresh secret path each time, as Vapi's are unguessable). */
  urlFor(callId: string): string;
  received: ControlPost[];
  /** Messages received for one call. */
  messagesOf(callId: string): any[];
  endCall(callId: string): void;
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
};

export async function startFakeVapiControl(): Promise<FakeVapiControl> {
  const received: ControlPost[] = [];
  const callsByToken = new Map<string, string>();
  const ended = new Set<string>();
  const failures: { status: number; times: number }[] = [];

  const server: Server = createServer(async (req, res) => {
    const answer = (status: number, body: object) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const match = /^\/([0-9a-f-]{36})\/control$/.exec(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    const callId = match ? callsByToken.get(match[1]!) : undefined;
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (req.method !== "POST" || !callId || ended.has(callId))
      return answer(404, { statusCode: 404, message: "Call not found or has ended", error: "Not Found" });
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(400, { statusCode: 400, message: ["Invalid JSON"], error: "Bad Request" });
    }
    const failure = failures[0];
    if (failure) {
      if (--failure.times <= 0) failures.shift();
      return answer(failure.status, { statusCode: failure.status, message: "Internal server error", error: "Error" });
    }
    if (!["say", "add-message", "end-call", "transfer", "control"].includes(body?.type)) {
      return answer(400, { statusCode: 400, message: ["type must be a valid control message type"], error: "Bad Request" });
    }
    received.push({ callId, body });
    if (body.type === "end-call") ended.add(callId);
    return answer(200, { success: true });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    urlFor(callId) {
      const token = randomUUID();
      callsByToken.set(token, callId);
      return `${base}/${token}/control`;
    },
    received,
    messagesOf: (callId) => received.filter((r) => r.callId === callId).map((r) => r.body),
    endCall: (callId) => void ended.add(callId),
    failNext: (status, times = 1) => void failures.push({ status, times }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
