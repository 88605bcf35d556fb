"use client";

import type { Role, TeamInvite, TeamMember } from "@voxanne/contracts";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LoadError } from "@/components/ui/load-error";
import { useToast } from "@/components/ui/toast";
import { apiRoutes, callAuthed, describeProblem } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import { useSession } from "@/lib/session";
import { InviteForm } from "./invite-form";
import { useTeam, useTeamChanged } from "./use-team";

const roleLabels: Record<Role, string> = { owner: "Owner", admin: "Admin", staff: "Staff" };

/** The Team page (owners and admins): members with their roles, open invites, and the invite form. */
export function TeamView() {
  const me = useSession();
  const team = useTeam();
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Team</h1>
        <p className="mt-1 text-sm text-fg-muted">Who can sign in to {me.organization.name}, and what each person may do.</p>
      </header>
      <InviteForm />
      {team.isPending ? (
        <div className="space-y-2" role="status" aria-busy="true" aria-label="Loading the team">
          {[0, 1, 2].map((i) => (
            <div key={i} className="h-14 animate-pulse rounded-xl bg-surface-muted" />
          ))}
        </div>
      ) : team.isError ? (
        <LoadError title="We couldn't load your team" message={describeProblem(team.error).message} onRetry={() => void team.refetch()} />
      ) : (
        <>
          <Members members={team.data.members} />
          <Invites invites={team.data.invites} />
        </>
      )}
    </div>
  );
}

function Members({ members }: { members: TeamMember[] }) {
  const me = useSession();
  const timeZone = me.organization.timezone;
  return (
    <section aria-labelledby="members-heading" className="space-y-3">
      <h2 id="members-heading" className="text-base font-semibold">
        Members <span className="text-fg-subtle">({members.length})</span>
      </h2>
      <ul className="divide-y divide-line overflow-hidden rounded-2xl border border-line bg-surface shadow-xs" data-testid="members">
        {members.map((m) => (
          <MemberRow key={m.userId} member={m} isMe={m.userId === me.user.id} timeZone={timeZone} />
        ))}
      </ul>
    </section>
  );
}

function MemberRow({ member, isMe, timeZone }: { member: TeamMember; isMe: boolean; timeZone: string }) {
  const me = useSession();
  const changed = useTeamChanged();
  const { toast } = useToast();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Only an owner makes, unmakes or removes an owner (the API refuses the rest too).
  const canManage = me.role === "owner" || member.role !== "owner";
  const roles: Role[] = me.role === "owner" ? ["owner", "admin", "staff"] : ["admin", "staff"];
  const name = member.fullName ?? member.email;

  const run = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await what();
      changed();
      toast(done, { tone: "success" });
    } catch (err) {
      setProblem(describeProblem(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center sm:justify-between sm:px-5" data-testid={`member-${member.email}`}>
      <div className="min-w-0">
        <p className="truncate text-sm font-medium">
          {name} {isMe ? <span className="text-fg-subtle">(you)</span> : null}
        </p>
        <p className="truncate text-xs text-fg-subtle">
          {member.email} · joined {formatDateTime(member.joinedAt, timeZone)}
        </p>
        {problem ? (
          <p role="alert" className="mt-1 text-sm text-danger">
            {problem}
          </p>
        ) : null}
      </div>
      <div className="flex shrink-0 items-center gap-2">
        {canManage ? (
          <label className="sr-only" htmlFor={`role-${member.userId}`}>
            Role of {name}
          </label>
        ) : null}
        {canManage ? (
          <select
            id={`role-${member.userId}`}
            className="h-8 rounded-lg border border-line-strong bg-surface px-2 text-sm text-fg focus:border-brand focus:ring-[3px] focus:ring-brand/20 focus:outline-none"
            value={member.role}
            disabled={busy}
            onChange={(e) => {
              const role = e.target.value as Role;
              void run(
                () => callAuthed(apiRoutes.team.changeRole, { params: { userId: member.userId }, body: { role } }),
                `${name} is now ${roleLabels[role].toLowerCase()}.`,
              );
            }}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </select>
        ) : (
          <Badge>{roleLabels[member.role]}</Badge>
        )}
        {canManage && !isMe ? (
          <Button
            variant="ghost"
            size="sm"
            disabled={busy}
            onClick={() => {
              if (window.confirm(`Remove ${name} from the clinic? They are signed out at once.`)) {
                void run(() => callAuthed(apiRoutes.team.removeMember, { params: { userId: member.userId } }), `${name} was removed.`);
              }
            }}
          >
            Remove<span className="sr-only"> {name}</span>
          </Button>
        ) : null}
      </div>
    </li>
  );
}

function Invites({ invites }: { invites: TeamInvite[] }) {
  const me = useSession();
  const changed = useTeamChanged();
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <section aria-labelledby="invites-heading" className="space-y-3">
      <h2 id="invites-heading" className="text-base font-semibold">
        Pending invites
      </h2>
      {problem ? <Alert tone="danger">{problem}</Alert> : null}
      {invites.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-line px-5 py-6 text-sm text-fg-muted" data-testid="no-invites">
          No pending invites. Invite someone above: they get an email with a link to join.
        </p>
      ) : (
        <ul className="divide-y divide-line overflow-hidden rounded-2xl border border-line bg-surface shadow-xs" data-testid="invites">
          {invites.map((i) => (
            <li key={i.id} className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:justify-between sm:px-5" data-testid={`invite-${i.email}`}>
              <div className="min-w-0">
                <p className="truncate text-sm font-medium">{i.email}</p>
                <p className="text-xs text-fg-subtle">
                  {roleLabels[i.role]} · invited by {i.invitedBy ?? "someone"} ·{" "}
                  {i.expired ? "expired" : `expires ${formatDateTime(i.expiresAt, me.organization.timezone)}`}
                </p>
              </div>
              <div className="flex items-center gap-2">
                {i.expired ? <Badge tone="warning">Expired</Badge> : <Badge tone="brand">Pending</Badge>}
                <Button
                  variant="ghost"
                  size="sm"
                  onClick={() => {
                    setProblem(null);
                    callAuthed(apiRoutes.team.revokeInvite, { params: { inviteId: i.id } })
                      .then(changed)
                      .catch((err: unknown) => setProblem(describeProblem(err).message));
                  }}
                >
                  Revoke<span className="sr-only"> the invite to {i.email}</span>
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
