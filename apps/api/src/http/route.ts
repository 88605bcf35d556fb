import type { Request, Response, Router } from "express";
import { z } from "zod";
import type { RouteDef } from "@voxanne/contracts";
import { badRequest, unauthorized } from "./errors";
import type { AuthContext } from "./types";

const uuid = z.uuid();

export type HandlerInput<R extends RouteDef> = {
  body: R["body"] extends z.ZodType ? z.output<R["body"]> : undefined;
  query: R["query"] extends z.ZodType ? z.output<R["query"]> : undefined;
  params: Record<string, string>;
  auth: R["auth"] extends true ? AuthContext : AuthContext | undefined;
  req: Request;
  res: Response;
};

/**
 * Mounts a contract route on an Express router: validates path params (UUIDs), query and body
 * with the route's zod schemas, enforces sign-in, and sends the handler's result as JSON with
 * the route's status. Handlers stay thin: parse → service → contract.
 */
export function mount<R extends RouteDef>(
  router: Router,
  route: R,
  handler: (input: HandlerInput<R>) => Promise<z.input<R["response"]>>,
): void {
  const checkResponses = process.env.NODE_ENV !== "production";
  router[route.method](route.path, async (req: Request, res: Response) => {
    for (const [name, value] of Object.entries(req.params)) {
      if (!uuid.safeParse(value).success) throw badRequest(`Path parameter ${name} must be a UUID.`, "invalid_path_param");
    }
    if (route.auth && !req.auth) throw unauthorized();
    const body = route.body ? route.body.parse(req.body ?? {}) : undefined;
    const query = route.query ? route.query.parse(req.query) : undefined;
    const result = await handler({ body, query, params: req.params as Record<string, string>, auth: req.auth, req, res } as HandlerInput<R>);
    // In development and tests the response must match its contract; drift fails loudly there.
    const output = checkResponses ? route.response.parse(result) : result;
    res.status(route.status ?? 200).json(output);
  });
}
