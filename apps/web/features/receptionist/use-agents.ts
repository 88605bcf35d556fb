"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { Agent, AgentRole, AgentSettings, CallResult } from "@voxanne/contracts";
import { useCallback } from "react";
import { apiRoutes, callAuthed } from "@/lib/api";
import { routeKey, routeQuery } from "@/lib/query";

type AgentsList = CallResult<typeof apiRoutes.agents.list>;

/**
 * Both receptionists, the options to choose from and whether Vapi is configured: one request.
 * Their sync status is kept current by `agent.sync` live events (lib/live.tsx).
 */
export function useAgents() {
  return useQuery(routeQuery(apiRoutes.agents.list));
}

/**
 * Saves one receptionist. The answer (sync status pending, or not_configured) goes into the cache
 * at once, so the status badge and the prompt preview show it; the list is then re-read, in case
 * a sync event overtook the answer.
 */
export function useSaveAgent(role: AgentRole) {
  const queryClient = useQueryClient();
  return useCallback(
    async (body: AgentSettings): Promise<Agent> => {
      const saved = await callAuthed(apiRoutes.agents.save, { params: { role }, body });
      queryClient.setQueryData<AgentsList>(routeKey(apiRoutes.agents.list), (old) =>
        old ? { ...old, agents: old.agents.map((a) => (a.role === role ? saved : a)) } : old,
      );
      void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.agents.list) });
      void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.agents.get) });
      return saved;
    },
    [queryClient, role],
  );
}
