"use client";

import { useQuery } from "@tanstack/react-query";
import type { Me } from "@voxanne/contracts";
import { usePathname, useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { api, apiRoutes, describeProblem, SESSION_EXPIRED_EVENT, ApiError } from "./api";
import { routeQuery } from "./query";

type SessionState = { status: "loading" } | { status: "ready"; me: Me } | { status: "error"; message: string } | { status: "signed-out" };

type SessionContextValue = {
  state: SessionState;
  /** Fetch the session again (after an error, or after settings change the organization). */
  reload: () => void;
  /** Ends the session with the API, then leaves for /signin. Resolves with a message when it could not. */
  signOut: () => Promise<{ ok: true } | { ok: false; message: string }>;
};

const SessionContext = createContext<SessionContextValue | null>(null);

function signInUrl(pathname: string | null): string {
  return pathname && pathname !== "/" ? `/signin?next=${encodeURIComponent(pathname)}` : "/signin";
}

/** Loads the signed-in user and organization once for the whole dashboard. */
export function SessionProvider({ children }: { children: React.ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const [signedOut, setSignedOut] = useState(false);
  // Not live data: a live-feed re-sync leaves it alone.
  const me = useQuery({ ...routeQuery(apiRoutes.auth.me), meta: { resync: false } });
  const pathnameRef = useRef(pathname);
  pathnameRef.current = pathname;
  // Set while signing out: a request that was in flight when the cookies were cleared answers 401,
  // and must not turn the sign-out into "session expired, come back to this page" (?next=).
  const signingOut = useRef(false);

  const state = useMemo((): SessionState => {
    if (signedOut) return { status: "signed-out" };
    // A 401 has already fired SESSION_EXPIRED_EVENT, which leaves for /signin.
    const expired = me.error instanceof ApiError && me.error.status === 401;
    if (me.isError && !expired) return me.isFetching ? { status: "loading" } : { status: "error", message: describeProblem(me.error).message };
    return me.data ? { status: "ready", me: me.data } : { status: "loading" };
  }, [signedOut, me.data, me.error, me.isError, me.isFetching]);

  useEffect(() => {
    const onExpired = () => {
      if (signingOut.current) return;
      setSignedOut(true);
      router.replace(signInUrl(pathnameRef.current));
    };
    window.addEventListener(SESSION_EXPIRED_EVENT, onExpired);
    return () => window.removeEventListener(SESSION_EXPIRED_EVENT, onExpired);
  }, [router]);

  const { refetch } = me;
  const reload = useCallback(() => void refetch(), [refetch]);

  const signOut = useCallback(async (): Promise<{ ok: true } | { ok: false; message: string }> => {
    signingOut.current = true;
    try {
      await api.call(apiRoutes.auth.logout);
    } catch (err) {
      // The session cookies are httpOnly: only the API can clear them. If it did not answer, say so
      // rather than pretend the user is signed out. A 401 means the session was already gone.
      if (!(err instanceof ApiError && err.status === 401)) {
        signingOut.current = false;
        return { ok: false, message: `Could not sign out. ${describeProblem(err).message}` };
      }
    }
    setSignedOut(true);
    router.replace("/signin");
    return { ok: true };
  }, [router]);

  const value = useMemo(() => ({ state, reload, signOut }), [state, reload, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error("useSessionState must be used inside <SessionProvider>");
  return ctx;
}

/**
 * The signed-in user, organization and role. Only for components rendered inside the dashboard
 * shell, which renders its children once the session has loaded.
 */
export function useSession(): Me & Pick<SessionContextValue, "signOut" | "reload"> {
  const { state, signOut, reload } = useSessionState();
  if (state.status !== "ready") throw new Error("useSession is only available once the session has loaded");
  return { ...state.me, signOut, reload };
}
