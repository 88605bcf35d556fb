"use client";

import { createLiveClient, type LiveClient, type LiveEvent, type LiveStatus } from "@voxanne/contracts";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { apiRoutes, callAuthed } from "./api";

type LiveListener = {
  onEvent?: (event: LiveEvent) => void;
  /** After a reconnect (events sent while away are not replayed) or a server "resync": refetch. */
  onResync?: () => void;
};

type LiveContextValue = {
  status: LiveStatus;
  subscribe: (listener: LiveListener) => () => void;
};

const LiveContext = createContext<LiveContextValue | null>(null);

/**
 * One `/ws` connection for the whole signed-in dashboard, so moving between pages does not drop
 * and re-open the feed. It starts when the first page subscribes (pages render only once the
 * session is known, and the ticket needs it) and ends with the dashboard (sign-out).
 */
export function LiveProvider({ children }: { children: React.ReactNode }) {
  const [status, setStatus] = useState<LiveStatus>("idle");
  const listeners = useRef(new Set<LiveListener>());
  const client = useRef<LiveClient | null>(null);

  useEffect(() => {
    return () => {
      client.current?.stop();
      client.current = null;
    };
  }, []);

  const subscribe = useCallback((listener: LiveListener) => {
    listeners.current.add(listener);
    if (!client.current && typeof window !== "undefined" && "WebSocket" in window) {
      client.current = createLiveClient({
        // A 401 here has already been through a silent refresh; the client then stops ("unauthorized").
        getTicket: () => callAuthed(apiRoutes.live.ticket),
        onEvent: (event) => {
          for (const l of listeners.current) l.onEvent?.(event);
        },
        onResync: () => {
          for (const l of listeners.current) l.onResync?.();
        },
        onStatus: setStatus,
      });
      client.current.start();
    }
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const value = useMemo<LiveContextValue>(() => ({ status, subscribe }), [status, subscribe]);

  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/**
 * Subscribes the calling component to the live feed for as long as it is mounted and returns the
 * connection status. Handlers may change every render; the latest ones are called.
 */
export function useLiveFeed(handlers: LiveListener = {}): LiveStatus {
  const ctx = useContext(LiveContext);
  if (!ctx) throw new Error("useLiveFeed must be used inside <LiveProvider>");
  const latest = useRef(handlers);
  latest.current = handlers;
  const { subscribe } = ctx;
  useEffect(
    () =>
      subscribe({
        onEvent: (event) => latest.current.onEvent?.(event),
        onResync: () => latest.current.onResync?.(),
      }),
    [subscribe],
  );
  return ctx.status;
}
