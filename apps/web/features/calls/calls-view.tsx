"use client";

import type { CallListItem } from "@voxanne/contracts";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ChevronDownIcon, CloseIcon, PhoneIcon, SearchIcon } from "@/components/icons";
import { LiveStatusBadge } from "@/features/live/live-status";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { LoadError } from "@/components/ui/load-error";
import { formatCount } from "@/lib/format";
import { useLiveFeed } from "@/lib/live";
import { useSession } from "@/lib/session";
import { CallDrawer } from "./call-drawer";
import { directionLabels } from "./call-badges";
import { CallsTable, CallsTableSkeleton } from "./calls-table";
import { EMPTY_FILTERS, filtersFromSearch, filtersToQuery, filtersToSearch, isFiltered, PERIOD_OPTIONS, STATUS_OPTIONS, type CallFilters } from "./filters";
import { useCalls } from "./use-calls";

/** Typing in the search box waits this long before asking the API. */
const SEARCH_DELAY_MS = 300;

/**
 * The calls page: filters (kept in the URL), the table with "Load more", live updates, and the
 * detail drawer (`?call=<id>`, so a call can be linked to from the overview).
 */
export function CallsView() {
  const me = useSession();
  const timeZone = me.organization.timezone;
  const searchParams = useSearchParams();
  const [filters, setFilters] = useState<CallFilters>(() => filtersFromSearch(new URLSearchParams(searchParams.toString())));
  const [searchText, setSearchText] = useState(filters.q);
  const [openCallId, setOpenCallId] = useState<string | null>(() => searchParams.get("call"));
  const openerRef = useRef<HTMLElement | null>(null);

  // A link to /calls?call=… while already on the page (e.g. from the feed) opens that call.
  const linkedCall = searchParams.get("call");
  useEffect(() => {
    if (linkedCall) setOpenCallId(linkedCall);
  }, [linkedCall]);

  useEffect(() => {
    if (searchText === filters.q) return;
    const timer = setTimeout(() => setFilters((f) => ({ ...f, q: searchText })), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchText, filters.q]);

  // Keep the address bar in step, without a navigation (history.replaceState).
  useEffect(() => {
    const next = `${window.location.pathname}${filtersToSearch(filters, { call: openCallId })}`;
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, "", next);
  }, [filters, openCallId]);

  const built = useMemo(() => filtersToQuery(filters, timeZone), [filters, timeZone]);
  const { state, fresh, retry, loadMore, live } = useCalls(built.ok ? built.query : null);
  // The open call is re-read when its events arrive (lib/live.tsx); the list merges them here.
  const status = useLiveFeed(live);

  const update = (patch: Partial<CallFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const clearAll = () => {
    setFilters(EMPTY_FILTERS);
    setSearchText("");
  };
  const filtered = isFiltered(filters) || searchText.trim() !== "";

  const openCall = useCallback((call: CallListItem, opener: HTMLElement) => {
    openerRef.current = opener;
    setOpenCallId(call.id);
  }, []);

  const closeCall = useCallback(() => {
    setOpenCallId(null);
    // The dialog gives focus back to the row's button; if that row was re-rendered meanwhile, find it again.
    const opener = openerRef.current;
    const callId = opener?.closest("tr")?.dataset.callId;
    requestAnimationFrame(() => {
      if (document.activeElement && document.activeElement !== document.body) return;
      if (opener?.isConnected) opener.focus();
      else if (callId) document.querySelector<HTMLElement>(`tr[data-call-id="${CSS.escape(callId)}"] button[data-open-call]`)?.focus();
    });
  }, []);

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Calls</h1>
          <p className="mt-1 text-sm text-fg-muted">Every call your receptionist handled, newest first. Choose one for its transcript and recording.</p>
        </div>
        <LiveStatusBadge status={status} />
      </header>

      <section aria-label="Filter calls" className="space-y-3 rounded-2xl border border-line bg-surface p-4 shadow-xs sm:p-5">
        <div className="relative">
          <label htmlFor="calls-search" className="sr-only">
            Search calls
          </label>
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4.5 -translate-y-1/2 text-fg-subtle" />
          <input
            id="calls-search"
            type="search"
            value={searchText}
            maxLength={100}
            onChange={(e) => setSearchText(e.target.value)}
            placeholder="Name, number or words said"
            className="block h-10 w-full rounded-lg border border-line-strong bg-surface pr-3 pl-10 text-sm text-fg shadow-xs placeholder:text-fg-subtle hover:border-fg-subtle focus:border-brand focus:ring-[3px] focus:ring-brand/20 focus:outline-none focus-visible:outline-none"
          />
        </div>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <FilterSelect label="Date" value={filters.period} onChange={(v) => update({ period: v as CallFilters["period"] })}>
            {PERIOD_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </FilterSelect>
          <FilterSelect label="Direction" value={filters.direction} onChange={(v) => update({ direction: v as CallFilters["direction"] })}>
            <option value="">All directions</option>
            {(["inbound", "outbound", "web"] as const).map((d) => (
              <option key={d} value={d}>
                {directionLabels[d]}
              </option>
            ))}
          </FilterSelect>
          <FilterSelect label="Status" value={filters.status} onChange={(v) => update({ status: v as CallFilters["status"] })}>
            <option value="">All statuses</option>
            {STATUS_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </FilterSelect>
          <FilterSelect label="Sentiment" value={filters.sentiment} onChange={(v) => update({ sentiment: v as CallFilters["sentiment"] })}>
            <option value="">All sentiment</option>
            <option value="positive">Positive</option>
            <option value="neutral">Neutral</option>
            <option value="negative">Negative</option>
          </FilterSelect>
        </div>
        {filters.period === "custom" ? (
          <div className="grid grid-cols-2 gap-3 md:max-w-md">
            <DateInput label="From" value={filters.fromDay} max={filters.toDay || undefined} onChange={(v) => update({ fromDay: v })} />
            <DateInput label="To" value={filters.toDay} min={filters.fromDay || undefined} onChange={(v) => update({ toDay: v })} />
          </div>
        ) : null}
        {!built.ok ? (
          <p className="text-sm text-danger" role="alert">
            {built.message}
          </p>
        ) : null}
        {filtered ? (
          <div className="flex justify-end">
            <Button variant="ghost" size="sm" onClick={clearAll}>
              <CloseIcon className="size-4" />
              Clear filters
            </Button>
          </div>
        ) : null}
      </section>

      {!built.ok ? null : state.status === "loading" ? (
        <div aria-busy="true">
          <p role="status" className="sr-only">
            Loading calls…
          </p>
          <CallsTableSkeleton />
        </div>
      ) : state.status === "error" ? (
        <LoadError title="We couldn't load your calls" message={state.message} onRetry={retry} />
      ) : state.items.length === 0 ? (
        <EmptyState filtered={filtered} onClear={clearAll} />
      ) : (
        <div className="space-y-4">
          <CallsTable items={state.items} fresh={fresh} timeZone={timeZone} selectedId={openCallId} onOpen={openCall} />
          <div className="flex flex-col items-center gap-3">
            <p className="text-sm text-fg-subtle" aria-live="polite" data-testid="calls-count">
              Showing {formatCount(state.items.length)} {state.items.length === 1 ? "call" : "calls"}
              {state.nextCursor ? "" : filtered ? " — all that match" : " — that's all of them"}
            </p>
            {state.moreError ? (
              <Alert tone="danger" className="w-full max-w-md">
                {state.moreError}
              </Alert>
            ) : null}
            {state.nextCursor ? (
              <Button variant="secondary" onClick={loadMore} loading={state.loadingMore} loadingLabel="Loading…">
                <ChevronDownIcon className="size-4" />
                Load more
              </Button>
            ) : null}
          </div>
        </div>
      )}

      <CallDrawer callId={openCallId} timeZone={timeZone} onClose={closeCall} />
    </div>
  );
}

function FilterSelect({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: React.ReactNode }) {
  const active = value !== "" && value !== "any";
  const id = `calls-filter-${label.toLowerCase()}`;
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={id} className="text-xs font-medium text-fg-muted">
        {label}
      </label>
      <div className="relative">
        <select
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className={cx(
            "block h-10 w-full appearance-none truncate rounded-lg border bg-surface pr-9 pl-3 text-sm text-fg shadow-xs focus:border-brand focus:ring-[3px] focus:ring-brand/20 focus:outline-none focus-visible:outline-none",
            active ? "border-brand/60 bg-brand-soft/40" : "border-line-strong hover:border-fg-subtle",
          )}
        >
          {children}
        </select>
        <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-fg-subtle" />
      </div>
    </div>
  );
}

function DateInput({ label, value, min, max, onChange }: { label: string; value: string; min?: string; max?: string; onChange: (value: string) => void }) {
  const id = `calls-filter-${label.toLowerCase()}`;
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={id} className="text-xs font-medium text-fg-muted">
        {label}
      </label>
      <input
        id={id}
        type="date"
        value={value}
        min={min}
        max={max}
        onChange={(e) => onChange(e.target.value)}
        className="block h-10 w-full rounded-lg border border-line-strong bg-surface px-3 text-sm text-fg shadow-xs focus:border-brand focus:ring-[3px] focus:ring-brand/20 focus:outline-none focus-visible:outline-none"
      />
    </div>
  );
}

function EmptyState({ filtered, onClear }: { filtered: boolean; onClear: () => void }) {
  return (
    <div className="flex flex-col items-center rounded-2xl border border-dashed border-line-strong bg-surface px-6 py-14 text-center" data-testid="calls-empty">
      <span className="flex size-12 items-center justify-center rounded-full bg-brand-soft text-brand-text">
        {filtered ? <SearchIcon className="size-5.5" /> : <PhoneIcon className="size-5.5" />}
      </span>
      <h2 className="mt-4 text-base font-semibold">{filtered ? "No calls match these filters" : "No calls yet"}</h2>
      <p className="mt-1 max-w-sm text-sm text-fg-muted">
        {filtered
          ? "Try a wider date range or fewer filters."
          : "When your receptionist answers or makes a call, it appears here the moment it starts — no need to refresh."}
      </p>
      {filtered ? (
        <Button variant="secondary" size="sm" className="mt-5" onClick={onClear}>
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
