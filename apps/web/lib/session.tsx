"use client";

import type { Me } from "@voxanne/contracts";
import { usePathname, useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { api, apiRoutes, callAuthed, describeProblem, SESSION_EXPIRED_EVENT, ApiError } from "./api";

type SessionState =
  | { status: "loading" }
  | { status: "ready"; me: Me }
  | { status: "error"; message: string }
  | { status: "signed-out" };

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
  const [state, setState] = useState<SessionState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const pathnameRef = useRef(pathname);
  pathnameRef.current = pathname;

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => (s.status === "ready" ? s : { status: "loading" }));
    callAuthed(apiRoutes.auth.me, { signal: controller.signal })
      .then((me) => setState({ status: "ready", me }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) return; // SESSION_EXPIRED_EVENT handles it
        setState({ status: "error", message: describeProblem(err).message });
      });
    return () => controller.abort();
  }, [attempt]);

  useEffect(() => {
    const onExpired = () => {
      setState({ status: "signed-out" });
      router.replace(signInUrl(pathnameRef.current));
    };
    window.addEventListener(SESSION_EXPIRED_EVENT, onExpired);
    return () => window.removeEventListener(SESSION_EXPIRED_EVENT, onExpired);
  }, [router]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const signOut = useCallback(async (): Promise<{ ok: true } | { ok: false; message: string }> => {
    try {
      await api.call(apiRoutes.auth.logout);
    } catch (err) {
      // The session cookies are httpOnly: only the API can clear them. If it did not answer, say so
      // rather than pretend the user is signed out. A 401 means the session was already gone.
      if (!(err instanceof ApiError && err.status === 401)) {
        return { ok: false, message: `Could not sign out. ${describeProblem(err).message}` };
      }
    }
    setState({ status: "signed-out" });
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
