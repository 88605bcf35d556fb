"use client";

import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LoadError } from "@/components/ui/load-error";
import { apiRoutes, describeProblem } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import { routeQuery } from "@/lib/query";
import { useSession } from "@/lib/session";

const kindLabels: Record<string, string> = { team_invite: "Invite", password_reset: "Password reset", daily_summary: "Daily summary" };

/**
 * The development outbox: without SMTP_URL nothing leaves the machine, and every email the clinic
 * would have been sent is here, links included (they work).
 */
export function OutboxView() {
  const me = useSession();
  const outbox = useQuery(routeQuery(apiRoutes.account.outbox));
  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Outbox</h1>
          <p className="mt-1 text-sm text-fg-muted">Emails Voxanne would have sent for your clinic. Set SMTP_URL on the server to send them for real.</p>
        </div>
        <Button variant="secondary" size="sm" onClick={() => void outbox.refetch()} loading={outbox.isFetching} loadingLabel="Refreshing…">
          Refresh
        </Button>
      </header>
      {outbox.isPending ? (
        <div className="h-32 animate-pulse rounded-2xl bg-surface-muted" role="status" aria-busy="true" aria-label="Loading the outbox" />
      ) : outbox.isError ? (
        <LoadError title="We couldn't load the outbox" message={describeProblem(outbox.error).message} onRetry={() => void outbox.refetch()} />
      ) : outbox.data.mode !== "outbox" ? (
        <Alert tone="info" title={outbox.data.mode === "smtp" ? "Email is sent for real" : "Email is off"}>
          {outbox.data.reason}
        </Alert>
      ) : outbox.data.emails.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-line px-5 py-8 text-center text-sm text-fg-muted" data-testid="outbox-empty">
          Nothing here yet. Invites, password resets and daily summaries appear here as they are sent.
        </p>
      ) : (
        <ul className="space-y-3" data-testid="outbox">
          {outbox.data.emails.map((e) => (
            <li key={e.id} className="rounded-2xl border border-line bg-surface p-4 shadow-xs sm:p-5" data-testid="outbox-email">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="min-w-0 truncate text-sm font-semibold">{e.subject ?? "(no subject)"}</p>
                <Badge tone="neutral">{kindLabels[e.kind] ?? e.kind}</Badge>
              </div>
              <p className="mt-0.5 text-xs text-fg-subtle">
                To <span data-testid="outbox-to">{e.to}</span> · {formatDateTime(e.createdAt, me.organization.timezone)}
              </p>
              <pre className="mt-3 text-sm leading-relaxed break-words whitespace-pre-wrap text-fg-muted">{e.text}</pre>
              {e.links.length > 0 ? (
                <div className="mt-3 flex flex-wrap gap-2">
                  {e.links.map((link) => (
                    <a key={link} href={link} className="text-sm font-medium break-all text-brand-text underline" data-testid="outbox-link">
                      Open link
                      <span className="sr-only"> in the email to {e.to}</span>
                    </a>
                  ))}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
