import { createServer, type Server } from "node:http";
import type express from "express";
import { afterAll } from "vitest";

export type HttpResult<T = any> = { status: number; headers: Headers; body: T; text: string };

export type TestHttp = {
  baseUrl: string;
  server: Server;
  /** fetch with JSON in/out; `body` objects are JSON-encoded, strings are sent as-is. */
  request: <T = any>(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string> }) => Promise<HttpResult<T>>;
};

/** Serves the app on an ephemeral loopback port for this test file; closed after the file. */
export async function listen(app: express.Express): Promise<TestHttp> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return {
    baseUrl,
    server,
    request: async (method, path, init = {}) => {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
        headers["content-type"] ??= "application/json";
      }
      // Redirects are answers to check (OAuth hops lead to other hosts), never followed.
      const res = await fetch(baseUrl + path, { method, headers, body, redirect: "manual" });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = null;
      }
      return { status: res.status, headers: res.headers, body: parsed as any, text };
    },
  };
}
