"use client";

import { type Agent, type AgentOptions, type AgentRole, AgentRole as AgentRoles, type VapiAvailability } from "@voxanne/contracts";
import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { HeadsetIcon, PhoneIncomingIcon, PhoneOutgoingIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { cx } from "@/components/ui/cx";
import { LoadError } from "@/components/ui/load-error";
import { LiveStatusBadge } from "@/features/live/live-status";
import { describeProblem } from "@/lib/api";
import { useLiveFeed } from "@/lib/live";
import { useSession } from "@/lib/session";
import { AgentForm, roleLabels } from "./agent-form";
import { PromptPreview } from "./prompt-preview";
import { SyncStatusCard, syncStatusLabel } from "./sync-status";
import { TestPanel } from "./test-panel";
import { useAgents } from "./use-agents";

const ROLES = AgentRoles.options;

const roleInfo: Record<AgentRole, { does: string; Icon: typeof PhoneIncomingIcon }> = {
  inbound: { does: "Answers patients' calls", Icon: PhoneIncomingIcon },
  outbound: { does: "Calls patients back", Icon: PhoneOutgoingIcon },
};

/**
 * The Receptionist page: the clinic's inbound and outbound receptionist in Vapi. Owners and admins
 * edit, save and test them; staff see the same settings read-only. The sync status follows the
 * background sync live (`agent.sync` events, lib/live.tsx). `?role=outbound` opens the outbound one.
 */
export function ReceptionistView() {
  const me = useSession();
  const canEdit = me.role === "owner" || me.role === "admin";
  const searchParams = useSearchParams();
  const [role, setRole] = useState<AgentRole>(() => (searchParams.get("role") === "outbound" ? "outbound" : "inbound"));
  // A panel once shown stays mounted (hidden), so edits survive switching between the two.
  const [opened, setOpened] = useState<Set<AgentRole>>(() => new Set([role]));
  const agents = useAgents();
  const liveStatus = useLiveFeed();

  useEffect(() => {
    const url = new URL(window.location.href);
    if (role === "inbound") url.searchParams.delete("role");
    else url.searchParams.set("role", role);
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
  }, [role]);

  const choose = (next: AgentRole) => {
    setRole(next);
    setOpened((s) => (s.has(next) ? s : new Set([...s, next])));
  };

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Receptionist</h1>
          <p className="mt-1 text-sm text-fg-muted">
            How your AI receptionist answers and makes calls. Saving sends it to Vapi, the voice platform it runs on.
          </p>
        </div>
        <LiveStatusBadge status={liveStatus} />
      </header>

      {canEdit ? null : (
        <Alert tone="info">
          <span data-testid="read-only-note">Only the clinic&apos;s owner or an admin can change the receptionist.</span> You can see how it is set up.
        </Alert>
      )}

      {agents.isPending ? (
        <ReceptionistSkeleton />
      ) : agents.isError ? (
        <LoadError title="We couldn't load your receptionist" message={describeProblem(agents.error).message} onRetry={() => void agents.refetch()} />
      ) : (
        <>
          {agents.data.vapi.configured ? null : (
            <Alert tone="warning" title="Vapi is not connected">
              <p data-testid="vapi-reason">{agents.data.vapi.reason ?? "Set VAPI_PRIVATE_KEY in the API's environment."}</p>
              <p>
                {canEdit
                  ? "You can still change and save the receptionist: it is sent to Vapi once Vapi is connected. Test calls need Vapi."
                  : "The receptionist's settings are kept in Voxanne and sent to Vapi once Vapi is connected."}
              </p>
            </Alert>
          )}
          <RoleTabs role={role} agents={agents.data.agents} onChoose={choose} />
          {ROLES.map((r) =>
            opened.has(r) ? (
              <div key={r} role="tabpanel" id={`receptionist-panel-${r}`} aria-labelledby={`receptionist-tab-${r}`} hidden={r !== role}>
                <AgentPanel
                  agent={agents.data.agents.find((a) => a.role === r)}
                  role={r}
                  options={agents.data.options}
                  vapi={agents.data.vapi}
                  canEdit={canEdit}
                  timeZone={me.organization.timezone}
                />
              </div>
            ) : null,
          )}
        </>
      )}
    </div>
  );
}

