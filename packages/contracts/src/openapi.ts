import { z } from "zod";
import { needsSession } from "./roles";
import { ErrorBody, type RouteDef } from "./route";
import { allRoutes } from "./routes";

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

function operation(route: RouteDef): JsonSchema {
  const op: JsonSchema = {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    responses: {
      ...(route.redirect
        ? { "302": { description: "Redirect", headers: { Location: { schema: { type: "string" } } } } }
        : {
            [String(route.status ?? 200)]: {
              description: "Success",
              content: { "application/json": { schema: toSchema(route.response, "output") } },
            },
          }),
      "4XX": { description: "A problem with the request", content: { "application/json": { schema: toSchema(ErrorBody, "output") } } },
    },
  };
  const declared = route.params ? ((toSchema(route.params, "input") as { properties?: Record<string, JsonSchema> }).properties ?? {}) : {};
  const parameters: JsonSchema[] = pathParams(route.path).map((name) => ({
    name,
    in: "path",
    required: true,
    schema: declared[name] ?? { type: "string", format: "uuid" },
  }));
  if (route.query) {
    const q = toSchema(route.query, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      parameters.push({ name, in: "query", required: q.required?.includes(name) ?? false, schema });
    }
  }
  if (parameters.length) op.parameters = parameters;
  if (route.body) {
    op.requestBody = { required: true, content: { "application/json": { schema: toSchema(route.body, "input") } } };
  }
  if (needsSession(route.access)) op.security = [{ cookieSession: [] }, { bearer: [] }];
  // Who may call it: "public", "webhook", "operator", or the clinic roles allowed.
  op["x-access"] = route.access;
  return op;
}

/** The OpenAPI 3.1 document served at /api/openapi.json, generated from the route registry. */
export function buildOpenApiDocument(extraRoutes: RouteDef[] = []): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of [...allRoutes(), ...extraRoutes]) {
    const oasPath = route.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    paths[oasPath] ??= {};
    paths[oasPath][route.method] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: { title: "Voxanne API", version: "0.1.0", description: "AI voice receptionist for clinics." },
    paths,
    components: {
      securitySchemes: {
        cookieSession: { type: "apiKey", in: "cookie", name: "vx_access" },
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      },
    },
  };
}
