"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { DashboardStats, LiveEvent, StatsRange } from "@voxanne/contracts";
import { useCallback, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { cx } from "@/components/ui/cx";
import { LoadError } from "@/components/ui/load-error";
import { Spinner } from "@/components/ui/spinner";
import { apiRoutes } from "@/lib/api";
import { formatCount } from "@/lib/format";
import { useLiveFeed } from "@/lib/live";
import { routeQuery } from "@/lib/query";
import { useSession } from "@/lib/session";
import { CallsChart, CallsChartSkeleton } from "./calls-chart";
import { ClinicCard } from "./clinic-card";
import { GettingStarted } from "./getting-started";
import { KpiCards, KpiCardsSkeleton } from "./kpi-cards";
import { LiveFeed, useFeed } from "./live-feed";
import { RecentActivity } from "./recent-activity";
import { useDashboardStats } from "./use-dashboard-stats";

const RANGES: { value: StatsRange; label: string; long: string }[] = [
  { value: "today", label: "Today", long: "today" },
  { value: "7d", label: "7 days", long: "in the last 7 days" },
  { value: "30d", label: "30 days", long: "in the last 30 days" },
  { value: "90d", label: "90 days", long: "in the last 90 days" },
];

function firstName(fullName: string | null): string | null {
  const first = fullName?.trim().split(/\s+/)[0];
  return first && !/^dr\.?$/i.test(first) ? first : (fullName?.trim() ?? null);
}

/**
 * The dashboard home. With call history: KPIs for the chosen period, calls per day, the live feed
 * and recent activity. Before the first call: the setup checklist, with the live feed beside it so
 * the first call is seen arriving. Live events update the feed at once; the figures are refreshed
 * by the live feed's cache sync (lib/live.tsx).
 */
export function DashboardOverview() {
  const me = useSession();
  const [range, setRange] = useState<StatsRange>("30d");
  const { state, refresh } = useDashboardStats(range);
  const feed = useFeed();
  const queryClient = useQueryClient();
  const lookedUp = useRef(new Set<string>());

  /** Live call events carry ids only; ask once per call who the caller is, for the feed's wording. */
  const lookUpCaller = useCallback(
    (event: LiveEvent) => {
      if (!event.type.startsWith("call.")) return;
      const call = event.data as { id: string; contactId: string | null };
      if (!call.contactId || feed.people[call.contactId] || lookedUp.current.has(call.id)) return;
      lookedUp.current.add(call.id);
      queryClient
        .fetchQuery(routeQuery(apiRoutes.calls.detail, { params: { callId: call.id } }))
        .then((detail) => {
          if (detail.contact) feed.addPeople({ [detail.contact.id]: { name: detail.contact.name, phone: detail.contact.phone } });
        })
        .catch(() => {
          lookedUp.current.delete(call.id); // try again on the call's next event
        });
    },
    [feed, queryClient],
  );

  const status = useLiveFeed({
    onEvent: (event) => {
      feed.push(event);
      lookUpCaller(event);
    },
    onResync: () => feed.notice("Live feed reconnected; the figures were refreshed."),
  });

  const name = firstName(me.user.fullName);
  const hasCalls = state.status === "ready" && (state.stats.totalCalls > 0 || state.stats.recentActivity.length > 0);
  const shownRange = RANGES.find((r) => r.value === (state.status === "ready" ? state.range : range))!;

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-balance">{name ? `Welcome, ${name}` : "Welcome to Voxanne"}</h1>
          <p className="mt-1.5 text-sm text-fg-muted">
            {state.status === "ready" && !hasCalls ? (
              <>
                Here&apos;s where <span className="font-medium text-fg">{me.organization.name}</span> stands. Finish the steps below to let your AI receptionist
                answer calls.
              </>
            ) : state.status === "ready" ? (
              <>
                Your receptionist handled <span className="font-medium text-fg">{formatCount(state.stats.totalCalls)}</span>{" "}
                {state.stats.totalCalls === 1 ? "call" : "calls"} {shownRange.long}.
              </>
            ) : (
              <>How your AI receptionist is doing at {me.organization.name}.</>
            )}
          </p>
        </div>
        {state.status !== "ready" || hasCalls ? (
          <div className="flex items-center gap-3">
            {state.status === "ready" && state.range !== range ? <Spinner className="size-4 text-fg-subtle" label="Updating the figures" /> : null}
            <RangePicker value={range} onChange={setRange} />
          </div>
        ) : null}
      </header>

      {state.status === "ready" && state.refreshError ? (
        <Alert tone="warning" title="These figures may be out of date">
          {state.refreshError}{" "}
          <button type="button" className="font-medium underline underline-offset-2" onClick={refresh}>
            Refresh
          </button>
        </Alert>
      ) : null}

      {state.status === "loading" ? (
        <div className="space-y-6" aria-busy="true">
          <p role="status" className="sr-only">
            Loading your dashboard…
          </p>
          <KpiCardsSkeleton />
          <div className="grid gap-6 lg:grid-cols-3">
            <div className="lg:col-span-2">
              <CallsChartSkeleton />
            </div>
            <div className="h-[22rem] animate-pulse rounded-2xl border border-line bg-surface" aria-hidden="true" />
          </div>
        </div>
      ) : state.status === "error" ? (
        <div className="space-y-6">
          <LoadError title="We couldn't load your figures" message={state.message} onRetry={refresh} />
          <LiveFeed entries={feed.entries} people={feed.people} status={status} />
        </div>
      ) : !hasCalls ? (
        <div className="grid items-start gap-6 lg:grid-cols-3">
          <div className="lg:col-span-2">
            <GettingStarted me={me} />
          </div>
          <div className="space-y-6">
            <LiveFeed entries={feed.entries} people={feed.people} status={status} />
            <ClinicCard me={me} />
          </div>
        </div>
      ) : (
        <>
          <KpiCards stats={state.stats} refreshing={state.refreshing} />
          <div className="grid gap-6 lg:grid-cols-3">
            <div className="min-w-0 lg:col-span-2">
              <CallsChart daily={state.stats.daily} />
            </div>
            <LiveFeed
              entries={feed.entries}
              people={feed.people}
              status={status}
              liveCalls={state.stats.liveCalls}
              className="max-h-[28rem] lg:h-[27rem] lg:max-h-none"
            />
          </div>
          <div className="grid items-start gap-6 lg:grid-cols-3">
            <RecentActivity items={state.stats.recentActivity} className="lg:col-span-2" />
            <SentimentCard stats={state.stats} />
          </div>
        </>
      )}
    </div>
  );
}

