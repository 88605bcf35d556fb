"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { apiRoutes } from "@/lib/api";
import { routeKey, routeQuery } from "@/lib/query";

/** Members and open invites: one request. */
export function useTeam() {
  return useQuery(routeQuery(apiRoutes.team.get));
}

/** After a change: the team list and the audit log are re-read. */
export function useTeamChanged() {
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.team.get) });
    void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.audit.list) });
  }, [queryClient]);
}
