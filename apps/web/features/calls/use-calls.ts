"use client";

import type { CallListItem, CallsQuery, LiveCall, LiveContact } from "@voxanne/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { apiRoutes, callAuthed, describeProblem } from "@/lib/api";

type Query = Omit<CallsQuery, "cursor">;

export type CallsState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; items: CallListItem[]; nextCursor: string | null; loadingMore: boolean; moreError: string | null };

const byNewest = (a: CallListItem, b: CallListItem) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || (a.id < b.id ? 1 : -1);

/** What a live call event can tell us about a row without a refetch. */
function patchFromLive(row: CallListItem, live: LiveCall): CallListItem {
  return {
    ...row,
    status: live.status,
    startedAt: live.startedAt ? new Date(live.startedAt).toISOString() : row.startedAt,
    endedAt: live.endedAt ? new Date(live.endedAt).toISOString() : row.endedAt,
    durationSeconds: live.durationSeconds ?? row.durationSeconds,
    sentimentLabel: live.sentimentLabel ?? row.sentimentLabel,
    bookingConfirmed: live.bookingConfirmed,
    financialValue: Number(live.financialValue),
    leadScore: live.leadScore ?? row.leadScore,
    leadTemperature: live.leadTemperature ?? row.leadTemperature,
    urgency: live.urgency,
    isEmergency: live.isEmergency,
    recordingStatus: live.recordingStatus,
    analyzed: live.analyzed,
  };
}

/**
 * The calls list for a query: first page, "Load more" (keyset cursor), and live changes. A live
 * event patches its row at once; the first page is then re-read (coalesced) and merged, which is
 * how new calls that match the filters — including the search — appear at the top.
 */
export function useCalls(query: Query | null) {
  const [state, setState] = useState<CallsState>({ status: "loading" });
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const stateRef = useRef(state);
  stateRef.current = state;
  const queryRef = useRef(query);
  queryRef.current = query;
  const generation = useRef(0);
  const headTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const key = JSON.stringify(query);

  const markFresh = useCallback((ids: string[]) => {
    if (ids.length === 0) return;
    setFresh((s) => new Set([...s, ...ids]));
    setTimeout(() => setFresh((s) => new Set([...s].filter((id) => !ids.includes(id)))), 4000);
  }, []);

  const loadFirst = useCallback(async () => {
    const q = queryRef.current;
    const mine = ++generation.current;
    if (!q) return;
    setState({ status: "loading" });
    try {
      const page = await callAuthed(apiRoutes.calls.list, { query: q });
      if (mine !== generation.current) return;
      setState({ status: "ready", items: page.items, nextCursor: page.nextCursor, loadingMore: false, moreError: null });
    } catch (err) {
      if (mine !== generation.current) return;
      setState({ status: "error", message: describeProblem(err).message });
    }
  }, []);

  useEffect(() => {
    void loadFirst();
  }, [key, loadFirst]);

  useEffect(
    () => () => {
      generation.current++;
      if (headTimer.current) clearTimeout(headTimer.current);
    },
    [],
  );

  const loadMore = useCallback(async () => {
    const q = queryRef.current;
    const mine = generation.current;
    const current = stateRef.current;
    if (!q || current.status !== "ready" || !current.nextCursor || current.loadingMore) return;
    const cursor = current.nextCursor;
    setState((s) => (s.status === "ready" ? { ...s, loadingMore: true, moreError: null } : s));
    try {
      const page = await callAuthed(apiRoutes.calls.list, { query: { ...q, cursor } });
      if (mine !== generation.current) return;
      setState((s) => {
        if (s.status !== "ready") return s;
        const seen = new Set(s.items.map((i) => i.id));
        return { ...s, items: [...s.items, ...page.items.filter((i) => !seen.has(i.id))], nextCursor: page.nextCursor, loadingMore: false };
      });
    } catch (err) {
      if (mine !== generation.current) return;
      setState((s) => (s.status === "ready" ? { ...s, loadingMore: false, moreError: describeProblem(err).message } : s));
    }
  }, []);

  /** Re-reads the first page and merges it: updated rows replaced, new ones added on top. */
  const refreshHead = useCallback(
    (delayMs = 400) => {
      if (headTimer.current) clearTimeout(headTimer.current);
      headTimer.current = setTimeout(async () => {
        headTimer.current = null;
        const q = queryRef.current;
        const mine = generation.current;
        if (!q) return;
        try {
          const page = await callAuthed(apiRoutes.calls.list, { query: q });
          if (mine !== generation.current) return;
          const arrivalsOf = (s: CallsState & { status: "ready" }) => {
            const known = new Set(s.items.map((i) => i.id));
            const newest = s.items[0] ? Date.parse(s.items[0].startedAt) : -Infinity;
            // Unseen rows that started after our newest are new calls; older unseen rows belong
            // to pages not loaded yet (unless everything is loaded).
            return page.items.filter((i) => !known.has(i.id) && (s.nextCursor === null || Date.parse(i.startedAt) >= newest));
          };
          const before = stateRef.current;
          const added = before.status === "ready" ? arrivalsOf(before).map((i) => i.id) : [];
          setState((s) => {
            if (s.status !== "ready") return s;
            const head = new Map(page.items.map((i) => [i.id, i]));
            const items = [...arrivalsOf(s), ...s.items.map((i) => head.get(i.id) ?? i)].sort(byNewest);
            return { ...s, items };
          });
          markFresh(added);
        } catch {
          // The rows already patched from the live event stay; the next event or a reload catches up.
        }
      }, delayMs);
    },
    [markFresh],
  );

  const applyLiveCall = useCallback(
    (live: LiveCall) => {
      setState((s) => (s.status === "ready" && s.items.some((i) => i.id === live.id) ? { ...s, items: s.items.map((i) => (i.id === live.id ? patchFromLive(i, live) : i)) } : s));
      refreshHead();
    },
    [refreshHead],
  );

  const applyLiveContact = useCallback((contact: LiveContact) => {
    setState((s) =>
      s.status === "ready" && s.items.some((i) => i.contact?.id === contact.id)
        ? {
            ...s,
            items: s.items.map((i) =>
              i.contact?.id === contact.id
                ? { ...i, contact: { ...i.contact, name: contact.name, phone: contact.phone, leadStatus: contact.leadStatus, leadScore: contact.leadScore, leadTemperature: contact.leadTemperature } }
                : i,
            ),
          }
        : s,
    );
  }, []);

  return { state, fresh, retry: loadFirst, loadMore, refreshHead, applyLiveCall, applyLiveContact };
}
