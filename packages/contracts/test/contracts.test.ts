import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { allRoutes, ApiError, apiRoutes, buildOpenApiDocument, buildPath, createApiClient, defineRoute, ROLES } from "../src/index";

describe("route registry and OpenAPI document", () => {
  it("documents every registered route with its method, parameters and schemas", () => {
    const doc = buildOpenApiDocument() as { openapi: string; paths: Record<string, Record<string, any>> };
    expect(doc.openapi).toBe("3.1.0");
    for (const route of allRoutes()) {
      const op = doc.paths[route.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")]?.[route.method];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      // A redirect route (Google's OAuth start and callback) answers 302 with a Location, not JSON.
      if (route.redirect) expect(op.responses["302"], `${route.method} ${route.path}`).toBeDefined();
      else expect(op.responses[String(route.status ?? 200)].content["application/json"].schema).toBeTypeOf("object");
      if (route.body) {
        // A body is an object, or a choice of objects (e.g. Twilio's auth token or API key).
        const schema = op.requestBody.content["application/json"].schema;
        for (const variant of schema.anyOf ?? schema.oneOf ?? [schema]) expect(variant.type, `${route.method} ${route.path}`).toBe("object");
      }
      for (const name of route.path.match(/:([A-Za-z0-9_]+)/g) ?? []) {
        expect(op.parameters.map((p: { name: string }) => p.name)).toContain(name.slice(1));
      }
    }
  });

  it("every route declares who may call it: public, webhook, operator, or a non-empty list of known roles", () => {
    for (const route of allRoutes()) {
      const what = `${route.method} ${route.path}`;
      if (typeof route.access === "string") {
        expect(["public", "webhook", "operator"], what).toContain(route.access);
      } else {
        expect(route.access.length, what).toBeGreaterThan(0);
        expect(new Set(route.access).size, what).toBe(route.access.length);
        for (const role of route.access) expect(ROLES, what).toContain(role);
      }
    }
    // The compiler refuses a route without `access` and an empty role list (npm run typecheck).
    // @ts-expect-error access is required
    defineRoute({ method: "get", path: "/x", tag: "x", summary: "x", response: z.object({}) });
    // @ts-expect-error a role list names at least one role
    defineRoute({ method: "get", path: "/x", tag: "x", summary: "x", response: z.object({}), access: [] });
  });

  it("documents each route's access, and sessions on the routes that need one", () => {
    const doc = buildOpenApiDocument() as any;
    expect(doc.paths["/api/calls-dashboard"].get["x-access"]).toEqual(["owner", "admin", "staff"]);
    expect(doc.paths["/api/calls-dashboard"].get.security).toBeDefined();
    expect(doc.paths["/api/auth/login"].post["x-access"]).toBe("public");
    expect(doc.paths["/api/auth/login"].post.security).toBeUndefined();
    expect(doc.paths["/api/vapi/webhook"].post["x-access"]).toBe("webhook");
    expect(doc.paths["/api/vapi/webhook"].post.security).toBeUndefined();
  });

  it("describes the sign-up body with its validation rules", () => {
    const doc = buildOpenApiDocument() as any;
    const schema = doc.paths["/api/auth/signup"].post.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(expect.arrayContaining(["email", "password", "clinicName"]));
    expect(schema.properties.password.minLength).toBe(8);
  });
});

describe("typed client", () => {
  it("fills path parameters, encodes them and drops empty query values", () => {
    expect(buildPath("/api/calls/:callId", { callId: "a b" }, { q: "x", empty: "", none: undefined, n: 2 })).toBe("/api/calls/a%20b?q=x&n=2");
    expect(() => buildPath("/api/calls/:callId", {})).toThrow(/callId/);
  });

  it("sends JSON with cookies and turns an error body into an ApiError with field messages", async () => {
    const seen: { method?: string; body?: string; type?: string } = {};
    const server = createServer((req, res) => {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => {
        Object.assign(seen, { method: req.method, body: data, type: req.headers["content-type"] });
        res.writeHead(400, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            error: { code: "validation_failed", message: "Some fields need fixing", fields: [{ path: "email", message: "Enter a valid email address" }] },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    const api = createApiClient({ baseUrl: `http://127.0.0.1:${port}` });
    try {
      const err = await api.call(apiRoutes.auth.login, { body: { email: "nope", password: "x" } }).catch((e) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err.status).toBe(400);
      expect(err.message).toBe("Some fields need fixing");
      expect(err.fieldErrors()).toEqual({ email: "Enter a valid email address" });
      expect(seen).toEqual({ method: "POST", body: JSON.stringify({ email: "nope", password: "x" }), type: "application/json" });
    } finally {
      server.close();
    }
  });
});
