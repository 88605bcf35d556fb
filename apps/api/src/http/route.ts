import type { Request, Response, Router } from "express";
import { z } from "zod";
import type { Role, RouteDef } from "@voxanne/contracts";
import { accessRefusal } from "./access";
import { badRequest } from "./errors";
import type { AuthContext } from "./types";

const uuid = z.uuid();

/** Deeper than any dashboard body needs; a deeper one is refused before anything walks it. */
const MAX_INPUT_DEPTH = 32;

/**
 * What PostgreSQL would refuse or a recursive walk would choke on: a NUL character in any string
 * (text and jsonb cannot hold \u0000) or nesting deeper than MAX_INPUT_DEPTH. Iterative, so a
 * 20,000-deep body costs a loop, not the stack.
 */
export function hostileInput(value: unknown): "nul" | "deep" | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return "nul";
    } else if (v !== null && typeof v === "object") {
      if (depth >= MAX_INPUT_DEPTH) return "deep";
      for (const [k, child] of Object.entries(v)) {
        if (k.includes("\u0000")) return "nul";
        stack.push([child, depth + 1]);
      }
    }
  }
  return null;
}

function refuseHostile(where: "body" | "query", value: unknown): void {
  const found = hostileInput(value);
  if (found === "nul")
    throw badRequest(`The ${where} contains a NUL character (\\u0000), which text fields cannot hold. Remove it and try again.`, "invalid_text");
  if (found === "deep") throw badRequest(`The ${where} is nested more than ${MAX_INPUT_DEPTH} levels deep.`, "too_deeply_nested");
}

// Optional properties read as `X | undefined`; strip the undefined before testing for a schema.
type SchemaOutput<S> = [Exclude<S, undefined>] extends [never]
  ? undefined
  : Exclude<S, undefined> extends z.ZodType
    ? z.output<Exclude<S, undefined>>
    : undefined;
// Routes that need a session (a role list or "operator") always have `auth`; public and webhook routes may.
type AuthOf<R> = R extends { access: infer A } ? ([A] extends ["operator" | readonly Role[]] ? AuthContext : AuthContext | undefined) : AuthContext | undefined;

export type HandlerInput<R extends RouteDef> = {
  body: SchemaOutput<R["body"]>;
  query: SchemaOutput<R["query"]>;
  params: Record<string, string>;
  auth: AuthOf<R>;
  req: Request;
  res: Response;
};

/**
 * Mounts a contract route on an Express router: enforces the route's `access` (401 signed out,
 * 403 for a role or a non-operator it does not allow), validates path params (UUIDs), query and
 * body with the route's zod schemas, and sends the handler's result as JSON with the route's
 * status. Handlers stay thin: parse → service → contract. Responses are checked against the
 * contract unless the app sets `app.locals.checkResponses = false` (createApp does in production,
 * from config).
 */
export function mount<R extends RouteDef>(router: Router, route: R, handler: (input: HandlerInput<R>) => Promise<z.input<R["response"]>>): void {
  router[route.method](route.path, async (req: Request, res: Response) => {
    // Who may ask comes before what they asked: a refused caller learns nothing about the input.
    const refusal = accessRefusal(route, req);
    if (refusal) throw refusal;
    if (route.params) {
      const parsed = route.params.safeParse(req.params);
      if (!parsed.success)
        throw badRequest(`Path parameter ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}.`, "invalid_path_param");
    } else {
      for (const [name, value] of Object.entries(req.params)) {
        if (!uuid.safeParse(value).success) throw badRequest(`Path parameter ${name} must be a UUID.`, "invalid_path_param");
      }
    }
    refuseHostile("query", req.query);
    if (route.body) refuseHostile("body", req.body);
    const body = route.body ? route.body.parse(req.body ?? {}) : undefined;
    const query = route.query ? route.query.parse(req.query) : undefined;
    const result = await handler({ body, query, params: req.params as Record<string, string>, auth: req.auth, req, res } as HandlerInput<R>);
    // In development and tests the response must match its contract; drift fails loudly there.
    const output = req.app.locals.checkResponses !== false ? route.response.parse(result) : result;
    if (route.redirect) {
      res.redirect(302, (output as { location: string }).location);
      return;
    }
    res.status(route.status ?? 200).json(output);
  });
}
