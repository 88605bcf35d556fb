"use client";

import { useQuery } from "@tanstack/react-query";
import type { DashboardStats, StatsRange } from "@voxanne/contracts";
import { useCallback, useState } from "react";
import { apiRoutes, describeProblem } from "@/lib/api";
import { routeQuery } from "@/lib/query";

export type StatsState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; stats: DashboardStats; range: StatsRange; refreshing: boolean; refreshError: string | null };

/**
 * `GET /api/dashboard/stats` for a range. Live events refresh it in the background (lib/live.tsx):
 * the figures on screen stay until the new ones arrive. Switching the period keeps the current
 * figures on screen (with `range` saying which period they are for) until the new ones arrive.
 */
export function useDashboardStats(range: StatsRange) {
  const query = useQuery(routeQuery(apiRoutes.dashboard.stats, { query: { range } }));
  // The figures last shown, for while another period loads (or fails to).
  const [shown, setShown] = useState<{ stats: DashboardStats; range: StatsRange } | null>(null);
  if (query.data && (shown?.stats !== query.data || shown.range !== range)) setShown({ stats: query.data, range });

  const { refetch } = query;
  /** Re-reads the figures now (after a failure, or from the "may be out of date" warning). */
  const refresh = useCallback(() => void refetch(), [refetch]);

  let state: StatsState;
  const problem = query.isError ? describeProblem(query.error).message : null;
  if (query.data) {
    state = { status: "ready", stats: query.data, range, refreshing: query.isFetching, refreshError: problem };
  } else if (shown && (query.isFetching || problem)) {
    state = { status: "ready", stats: shown.stats, range: shown.range, refreshing: query.isFetching, refreshError: problem };
  } else if (problem) {
    state = { status: "error", message: problem };
  } else {
    state = { status: "loading" };
  }

  return { state, refresh };
}
