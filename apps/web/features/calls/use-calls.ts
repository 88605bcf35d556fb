"use client";

import { useInfiniteQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import type { CallListItem, CallsPage, CallsQuery, LiveCall, LiveContact, LiveEvent } from "@voxanne/contracts";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { apiRoutes, describeProblem } from "@/lib/api";
import { keysetQuery, routeQuery } from "@/lib/query";

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

function patchContact(row: CallListItem, contact: LiveContact): CallListItem {
  if (row.contact?.id !== contact.id) return row;
  const { name, phone, leadStatus, leadScore, leadTemperature } = contact;
  return { ...row, contact: { ...row.contact, name, phone, leadStatus, leadScore, leadTemperature } };
}

type Pages = InfiniteData<CallsPage>;

/** The loaded pages as one list; a row that shows up again on a later page is kept once. */
function flatten(data: Pages): CallListItem[] {
  const seen = new Set<string>();
  return data.pages.flatMap((page) => page.items.filter((i) => !seen.has(i.id) && seen.add(i.id)));
}

function mapRows(data: Pages, patch: (row: CallListItem) => CallListItem): Pages {
  return { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.map(patch) })) };
}

/**
 * Merges a fresh first page into the loaded pages: updated rows replaced, new calls added on top
 * (the first page grows; the cursors of the pages stay). Returns the ids of the new calls.
 */
function mergeHead(data: Pages, head: CallsPage): { data: Pages; added: string[] } {
  const rows = data.pages.flatMap((page) => page.items);
  const known = new Set(rows.map((i) => i.id));
  const newest = rows.reduce((max, i) => Math.max(max, Date.parse(i.startedAt)), -Infinity);
  const allLoaded = data.pages[data.pages.length - 1]?.nextCursor === null;
  // Unseen rows that started after our newest are new calls; older unseen rows belong to pages
  // not loaded yet (unless everything is loaded).
  const arrivals = head.items.filter((i) => !known.has(i.id) && (allLoaded || Date.parse(i.startedAt) >= newest));
  const fresh = new Map(head.items.map((i) => [i.id, i]));
  const merged = [...arrivals, ...rows.map((i) => fresh.get(i.id) ?? i)].sort(byNewest);
  let offset = 0;
  const pages = data.pages.map((page, n) => {
    const size = page.items.length + (n === 0 ? arrivals.length : 0);
    offset += size;
    return { ...page, items: merged.slice(offset - size, offset) };
  });
  return { data: { ...data, pages }, added: arrivals.map((i) => i.id) };
}

/**
 * The calls list for a query: first page, "Load more" (keyset cursor), and live changes. A live
 * event patches its row at once; the first page is then re-read (coalesced) and merged, which is
 * how new calls that match the filters — including the search — appear at the top, marked fresh
 * for a few seconds. Pass `live` to `useLiveFeed`.
 */
export function useCalls(query: Query | null) {
  const queryClient = useQueryClient();
  // `query` is null while the filters are invalid: nothing is fetched.
  const options = keysetQuery(apiRoutes.calls.list, { query: query ?? undefined });
  const list = useInfiniteQuery({ ...options, enabled: query !== null, meta: { resync: false } });
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const headTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ query, key: options.queryKey });
  latest.current = { query, key: options.queryKey };

  useEffect(
    () => () => {
      if (headTimer.current) clearTimeout(headTimer.current);
    },
    [],
  );

  const markFresh = useCallback((ids: string[]) => {
    if (ids.length === 0) return;
    setFresh((s) => new Set([...s, ...ids]));
    setTimeout(() => setFresh((s) => new Set([...s].filter((id) => !ids.includes(id)))), 4000);
  }, []);

  /** Re-reads the first page and merges it into the list on screen. */
  const refreshHead = useCallback(
    (delayMs = 400) => {
      if (headTimer.current) clearTimeout(headTimer.current);
      headTimer.current = setTimeout(async () => {
        headTimer.current = null;
        const { query, key } = latest.current;
        if (!query) return;
        try {
          const head = await queryClient.fetchQuery(routeQuery(apiRoutes.calls.list, { query }));
          // "Load more" answering now would overwrite the merge: merge after it.
          if (queryClient.isFetching({ queryKey: key, exact: true })) return refreshHead();
          const current = queryClient.getQueryData(key);
          if (!current) return;
          const { data, added } = mergeHead(current, head);
          queryClient.setQueryData(key, data);
          markFresh(added);
        } catch {
          // The rows already patched from the live event stay; the next event or a reload catches up.
        }
      }, delayMs);
    },
    [queryClient, markFresh],
  );

  const patchRows = useCallback(
    (patch: (row: CallListItem) => CallListItem) => queryClient.setQueryData(latest.current.key, (data) => data && mapRows(data, patch)),
    [queryClient],
  );

  const live = useMemo(
    () => ({
      onEvent: (event: LiveEvent) => {
        if (event.type === "call.started" || event.type === "call.updated" || event.type === "call.ended") {
          const call = event.data;
          patchRows((row) => (row.id === call.id ? patchFromLive(row, call) : row));
          refreshHead();
        } else if (event.type === "contact.updated") {
          patchRows((row) => patchContact(row, event.data));
        }
      },
      onResync: () => refreshHead(0),
    }),
    [patchRows, refreshHead],
  );

  const items = useMemo(() => list.data && flatten(list.data), [list.data]);
  let state: CallsState;
  if (list.data && items) {
    state = {
      status: "ready",
      items,
      nextCursor: list.data.pages[list.data.pages.length - 1]?.nextCursor ?? null,
      loadingMore: list.isFetchingNextPage,
      moreError: list.isFetchNextPageError && !list.isFetchingNextPage ? describeProblem(list.error).message : null,
    };
  } else if (list.isError) {
    state = { status: "error", message: describeProblem(list.error).message };
  } else {
    state = { status: "loading" };
  }

  const { refetch, fetchNextPage, hasNextPage, isFetchingNextPage } = list;
  const retry = useCallback(() => void refetch(), [refetch]);
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return { state, fresh, retry, loadMore, live };
}
