import { z } from "zod";
import type { RouteAccess } from "./roles";

/**
 * One HTTP endpoint, described once. Express validates with `body`/`query`/`params`,
 * the typed client derives its argument and result types from it, and the OpenAPI
 * document is generated from the same objects.
 */
export type RouteDef<
  M extends "get" | "post" | "put" | "patch" | "delete" = "get" | "post" | "put" | "patch" | "delete",
  P extends string = string,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
  A extends RouteAccess = RouteAccess,
> = {
  method: M;
  path: P;
  summary: string;
  tag: string;
  body?: B;
  query?: Q;
  /** Path parameters that are not UUIDs (e.g. `:role`); without it every path parameter must be a UUID. */
  params?: z.ZodObject;
  response: R;
  /** Status of a successful response (default 200). */
  status?: number;
  /**
   * A browser navigation (e.g. an OAuth hop): the handler returns `{ location }` (the `response`
   * schema is `Redirect`) and the answer is a 302 to it instead of JSON.
   */
  redirect?: boolean;
  /**
   * Who may call it (required): "public", "webhook", "operator" or the clinic roles allowed,
   * e.g. `["owner", "admin"]`. `mount()` answers 401 without a session and 403 for other roles.
   */
  access: A;
  /**
   * What the route does, as a verb phrase, for the refusal a member without the role reads:
   * "Only the clinic's owner or an admin can <action>." Defaults to a phrase built from `summary`.
   */
  action?: string;
};

export function defineRoute<
  const M extends "get" | "post" | "put" | "patch" | "delete",
  const P extends string,
  R extends z.ZodType,
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  // Captured as a literal so route handlers know `auth` is present on routes that need a session.
  const A extends RouteAccess = RouteAccess,
>(def: RouteDef<M, P, B, Q, R, A>): RouteDef<M, P, B, Q, R, A> {
  return def;
}

/** `/api/calls/:callId` → `{ callId: string }` */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

/** Body of every 4xx/5xx response. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe("Stable machine-readable code, e.g. validation_failed, unauthorized"),
    message: z.string().describe("A sentence a person can act on"),
    requestId: z.string().optional(),
    fields: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("Per-field problems for validation errors"),
    alternatives: z.array(z.string()).optional().describe("For a taken or unbookable slot: the next free starts (ISO 8601)"),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Uuid = z.uuid({ message: "must be a UUID" });
// Year 0000 passes the ISO pattern but exists neither in PostgreSQL nor in the calendar.
export const IsoDateTime = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time" })
  .refine((s) => !s.startsWith("0000"), { message: "must be an ISO 8601 date-time from year 0001 on" });
export const Ok = z.object({ ok: z.literal(true) });
/** What a `redirect: true` route's handler returns: where the browser goes next. */
export const Redirect = z.object({ location: z.string().min(1) });
