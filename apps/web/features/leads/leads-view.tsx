"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ContactListItem } from "@voxanne/contracts";
import { useEffect, useState } from "react";
import { SearchIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LoadError } from "@/components/ui/load-error";
import { useToast } from "@/components/ui/toast";
import { apiRoutes, callAuthed, describeProblem } from "@/lib/api";
import { formatCount, formatPhone, formatRelative } from "@/lib/format";
import { useLiveFeed } from "@/lib/live";
import { keysetQuery, routeKey, routeQuery } from "@/lib/query";
import { useSession } from "@/lib/session";
import { ImportPanel } from "./import-panel";

const TEMPERATURE_TONE = { hot: "danger", warm: "warning", cold: "neutral" } as const;

/** The leads inbox: open hot leads (they need a person soon) first, then everyone by last contact. */
export function LeadsView() {
  const me = useSession();
  const timeZone = me.organization.timezone;
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [temperature, setTemperature] = useState<"" | "hot" | "warm" | "cold">("");
  const [searchText, setSearchText] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQ(searchText.trim()), 300);
    return () => clearTimeout(timer);
  }, [searchText]);

  const stats = useQuery(routeQuery(apiRoutes.contacts.stats));
  const list = useInfiniteQuery(keysetQuery(apiRoutes.contacts.list, { query: { temperature: temperature || undefined, q: q || undefined } }));
  // A call changes its caller's lead: re-read the inbox when one ends.
  useLiveFeed({
    onEvent: (e) => {
      if (e.type === "call.ended" || e.type === "contact.updated") {
        void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.contacts.list) });
        void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.contacts.stats) });
      }
    },
  });
  const update = useMutation({
    mutationFn: (v: { id: string; outcome: "handled" | "lost" | "reopen" }) =>
      callAuthed(apiRoutes.contacts.update, { params: { id: v.id }, body: { outcome: v.outcome } }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.contacts.list) });
    },
  });
  const callBack = useMutation({
    mutationFn: (id: string) => callAuthed(apiRoutes.contacts.callBack, { params: { id } }),
    onSuccess: (r) => toast(`The receptionist is calling ${formatPhone(r.to)} now.`, { tone: "success" }),
  });
  const exportCsv = useMutation({
    mutationFn: () => callAuthed(apiRoutes.contactFiles.exportContacts),
    onSuccess: ({ filename, content }) => {
      const url = URL.createObjectURL(new Blob([content], { type: "text/csv;charset=utf-8" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    },
  });

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Leads</h1>
          <p className="mt-1 text-sm text-fg-muted">Hot leads that nobody has handled yet come first: they need a person soon.</p>
        </div>
        {me.role !== "staff" ? (
          <Button variant="secondary" loading={exportCsv.isPending} onClick={() => exportCsv.mutate()}>
            Export CSV
          </Button>
        ) : null}
      </header>
      {stats.data ? (
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="lead-stats">
          {(
            [
              ["All leads", stats.data.total_leads],
              ["Hot", stats.data.hot_leads],
              ["Warm", stats.data.warm_leads],
              ["Cold", stats.data.cold_leads],
            ] as const
          ).map(([label, n]) => (
            <div key={label} className="rounded-xl border border-line bg-surface px-4 py-3">
              <dt className="text-xs text-fg-subtle">{label}</dt>
              <dd className="text-lg font-semibold tabular-nums">{formatCount(n)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <div className="flex flex-wrap gap-3">
        <label className="sr-only" htmlFor="leads-temperature">
          Temperature
        </label>
        <select
          id="leads-temperature"
          value={temperature}
          onChange={(e) => setTemperature(e.target.value as typeof temperature)}
          className="h-9 rounded-lg border border-line-strong bg-surface px-2 text-sm"
        >
          <option value="">All temperatures</option>
          <option value="hot">Hot</option>
          <option value="warm">Warm</option>
          <option value="cold">Cold</option>
        </select>
        <div className="relative min-w-0 flex-1">
          <label htmlFor="leads-search" className="sr-only">
            Search leads
          </label>
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-fg-subtle" />
          <input
            id="leads-search"
            type="search"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            placeholder="Name, email or number"
            className="block h-9 w-full rounded-lg border border-line-strong bg-surface pr-3 pl-9 text-sm"
          />
        </div>
      </div>
      {callBack.error ? <Alert tone="danger">{describeProblem(callBack.error).message}</Alert> : null}
      {list.isPending ? (
        <p role="status" className="text-sm text-fg-muted">
          Loading leads…
        </p>
      ) : list.isError ? (
        <LoadError title="We couldn't load your leads" message={describeProblem(list.error).message} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-line-strong p-8 text-center text-sm text-fg-muted">
          {q || temperature ? "No leads match." : "No leads yet. Callers become leads after their first call, or import a list below."}
        </p>
      ) : (
        <ul className="divide-y divide-line rounded-2xl border border-line bg-surface shadow-xs" data-testid="lead-list">
          {items.map((c) => (
            <LeadRow
              key={c.id}
              lead={c}
              timeZone={timeZone}
              onOutcome={(outcome) => update.mutate({ id: c.id, outcome })}
              onCallBack={() => callBack.mutate(c.id)}
            />
          ))}
        </ul>
      )}
      {list.hasNextPage ? (
        <div className="flex justify-center">
          <Button variant="secondary" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            Load more
          </Button>
        </div>
      ) : null}
      <ImportPanel />
    </div>
  );
}

function LeadRow({
  lead,
  timeZone,
  onOutcome,
  onCallBack,
}: {
  lead: ContactListItem;
  timeZone: string;
  onOutcome: (o: "handled" | "lost" | "reopen") => void;
  onCallBack: () => void;
}) {
  return (
    <li className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="lead-row">
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 font-medium">
          {lead.name ?? "Unknown caller"}
          <Badge tone={TEMPERATURE_TONE[lead.leadTemperature]}>
            <span className="capitalize">{lead.leadTemperature}</span>
          </Badge>
          {lead.needsAttention ? <Badge tone="danger">Needs a call back</Badge> : null}
          {lead.handled ? <Badge tone="success">Handled</Badge> : null}
          {lead.leadStatus === "booked" ? <Badge tone="success">Booked</Badge> : lead.leadStatus === "lost" ? <Badge>Lost</Badge> : null}
        </p>
        <p className="mt-0.5 text-sm text-fg-muted">
          <a href={`tel:${lead.phone}`} className="text-brand-text hover:underline">
            {formatPhone(lead.phone)}
          </a>
          {lead.lastContactedAt ? ` · last call ${formatRelative(lead.lastContactedAt, timeZone)}` : ""}
          {lead.serviceInterests.length ? ` · ${lead.serviceInterests.join(", ")}` : ""}
        </p>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant="secondary" onClick={onCallBack}>
          Call back
        </Button>
        {lead.handled || lead.leadStatus === "lost" ? (
          <Button size="sm" variant="ghost" onClick={() => onOutcome("reopen")}>
            Reopen
          </Button>
        ) : (
          <>
            <Button size="sm" variant="ghost" onClick={() => onOutcome("handled")}>
              Mark handled
            </Button>
            <Button size="sm" variant="ghost" onClick={() => onOutcome("lost")}>
              Lost
            </Button>
          </>
        )}
      </div>
    </li>
  );
}
