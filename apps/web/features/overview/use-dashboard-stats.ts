"use client";

import type { DashboardStats, StatsRange } from "@voxanne/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { apiRoutes, callAuthed, describeProblem } from "@/lib/api";

export type StatsState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; stats: DashboardStats; range: StatsRange; refreshing: boolean; refreshError: string | null };

/**
 * `GET /api/dashboard/stats` for a range. `refresh()` refetches in the background (the figures on
 * screen stay until the new ones arrive); calls close together are coalesced into one request.
 */
export function useDashboardStats(range: StatsRange) {
  const [state, setState] = useState<StatsState>({ status: "loading" });
  const seq = useRef(0);
  const debounce = useRef<ReturnType<typeof setTimeout> | null>(null);
  const rangeRef = useRef(range);
  rangeRef.current = range;

  const load = useCallback(async (mode: "initial" | "background") => {
    const mine = ++seq.current;
    if (mode === "initial") setState({ status: "loading" });
    else setState((s) => (s.status === "ready" ? { ...s, refreshing: true } : s));
    try {
      const range = rangeRef.current;
      const stats = await callAuthed(apiRoutes.dashboard.stats, { query: { range } });
      if (mine !== seq.current) return;
      setState({ status: "ready", stats, range, refreshing: false, refreshError: null });
    } catch (err) {
      if (mine !== seq.current) return;
      const { message } = describeProblem(err);
      setState((s) => (s.status === "ready" && mode === "background" ? { ...s, refreshing: false, refreshError: message } : { status: "error", message }));
    }
  }, []);

  const loaded = useRef(false);
  useEffect(() => {
    // Switching the period keeps the current figures on screen until the new ones arrive.
    void load(loaded.current ? "background" : "initial");
    loaded.current = true;
    return () => {
      seq.current++;
    };
  }, [range, load]);

  useEffect(
    () => () => {
      if (debounce.current) clearTimeout(debounce.current);
    },
    [],
  );

  /** Background refresh, coalesced: a burst of live events costs one request. */
  const refresh = useCallback(
    (delayMs = 600) => {
      if (debounce.current) clearTimeout(debounce.current);
      debounce.current = setTimeout(() => {
        debounce.current = null;
        void load("background");
      }, delayMs);
    },
    [load],
  );

  const retry = useCallback(() => void load("initial"), [load]);

  return { state, refresh, retry };
}