function RangePicker({ value, onChange }: { value: StatsRange; onChange: (range: StatsRange) => void }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a segmented button group; a fieldset would add a legend and borders
    <div role="group" aria-label="Period" className="inline-flex rounded-lg border border-line-strong bg-surface p-0.5 shadow-xs">
      {RANGES.map((r) => (
        <button
          key={r.value}
          type="button"
          aria-pressed={value === r.value}
          onClick={() => onChange(r.value)}
          className={cx(
            "h-8 rounded-md px-3 text-sm font-medium transition-colors",
            value === r.value ? "bg-brand-soft text-brand-text" : "text-fg-muted hover:bg-surface-muted hover:text-fg",
          )}
        >
          {r.label}
        </button>
      ))}
    </div>
  );
}

function SentimentCard({ stats }: { stats: DashboardStats }) {
  const { positive, neutral, negative } = stats.sentiment;
  const total = positive + neutral + negative;
  const rows = [
    { label: "Positive", value: positive, bar: "bg-success" },
    { label: "Neutral", value: neutral, bar: "bg-fg-subtle" },
    { label: "Negative", value: negative, bar: "bg-danger" },
  ];
  return (
    <section aria-labelledby="sentiment-title" className="rounded-2xl border border-line bg-surface shadow-xs">
      <div className="border-b border-line px-5 py-4 sm:px-6">
        <h2 id="sentiment-title" className="text-base font-semibold">
          How callers felt
        </h2>
        <p className="mt-0.5 text-xs text-fg-subtle">Sentiment of analysed calls in this period</p>
      </div>
      <ul className="space-y-4 px-5 py-5 sm:px-6">
        {rows.map((row) => {
          const percent = total ? Math.round((row.value / total) * 100) : 0;
          return (
            <li key={row.label}>
              <div className="flex items-baseline justify-between text-sm">
                <span className="text-fg-muted">{row.label}</span>
                <span className="font-medium tabular-nums">
                  {formatCount(row.value)} <span className="text-xs font-normal text-fg-subtle">({percent}%)</span>
                </span>
              </div>
              <div className="mt-1.5 h-2 overflow-hidden rounded-full bg-surface-muted" aria-hidden="true">
                <div className={cx("h-full rounded-full", row.bar)} style={{ width: `${percent}%` }} />
              </div>
            </li>
          );
        })}
      </ul>
      <dl className="grid grid-cols-2 border-t border-line text-sm">
        <div className="border-r border-line px-5 py-4 sm:px-6">
          <dt className="text-xs text-fg-subtle">Hot leads</dt>
          <dd className="mt-0.5 text-lg font-semibold tabular-nums">{formatCount(stats.hotLeads)}</dd>
        </div>
        <div className="px-5 py-4 sm:px-6">
          <dt className="text-xs text-fg-subtle">Emergencies</dt>
          <dd className={cx("mt-0.5 text-lg font-semibold tabular-nums", stats.emergencies > 0 && "text-danger")}>{formatCount(stats.emergencies)}</dd>
        </div>
      </dl>
    </section>
  );
}
