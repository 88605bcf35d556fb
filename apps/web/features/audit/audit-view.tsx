"use client";

import { AUDIT_ACTIONS, type AuditEvent, type AuditFilters } from "@voxanne/contracts";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { buttonClasses } from "@/components/ui/button";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { LoadError } from "@/components/ui/load-error";
import { apiRoutes, describeProblem } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import { keysetQuery } from "@/lib/query";
import { useSession } from "@/lib/session";

/** "team.role_changed" → "Team: role changed". */
export function actionLabel(action: string): string {
  const [area, what] = action.split(".");
  if (!what) return action;
  return `${area![0]!.toUpperCase()}${area!.slice(1)}: ${what.replaceAll("_", " ")}`;
}

/** What changed, in a few words, from the event's data. */
function details(e: AuditEvent): string {
  const d = e.data as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.email === "string") parts.push(d.email);
  if (typeof d.from === "string" && typeof d.to === "string") parts.push(`${d.from} → ${d.to}`);
  else if (typeof d.role === "string") parts.push(d.role);
  if (typeof d.fullName === "string" && !d.email) parts.push(`name: ${d.fullName}`);
  if (typeof d.dailySummary === "boolean") parts.push(`daily summary ${d.dailySummary ? "on" : "off"}`);
  return parts.join(" · ");
}

const clean = (f: AuditFilters): AuditFilters => Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as AuditFilters;

/** The audit log (owners and admins): filter by person, action and dates; export what is shown as CSV. */
export function AuditView() {
  const me = useSession();
  const [filters, setFilters] = useState<AuditFilters>({});
  const query = clean(filters);
  const events = useInfiniteQuery(keysetQuery(apiRoutes.audit.list, { query: { ...query, limit: 50 } }));
  const people = events.data?.pages[0]?.people ?? [];
  const rows = events.data?.pages.flatMap((p) => p.events) ?? [];
  const exportHref = `${apiRoutes.audit.exportCsv.path}?${new URLSearchParams(query as Record<string, string>).toString()}`;
  const set = (key: keyof AuditFilters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setFilters((f) => ({ ...f, [key]: e.target.value || undefined }));
  const badRange = Boolean(query.from && query.to && query.from > query.to);

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
          <p className="mt-1 text-sm text-fg-muted">Every change made in {me.organization.name}: who, what and when.</p>
        </div>
        <a href={exportHref} download className={buttonClasses({ variant: "secondary", size: "sm" })} data-testid="audit-export">
          Export CSV
        </a>
      </header>

      <form
        className="grid gap-3 rounded-2xl border border-line bg-surface p-4 shadow-xs sm:grid-cols-2 lg:grid-cols-4"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Filter the audit log"
      >
        <SelectField label="Person" value={filters.actor ?? ""} onChange={set("actor")}>
          <option value="">Everyone</option>
          {people.map((p) => (
            <option key={p.userId} value={p.userId}>
              {p.name ?? p.email ?? "Former member"}
            </option>
          ))}
        </SelectField>
        <SelectField label="Action" value={filters.action ?? ""} onChange={set("action")}>
          <option value="">All actions</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {actionLabel(a)}
            </option>
          ))}
        </SelectField>
        <TextField label="From" type="date" value={filters.from ?? ""} onChange={set("from")} />
        <TextField
          label="To"
          type="date"
          value={filters.to ?? ""}
          onChange={set("to")}
          error={badRange ? "The end date is before the start date" : undefined}
        />
      </form>

      {events.isPending ? (
        <div className="space-y-2" role="status" aria-busy="true" aria-label="Loading the audit log">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="h-12 animate-pulse rounded-xl bg-surface-muted" />
          ))}
        </div>
      ) : events.isError ? (
        <LoadError title="We couldn't load the audit log" message={describeProblem(events.error).message} onRetry={() => void events.refetch()} />
      ) : rows.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-line px-5 py-8 text-center text-sm text-fg-muted" data-testid="audit-empty">
          {Object.keys(query).length ? "No changes match these filters." : "No changes recorded yet."}
        </p>
      ) : (
        <>
          <div className="overflow-hidden rounded-2xl border border-line bg-surface shadow-xs">
            <table className="w-full table-fixed text-left text-sm" data-testid="audit-table">
              <caption className="sr-only">Audit log, newest first</caption>
              <thead className="border-b border-line bg-surface-muted/60 text-xs text-fg-muted">
                <tr>
                  <th scope="col" className="w-32 px-4 py-3 font-medium sm:w-44">
                    When
                  </th>
                  <th scope="col" className="px-3 py-3 font-medium">
                    What
                  </th>
                  <th scope="col" className="hidden w-48 px-3 py-3 font-medium md:table-cell">
                    Who
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-line">
                {rows.map((e) => (
                  <tr key={e.id} data-testid="audit-row">
                    <td className="px-4 py-3 align-top text-xs text-fg-muted">{formatDateTime(e.createdAt, me.organization.timezone)}</td>
                    <td className="min-w-0 px-3 py-3 align-top">
                      <p className="font-medium" data-testid="audit-action">
                        {actionLabel(e.action)}
                      </p>
                      <p className="truncate text-xs text-fg-subtle" data-testid="audit-details">
                        {details(e)}
                      </p>
                      <p className="truncate text-xs text-fg-subtle md:hidden">{e.actor ? (e.actor.name ?? e.actor.email ?? "Former member") : e.actorType}</p>
                    </td>
                    <td className="hidden truncate px-3 py-3 align-top md:table-cell">
                      {e.actor ? (e.actor.name ?? e.actor.email ?? "Former member") : <span className="text-fg-subtle">{e.actorType}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {events.hasNextPage ? (
            <Button variant="secondary" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage} loadingLabel="Loading…">
              Load more
            </Button>
          ) : null}
        </>
      )}
    </div>
  );
}