/** Inbound / Outbound, as ARIA tabs: arrow keys, Home and End move between them. */
function RoleTabs({ role, agents, onChoose }: { role: AgentRole; agents: Agent[]; onChoose: (role: AgentRole) => void }) {
  const refs = useRef<Partial<Record<AgentRole, HTMLButtonElement | null>>>({});
  const move = (to: AgentRole) => {
    onChoose(to);
    refs.current[to]?.focus();
  };
  return (
    <div
      role="tablist"
      aria-label="Receptionists"
      className="grid grid-cols-2 gap-1 rounded-xl border border-line-strong bg-surface p-1 shadow-xs sm:inline-grid sm:min-w-[28rem]"
    >
      {ROLES.map((r, i) => {
        const agent = agents.find((a) => a.role === r);
        const { does, Icon } = roleInfo[r];
        const selected = r === role;
        return (
          <button
            key={r}
            ref={(el) => {
              refs.current[r] = el;
            }}
            type="button"
            role="tab"
            id={`receptionist-tab-${r}`}
            aria-selected={selected}
            aria-controls={`receptionist-panel-${r}`}
            tabIndex={selected ? 0 : -1}
            onClick={() => onChoose(r)}
            onKeyDown={(e) => {
              const last = ROLES.length - 1;
              const to =
                e.key === "ArrowRight"
                  ? (i + 1) % ROLES.length
                  : e.key === "ArrowLeft"
                    ? (i - 1 + ROLES.length) % ROLES.length
                    : e.key === "Home"
                      ? 0
                      : e.key === "End"
                        ? last
                        : null;
              if (to === null) return;
              e.preventDefault();
              move(ROLES[to]!);
            }}
            className={cx(
              "flex min-w-0 items-center gap-2.5 rounded-lg px-3 py-2 text-left transition-colors",
              selected ? "bg-brand-soft text-brand-text" : "text-fg-muted hover:bg-surface-muted hover:text-fg",
            )}
          >
            <Icon className="size-5 shrink-0" />
            <span className="min-w-0">
              <span className="block text-sm font-semibold">{roleLabels[r]}</span>
              <span className="block truncate text-xs opacity-80">
                {does}
                {agent ? <span className="sr-only">. Status in Vapi: {syncStatusLabel(agent.syncStatus)}</span> : null}
              </span>
            </span>
          </button>
        );
      })}
    </div>
  );
}

function AgentPanel({
  agent,
  role,
  options,
  vapi,
  canEdit,
  timeZone,
}: {
  agent: Agent | undefined;
  role: AgentRole;
  options: AgentOptions;
  vapi: VapiAvailability;
  canEdit: boolean;
  timeZone: string;
}) {
  // After each save the form is made again (a new key) from the saved receptionist: the API's
  // answer, which may be rendered before the cached list has caught up with it.
  const [saved, setSaved] = useState<{ count: number; agent: Agent | null }>({ count: 0, agent: null });
  if (!agent) {
    return (
      <div
        className="flex flex-col items-center rounded-2xl border border-dashed border-line-strong bg-surface px-6 py-14 text-center"
        data-testid="agent-empty"
      >
        <span className="flex size-12 items-center justify-center rounded-full bg-brand-soft text-brand-text">
          <HeadsetIcon className="size-5.5" />
        </span>
        <h2 className="mt-4 text-base font-semibold">No {roleLabels[role].toLowerCase()} receptionist</h2>
        <p className="mt-1 max-w-sm text-sm text-fg-muted">This server did not send one. Reload the page; if it stays empty, the API may be out of date.</p>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <SyncStatusCard agent={agent} timeZone={timeZone} />
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <AgentForm
            key={saved.count}
            agent={saved.agent ?? agent}
            options={options}
            canEdit={canEdit}
            focusSave={saved.count > 0}
            onSaved={(agent) => setSaved((s) => ({ count: s.count + 1, agent }))}
          />
        </div>
        <div className="min-w-0 space-y-6">
          {canEdit ? <TestPanel agent={agent} vapi={vapi} /> : null}
          <PromptPreview agent={agent} />
        </div>
      </div>
    </div>
  );
}

function ReceptionistSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true">
      <p role="status" className="sr-only">
        Loading your receptionist…
      </p>
      <div className="h-14 w-full max-w-md animate-pulse rounded-xl border border-line bg-surface" aria-hidden="true" />
      <div className="h-28 animate-pulse rounded-2xl border border-line bg-surface" aria-hidden="true" />
      <div className="grid gap-6 lg:grid-cols-3" aria-hidden="true">
        <div className="space-y-6 lg:col-span-2">
          <div className="h-64 animate-pulse rounded-2xl border border-line bg-surface" />
          <div className="h-64 animate-pulse rounded-2xl border border-line bg-surface" />
        </div>
        <div className="h-80 animate-pulse rounded-2xl border border-line bg-surface" />
      </div>
    </div>
  );
}
