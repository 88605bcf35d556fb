import type { z } from "zod";
import type { ErrorBody, PathParams, RouteDef } from "./route";

/** Thrown by the typed client for any non-2xx answer; carries the API's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body?.error.message ?? `Request failed with status ${status}`);
    this.name = "ApiError";
  }
  /** Field messages from a 400, keyed by field path. */
  fieldErrors(): Record<string, string> {
    return Object.fromEntries((this.body?.error.fields ?? []).map((f) => [f.path, f.message]));
  }
}

// `body`/`query` are optional keys of RouteDef, so R["body"] is `Schema | undefined`: strip the
// undefined before testing, and treat "no schema at all" (never) as no argument.
type SchemaOf<S> = [Exclude<S, undefined>] extends [never] ? undefined : Exclude<S, undefined> extends z.ZodType ? Exclude<S, undefined> : undefined;
type BodyArg<R extends RouteDef> = SchemaOf<R["body"]> extends z.ZodType ? { body: z.input<SchemaOf<R["body"]>> } : { body?: undefined };
type QueryArg<R extends RouteDef> = SchemaOf<R["query"]> extends z.ZodType ? { query?: z.input<SchemaOf<R["query"]>> } : { query?: undefined };
type ParamsArg<R extends RouteDef> = keyof PathParams<R["path"]> extends never ? { params?: undefined } : { params: PathParams<R["path"]> };
export type CallArgs<R extends RouteDef> = BodyArg<R> & QueryArg<R> & ParamsArg<R> & { signal?: AbortSignal };
export type CallResult<R extends RouteDef> = z.output<R["response"]>;

export type ApiClientOptions = {
  /** "" in the browser (same origin, proxied to the API), the API's URL elsewhere. */
  baseUrl?: string;
  fetch?: typeof fetch;
  headers?: () => Record<string, string>;
};

export function buildPath(path: string, params: Record<string, string> | undefined, query?: Record<string, unknown>): string {
  const filled = path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`Missing path parameter ${name} for ${path}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, value instanceof Date ? value.toISOString() : String(value));
  }
  const qs = search.toString();
  return qs ? `${filled}?${qs}` : filled;
}

/** Typed fetch client: `api.call(apiRoutes.auth.login, { body })`. Sends cookies. */
export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = options.baseUrl ?? "";
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  return {
    async call<R extends RouteDef>(route: R, args: CallArgs<R> = {} as CallArgs<R>): Promise<CallResult<R>> {
      const a = args as { body?: unknown; query?: Record<string, unknown>; params?: Record<string, string>; signal?: AbortSignal };
      const headers: Record<string, string> = { accept: "application/json", ...(options.headers?.() ?? {}) };
      if (a.body !== undefined) headers["content-type"] = "application/json";
      const res = await doFetch(baseUrl + buildPath(route.path, a.params, a.query), {
        method: route.method.toUpperCase(),
        headers,
        body: a.body === undefined ? undefined : JSON.stringify(a.body),
        credentials: "include",
        signal: a.signal,
      });
      const text = await res.text();
      const json: unknown = text ? safeJson(text) : null;
      if (!res.ok) throw new ApiError(res.status, isErrorBody(json) ? json : null);
      return json as CallResult<R>;
    },
  };
}
export type ApiClient = ReturnType<typeof createApiClient>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === "object" && value !== null && "error" in value && typeof (value as ErrorBody).error?.message === "string";
}
