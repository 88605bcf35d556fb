import { ApiError, apiRoutes, createApiClient, type CallArgs, type CallResult, type RouteDef } from "@voxanne/contracts";

export { ApiError, apiRoutes };

/**
 * The browser's API client. `baseUrl: ""` keeps every call same-origin (`/api/*` is forwarded to the
 * API by proxy.ts), so the session cookies are first-party and httpOnly.
 */
export const api = createApiClient({ baseUrl: "" });

/** Fired on `window` when the session is gone and cannot be renewed; the dashboard shell sends the user to /signin. */
export const SESSION_EXPIRED_EVENT = "voxanne:session-expired";

let refreshInFlight: Promise<boolean> | null = null;

/**
 * Rotates the session with the refresh cookie. Concurrent callers share one request, because the
 * API rotates (and revokes) the refresh token on every use.
 */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= api
    .call(apiRoutes.auth.refresh, { body: {} })
    .then(() => true)
    .catch((err: unknown) => {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) return false;
      throw err;
    })
    .finally(() => {
      refreshInFlight = null;
    });
  return refreshInFlight;
}

/**
 * Calls a signed-in route. An expired access token is renewed once and the call retried; if the
 * session cannot be renewed, SESSION_EXPIRED_EVENT is fired and the 401 is rethrown.
 */
export async function callAuthed<R extends RouteDef>(route: R, args?: CallArgs<R>): Promise<CallResult<R>> {
  try {
    return await api.call(route, args);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
  }
  if (await refreshSession()) {
    try {
      return await api.call(route, args);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
    }
  }
  if (typeof window !== "undefined") window.dispatchEvent(new Event(SESSION_EXPIRED_EVENT));
  throw new ApiError(401, { error: { code: "unauthorized", message: "Your session has ended. Sign in to continue." } });
}

export type ProblemKind = "unreachable" | "server" | "rate_limited" | "client";

/** Sorts any failure of an API call into what the user should be told. */
export function describeProblem(err: unknown): { kind: ProblemKind; message: string } {
  if (err instanceof ApiError) {
    if (err.status === 429) {
      return { kind: "rate_limited", message: err.body?.error.message ?? "Too many attempts. Wait a few minutes and try again." };
    }
    // No JSON error body means the answer did not come from the API (e.g. the proxy could not reach it).
    if (err.status >= 500 || err.body === null) {
      return {
        kind: err.body === null ? "unreachable" : "server",
        message: err.body === null ? "We can't reach the Voxanne service right now. Check that the API is running, then try again." : err.body.error.message,
      };
    }
    return { kind: "client", message: err.body.error.message };
  }
  if (err instanceof TypeError || (err instanceof Error && err.name === "TypeError")) {
    return { kind: "unreachable", message: "We can't reach Voxanne. Check your internet connection, then try again." };
  }
  return { kind: "server", message: "Something unexpected went wrong. Try again in a moment." };
}
