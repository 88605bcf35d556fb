"use client";

import type { Agent, AgentSyncStatus } from "@voxanne/contracts";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useNow } from "@/lib/use-now";

const look: Record<AgentSyncStatus, { label: string; tone: BadgeTone; pulse?: boolean; says: string }> = {
  not_configured: {
    label: "Not configured",
    tone: "neutral",
    says: "Saved in Voxanne. It is sent to Vapi once Vapi is connected on this server.",
  },
  pending: { label: "Pending", tone: "warning", pulse: true, says: "Saved. Waiting to send the changes to Vapi…" },
  syncing: { label: "Syncing", tone: "brand", pulse: true, says: "Sending the changes to Vapi…" },
  synced: { label: "Synced", tone: "success", says: "Vapi has the latest settings: calls use them now." },
  failed: { label: "Failed", tone: "danger", says: "Vapi did not take the last change. Fix what it says below and save again." },
};

export function syncStatusLabel(status: AgentSyncStatus): string {
  return look[status].label;
}

/** Where the receptionist stands in Vapi; follows the sync live (agent.sync events patch the cache). */
export function SyncStatusCard({ agent, timeZone }: { agent: Agent; timeZone: string }) {
  const now = useNow();
  const { label, tone, pulse, says } = look[agent.syncStatus];
  return (
    <section aria-labelledby={`sync-title-${agent.role}`} className="rounded-2xl border border-line bg-surface p-5 shadow-xs">
      <div className="flex items-center justify-between gap-3">
        <h2 id={`sync-title-${agent.role}`} className="text-base font-semibold">
          Status in Vapi
        </h2>
        <span role="status" data-testid="sync-status" data-status={agent.syncStatus}>
          <Badge tone={tone} dot pulse={pulse}>
            {label}
          </Badge>
        </span>
      </div>
      <p className="mt-2 text-sm text-fg-muted">{says}</p>
      <p className="mt-2 text-xs text-fg-subtle" data-testid="last-synced">
        {agent.lastSyncedAt ? (
          <>
            Last synced{" "}
            <time dateTime={agent.lastSyncedAt} title={formatDateTime(agent.lastSyncedAt, timeZone)}>
              {formatRelative(agent.lastSyncedAt, timeZone, now)}
            </time>
          </>
        ) : (
          "Never synced to Vapi yet."
        )}
      </p>
      {agent.syncStatus === "failed" ? (
        <div role="alert" className="mt-3 rounded-lg border border-danger-line bg-danger-soft px-3 py-2.5 text-sm text-danger" data-testid="sync-error">
          {agent.syncError ?? "Vapi gave no reason."}
        </div>
      ) : null}
    </section>
  );
}
