"use client";

import { GOOGLE_CONNECT_OUTCOMES, type GoogleConnectOutcome, type GoogleIntegration } from "@voxanne/contracts";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { CalendarIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { LoadError } from "@/components/ui/load-error";
import { useToast } from "@/components/ui/toast";
import { describeProblem } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import { useSession } from "@/lib/session";
import { connectOutcomeMessages, GOOGLE_CONNECT_HREF, useDisconnectGoogle, useGoogleIntegration } from "./use-google";

const look: Record<GoogleIntegration["status"], { label: string; tone: BadgeTone; says: string }> = {
  active: { label: "Connected", tone: "success", says: "Bookings, reschedules and cancellations are written to the calendar, and its busy times block slots." },
  needs_reconnect: {
    label: "Needs reconnecting",
    tone: "danger",
    says: "Google stopped accepting our access. Bookings are kept in Voxanne and written to the calendar once you reconnect.",
  },
  not_connected: {
    label: "Not connected",
    tone: "neutral",
    says: "Connect the clinic's Google Calendar so bookings appear in it and busy times are respected.",
  },
  not_configured: { label: "Not configured", tone: "neutral", says: "Bookings are kept in Voxanne's own calendar." },
};

/** `?google=` after the OAuth round trip: read once, then removed from the address bar. */
function useConnectOutcome(): GoogleConnectOutcome | null {
  const searchParams = useSearchParams();
  const [outcome] = useState(() => {
    const value = searchParams.get("google");
    return (GOOGLE_CONNECT_OUTCOMES as readonly string[]).includes(value ?? "") ? (value as GoogleConnectOutcome) : null;
  });
  useEffect(() => {
    if (!outcome) return;
    const url = new URL(window.location.href);
    url.searchParams.delete("google");
    window.history.replaceState(window.history.state, "", url);
  }, [outcome]);
  return outcome;
}

/**
 * The Google Calendar card of the Integrations page: who is connected, which calendar, the status
 * and the last error; owners and admins connect, reconnect and disconnect. Without the server's
 * Google OAuth client it says exactly what to set.
 */
export function GoogleCard() {
  const me = useSession();
  const canManage = me.role === "owner" || me.role === "admin";
  const google = useGoogleIntegration();
  const outcome = useConnectOutcome();
  const disconnect = useDisconnectGoogle();
  const { toast } = useToast();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const onDisconnect = async () => {
    setBusy(true);
    try {
      await disconnect();
      setConfirming(false);
      toast("Google Calendar is disconnected.", { tone: "success" });
    } catch (err) {
      toast(describeProblem(err).message, { tone: "danger" });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="google-card-title" className="rounded-2xl border border-line bg-surface p-5 shadow-xs sm:p-6" data-testid="google-card">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 items-center gap-3">
          <span className="flex size-10 shrink-0 items-center justify-center rounded-xl bg-brand-soft text-brand-text" aria-hidden="true">
            <CalendarIcon className="size-5" />
          </span>
          <div className="min-w-0">
            <h2 id="google-card-title" className="text-base font-semibold">
              Google Calendar
            </h2>
            <p className="text-sm text-fg-muted">Free/busy times and an event for every booking</p>
          </div>
        </div>
        {google.data ? (
          <span role="status" data-testid="google-status" data-status={google.data.status}>
            <Badge tone={look[google.data.status].tone} dot>
              {look[google.data.status].label}
            </Badge>
          </span>
        ) : null}
      </div>

      {outcome ? (
        <Alert tone={connectOutcomeMessages[outcome].tone} className="mt-4">
          <span data-testid="google-outcome">{connectOutcomeMessages[outcome].text}</span>
        </Alert>
      ) : null}

      {google.isPending ? (
        <div role="status" className="mt-4 space-y-2" aria-busy="true">
          <span className="sr-only">Loading the Google Calendar connection…</span>
          <div className="h-4 w-2/3 animate-pulse rounded bg-surface-muted" />
          <div className="h-4 w-1/2 animate-pulse rounded bg-surface-muted" />
        </div>
      ) : google.isError ? (
        <div className="mt-4">
          <LoadError title="We couldn't load the Google connection" message={describeProblem(google.error).message} onRetry={() => void google.refetch()} />
        </div>
      ) : (
        <div className="mt-4 space-y-4">
          <p className="text-sm text-fg-muted">{look[google.data.status].says}</p>
          {google.data.status === "not_configured" ? (
            <Alert tone="warning" title="Google is not set up on this server">
              <p data-testid="google-reason">{google.data.reason}</p>
            </Alert>
          ) : null}
          <Details integration={google.data} timeZone={me.organization.timezone} />
          {canManage ? (
            <div className="flex flex-wrap items-center gap-2">
              {google.data.status === "not_connected" ? (
                <a href={GOOGLE_CONNECT_HREF} className={buttonClasses({ variant: "primary" })}>
                  Connect Google Calendar
                </a>
              ) : null}
              {google.data.status === "needs_reconnect" ? (
                <a href={GOOGLE_CONNECT_HREF} className={buttonClasses({ variant: "primary" })}>
                  Reconnect Google Calendar
                </a>
              ) : null}
              {google.data.status === "active" || google.data.status === "needs_reconnect" ? (
                confirming ? (
                  <>
                    <Button variant="danger" loading={busy} loadingLabel="Disconnecting…" onClick={() => void onDisconnect()}>
                      Yes, disconnect
                    </Button>
                    <Button variant="ghost" onClick={() => setConfirming(false)} disabled={busy}>
                      Keep connected
                    </Button>
                  </>
                ) : (
                  <Button variant="secondary" onClick={() => setConfirming(true)}>
                    Disconnect
                  </Button>
                )
              ) : null}
            </div>
          ) : (
            <p className="text-sm text-fg-subtle" data-testid="google-read-only">
              Only the clinic&apos;s owner or an admin can connect or disconnect Google Calendar.
            </p>
          )}
          {confirming ? (
            <p className="text-sm text-fg-muted">Voxanne stops writing to the calendar and forgets its access; existing events stay in the calendar.</p>
          ) : null}
        </div>
      )}
    </section>
  );
}

function Details({ integration, timeZone }: { integration: GoogleIntegration; timeZone: string }) {
  if (integration.status !== "active" && integration.status !== "needs_reconnect") return null;
  const rows: [string, React.ReactNode, string][] = [
    ["Account", integration.connectedEmail ?? "Unknown account", "google-email"],
    ["Calendar", integration.calendarId === "primary" ? "Primary calendar" : (integration.calendarId ?? "Primary calendar"), "google-calendar"],
    ["Connected", integration.connectedAt ? formatDateTime(integration.connectedAt, timeZone) : "—", "google-connected-at"],
    ["Last checked", integration.lastCheckedAt ? formatDateTime(integration.lastCheckedAt, timeZone) : "Not yet", "google-checked-at"],
  ];
  return (
    <>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        {rows.map(([term, value, testId]) => (
          <div key={term} className="min-w-0">
            <dt className="text-fg-subtle">{term}</dt>
            <dd className="truncate font-medium text-fg" data-testid={testId}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {integration.lastError ? (
        <Alert tone={integration.status === "needs_reconnect" ? "danger" : "warning"} title="Last error">
          <p data-testid="google-last-error" className="break-words">
            {integration.lastError}
          </p>
          {integration.lastErrorAt ? <p className="text-xs opacity-80">{formatDateTime(integration.lastErrorAt, timeZone)}</p> : null}
        </Alert>
      ) : null}
      {integration.failedAppointments > 0 ? (
        <Alert tone="warning">
          <span data-testid="google-failed-appointments">
            {integration.failedAppointments === 1
              ? "1 upcoming appointment is not in the calendar yet; it is retried automatically."
              : `${integration.failedAppointments} upcoming appointments are not in the calendar yet; they are retried automatically.`}
          </span>
        </Alert>
      ) : null}
    </>
  );
}
