import { infiniteQueryOptions, QueryClient, queryOptions } from "@tanstack/react-query";
import type { CallArgs, CallResult, RouteDef } from "@voxanne/contracts";
import type { z } from "zod";
import { callAuthed } from "./api";

declare module "@tanstack/react-query" {
  interface Register {
    queryMeta: {
      /**
       * `false`: a live-feed "resync" leaves this query alone — the session (not live data), or a
       * list whose page hook merges what changed into it itself (see features/calls/use-calls.ts).
       */
      resync?: false;
    };
  }
}

/**
 * The dashboard's cache. Failures are shown at once (the pages have their own "Try again"), and
 * nothing is refetched on focus or on the browser coming back online: the live feed says what
 * changed (lib/live.tsx), and re-syncs after a reconnect.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
    },
  });
}

type GetRoute = RouteDef<"get">;

/** What identifies one answer of a GET route: its path parameters and query (no body, no signal). */
export type RouteArgs<R extends RouteDef> = Omit<CallArgs<R>, "signal" | "body">;

/** `args` may be left out when the route has no required path parameter. */
type ArgsParam<R extends RouteDef> = object extends RouteArgs<R> ? [args?: RouteArgs<R>] : [args: RouteArgs<R>];

/**
 * Query keys come from the contract route: `[path]` covers every cached answer of the route (for
 * invalidation), `[path, args]` one answer. Keyset lists add a third element, so `[path, args]`
 * also covers a list's pages.
 */
export function routeKey<R extends GetRoute>(route: R, args?: RouteArgs<R>) {
  return args === undefined ? ([route.path] as const) : ([route.path, args] as const);
}

/** `useQuery(routeQuery(apiRoutes.dashboard.stats, { query: { range } }))`: one GET route, through `callAuthed`. */
export function routeQuery<R extends GetRoute>(route: R, ...[args]: ArgsParam<R>) {
  return queryOptions({
    queryKey: routeKey(route, args),
    queryFn: ({ signal }) => callAuthed(route, { ...args, signal } as CallArgs<R>),
  });
}

/** A page of a keyset-paginated route: pass `nextCursor` back as `cursor` for the next one. */
type KeysetPage = { nextCursor: string | null };

/**
 * `useInfiniteQuery(keysetQuery(apiRoutes.calls.list, { query }))`: a "Load more" list; each page
 * is fetched with the previous page's `nextCursor` as the `cursor` query parameter.
 */
export function keysetQuery<R extends GetRoute & { response: z.ZodType<KeysetPage> }>(route: R, args: RouteArgs<R>) {
  return infiniteQueryOptions({
    queryKey: [route.path, args, "keyset"] as const,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }): Promise<CallResult<R>> => {
      const query = { ...(args as { query?: object }).query, cursor: pageParam ?? undefined };
      return callAuthed(route, { ...args, query, signal } as CallArgs<R>);
    },
    getNextPageParam: (last: KeysetPage) => last.nextCursor,
  });
}
