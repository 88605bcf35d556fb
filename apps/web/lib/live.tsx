"use client";

import { useQueryClient, type QueryClient, type QueryKey } from "@tanstack/react-query";
import { type Agent, AgentSyncStatus, type CallResult, createLiveClient, type LiveClient, type LiveEvent, type LiveStatus } from "@voxanne/contracts";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { apiRoutes, callAuthed } from "./api";
import { routeKey } from "./query";

type LiveListener = {
  onEvent?: (event: LiveEvent) => void;
  /** After a reconnect (events sent while away are not replayed) or a server "resync"; the cache has been invalidated. */
  onResync?: () => void;
};

type LiveContextValue = {
  status: LiveStatus;
  subscribe: (listener: LiveListener) => () => void;
};

const LiveContext = createContext<LiveContextValue | null>(null);

/** Figures are re-read this long after the last of a burst of events: a burst costs one request. */
const STATS_DELAY_MS = 600;

/**
 * The cached answers an event makes stale. Events carry ids and small fields only, so what they
 * touch is re-read over REST. Pages patch what they show on top of this (`useLiveFeed`); the calls
 * list merges new calls in itself (features/calls/use-calls.ts), so here it is only marked stale,
 * to be re-read when it is next shown.
 */
function staleAfter(event: LiveEvent): { queryKey: QueryKey; delayMs: number; refetch?: false }[] {
  switch (event.type) {
    case "call.started":
    case "call.updated":
    case "call.ended":
      return [
        { queryKey: routeKey(apiRoutes.dashboard.stats), delayMs: STATS_DELAY_MS },
        { queryKey: routeKey(apiRoutes.calls.detail, { params: { callId: event.data.id } }), delayMs: 0 },
        { queryKey: routeKey(apiRoutes.calls.list), delayMs: 0, refetch: false },
      ];
    case "appointment.booked":
    case "appointment.cancelled":
      // A booking or cancellation may belong to any call: the one on screen is re-read, and so
      // are the calendar and its free slots (features/appointments).
      return [
        { queryKey: routeKey(apiRoutes.dashboard.stats), delayMs: STATS_DELAY_MS },
        { queryKey: routeKey(apiRoutes.calls.detail), delayMs: 0 },
        { queryKey: routeKey(apiRoutes.appointments.list), delayMs: 150 },
        { queryKey: routeKey(apiRoutes.appointments.slots), delayMs: 150 },
      ];
    case "contact.updated":
    // The live transcript is read from the event itself (features/calls/use-live-transcript.ts).
    case "call.transcript":
      return [];
    case "agent.sync":
      // The event carries the sync fields and patches them in (patchAgents). Once synced, the
      // assistant's Vapi id (needed by "Web test") may be new: re-read the receptionists.
      return event.data.syncStatus === "synced"
        ? [
            { queryKey: routeKey(apiRoutes.agents.list), delayMs: 0 },
            { queryKey: routeKey(apiRoutes.agents.get), delayMs: 0 },
          ]
        : [];
  }
}

type AgentSyncData = Extract<LiveEvent, { type: "agent.sync" }>["data"];

/**
 * An `agent.sync` event says everything about a receptionist's sync (status, error, last synced):
 * written straight into the cached receptionists, so the Receptionist page's badge follows the
 * sync as it happens without a request per step.
 */
function patchAgents(queryClient: QueryClient, data: AgentSyncData): void {
  const status = AgentSyncStatus.safeParse(data.syncStatus);
  if (!status.success) {
    // A status this dashboard does not know yet: ask the API.
    void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.agents.list) });
    void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.agents.get) });
    return;
  }
  const patch = (agent: Agent): Agent =>
    agent.role === data.role ? { ...agent, syncStatus: status.data, syncError: data.syncError, lastSyncedAt: data.lastSyncedAt } : agent;
  queryClient.setQueriesData<CallResult<typeof apiRoutes.agents.list>>(
    { queryKey: routeKey(apiRoutes.agents.list) },
    (old) => old && { ...old, agents: old.agents.map(patch) },
  );
  queryClient.setQueriesData<CallResult<typeof apiRoutes.agents.get>>(
    { queryKey: routeKey(apiRoutes.agents.get) },
    (old) => old && { ...old, agent: patch(old.agent) },
  );
}

/** Feeds live events into the query cache: `event()` for each one, `resync()` after a gap. */
function createCacheSync(queryClient: QueryClient) {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  return {
    event(event: LiveEvent) {
      if (event.type === "agent.sync") patchAgents(queryClient, event.data);
      for (const { queryKey, delayMs, refetch } of staleAfter(event)) {
        const id = JSON.stringify(queryKey);
        clearTimeout(timers.get(id));
        timers.set(
          id,
          setTimeout(() => {
            timers.delete(id);
            void queryClient.invalidateQueries({ queryKey, refetchType: refetch === false ? "none" : "active" });
          }, delayMs),
        );
      }
    },
    /** Events sent while away are not replayed: everything on screen is re-read. */
    resync() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      void queryClient.invalidateQueries({ predicate: (query) => query.meta?.resync !== false });
    },
    stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

/**
 * One `/ws` connection for the whole signed-in dashboard, so moving between pages does not drop
 * and re-open the feed. It starts when the first page subscribes (pages render only once the
 * session is known, and the ticket needs it) and ends with the dashboard (sign-out). Every event
 * marks the cached answers it changes stale (active ones are re-read), and a re-sync all of them.
 */
export function LiveProvider({ children }: { children: React.ReactNode }) {
  const [status, setStatus] = useState<LiveStatus>("idle");
  const listeners = useRef(new Set<LiveListener>());
  const client = useRef<LiveClient | null>(null);
  const queryClient = useQueryClient();
  const cache = useMemo(() => createCacheSync(queryClient), [queryClient]);

  useEffect(() => {
    return () => {
      client.current?.stop();
      client.current = null;
      cache.stop();
    };
  }, [cache]);

  const subscribe = useCallback(
    (listener: LiveListener) => {
      listeners.current.add(listener);
      if (!client.current && typeof window !== "undefined" && "WebSocket" in window) {
        client.current = createLiveClient({
          // A 401 here has already been through a silent refresh; the client then stops ("unauthorized").
          getTicket: () => callAuthed(apiRoutes.live.ticket),
          onEvent: (event) => {
            cache.event(event);
            for (const l of listeners.current) l.onEvent?.(event);
          },
          onResync: () => {
            cache.resync();
            for (const l of listeners.current) l.onResync?.();
          },
          onStatus: setStatus,
        });
        client.current.start();
      }
      return () => {
        listeners.current.delete(listener);
      };
    },
    [cache],
  );

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
