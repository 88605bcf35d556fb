"use client";

import { type AdminClinic, type AdminClinicDetail, SuspendClinicBody } from "@voxanne/contracts";
import { useState } from "react";
import { ShieldIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { TextAreaField, TextField } from "@/components/ui/field";
import { LoadError } from "@/components/ui/load-error";
import { Spinner } from "@/components/ui/spinner";
import { useToast } from "@/components/ui/toast";
import { describeProblem } from "@/lib/api";
import { formatCount, formatDateTime, formatMoney } from "@/lib/format";
import { useContractForm } from "@/lib/forms";
import { useAdminClinic, useAdminClinics, useSuspension } from "./use-admin";

const minutes = (m: number) => `${m.toLocaleString("en-US", { maximumFractionDigits: 2 })} min`;

function syncHealth(c: AdminClinic): { tone: BadgeTone; label: string } {
  if (c.agentSync.agents === 0) return { tone: "neutral", label: "No receptionist" };
  if (c.agentSync.failed > 0) return { tone: "danger", label: `${c.agentSync.failed} failed` };
  if (c.agentSync.synced === c.agentSync.agents) return { tone: "success", label: "Synced" };
  return { tone: "warning", label: `${c.agentSync.synced}/${c.agentSync.agents} synced` };
}

function integrationHealth(c: AdminClinic): { tone: BadgeTone; label: string } {
  if (c.integrations.length === 0) return { tone: "neutral", label: "None" };
  const broken = c.integrations.filter((i) => i.status !== "active" && i.status !== "revoked");
  if (broken.length > 0) return { tone: "danger", label: broken.map((i) => `${i.provider}: ${i.status.replace("_", " ")}`).join(", ") };
  const active = c.integrations.filter((i) => i.status === "active");
  return active.length ? { tone: "success", label: active.map((i) => i.provider).join(", ") } : { tone: "neutral", label: "None" };
}

/**
 * The platform admin (Voxanne operators): every clinic with today's and this month's usage, the
 * health of its receptionist sync and integrations, and its last call; a clinic's detail with
 * suspend / resume; the month's usage as CSV.
 */
export function AdminView() {
  const clinics = useAdminClinics();
  const [selected, setSelected] = useState<string | null>(null);
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="flex items-center gap-2 text-2xl font-semibold tracking-tight">
            <ShieldIcon className="size-6 text-fg-subtle" />
            Platform admin
          </h1>
          <p className="mt-1 text-sm text-fg-muted">Every clinic on Voxanne: usage, receptionist sync and integrations. Visible to Voxanne operators only.</p>
        </div>
        <form
          className="flex items-end gap-2"
          aria-label="Export usage"
          onSubmit={(e) => {
            e.preventDefault();
            window.location.assign(`/api/admin/usage.csv?month=${encodeURIComponent(month)}`);
          }}
        >
          <TextField label="Month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} className="w-40" />
          <button type="submit" className={buttonClasses({ variant: "secondary" })} disabled={!/^\d{4}-\d{2}$/.test(month)}>
            Export CSV
          </button>
        </form>
      </header>

      {clinics.isPending ? (
        <div className="flex items-center gap-2 text-sm text-fg-muted" role="status">
          <Spinner className="size-4" /> Loading clinics…
        </div>
      ) : clinics.isError ? (
        <LoadError title="Clinics could not be loaded" message={describeProblem(clinics.error).message} onRetry={() => void clinics.refetch()} />
      ) : clinics.data.clinics.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-line p-6 text-center text-sm text-fg-muted">No clinic has signed up yet.</p>
      ) : (
        <ClinicsTable clinics={clinics.data.clinics} selected={selected} onSelect={setSelected} />
      )}

      {selected ? <ClinicDetail orgId={selected} onClose={() => setSelected(null)} /> : null}
    </div>
  );
}

function ClinicsTable({ clinics, selected, onSelect }: { clinics: AdminClinic[]; selected: string | null; onSelect: (id: string) => void }) {
  return (
    <div className="overflow-x-auto rounded-2xl border border-line bg-surface shadow-xs">
      <table className="w-full min-w-[52rem] text-left text-sm" data-testid="admin-clinics">
        <caption className="sr-only">Clinics with usage and health</caption>
        <thead className="border-b border-line text-xs text-fg-subtle uppercase">
          <tr>
            <th scope="col" className="px-4 py-3 font-medium">
              Clinic
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Today
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              This month
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Receptionist
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Integrations
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Last call
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {clinics.map((c) => {
            const sync = syncHealth(c);
            const integrations = integrationHealth(c);
            return (
              <tr key={c.id} className={selected === c.id ? "bg-brand-soft" : undefined}>
                <th scope="row" className="px-4 py-3 font-medium">
                  <button
                    type="button"
                    className="rounded text-left text-fg underline-offset-2 hover:underline focus-visible:outline-2"
                    aria-pressed={selected === c.id}
                    onClick={() => onSelect(c.id)}
                  >
                    {c.name}
                  </button>
                  {c.status === "suspended" ? (
                    <Badge tone="warning" className="ml-2">
                      Suspended
                    </Badge>
                  ) : null}
                </th>
                <td className="px-4 py-3 tabular-nums">
                  {formatCount(c.today.calls)} calls · {minutes(c.today.minutes)} · {formatMoney(c.today.cost)}
                </td>
                <td className="px-4 py-3 tabular-nums">
                  {formatCount(c.month.calls)} calls · {minutes(c.month.minutes)} · {formatMoney(c.month.cost)}
                </td>
                <td className="px-4 py-3">
                  <Badge tone={sync.tone} dot>
                    {sync.label}
                  </Badge>
                </td>
                <td className="px-4 py-3">
                  <Badge tone={integrations.tone}>{integrations.label}</Badge>
                </td>
                <td className="px-4 py-3 text-fg-muted">{c.lastCallAt ? formatDateTime(c.lastCallAt, "UTC") : "Never"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ClinicDetail({ orgId, onClose }: { orgId: string; onClose: () => void }) {
  const detail = useAdminClinic(orgId);
  return (
    <section aria-labelledby="clinic-detail-title" className="rounded-2xl border border-line bg-surface p-5 shadow-xs">
      {detail.isPending ? (
        <div className="flex items-center gap-2 text-sm text-fg-muted" role="status">
          <Spinner className="size-4" /> Loading the clinic…
        </div>
      ) : detail.isError ? (
        <LoadError title="The clinic could not be loaded" message={describeProblem(detail.error).message} onRetry={() => void detail.refetch()} />
      ) : (
        <DetailBody clinic={detail.data} onClose={onClose} />
      )}
    </section>
  );
}

function DetailBody({ clinic, onClose }: { clinic: AdminClinicDetail; onClose: () => void }) {
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id="clinic-detail-title" className="text-lg font-semibold">
            {clinic.name}
          </h2>
          <p className="text-xs break-all text-fg-subtle">
            {clinic.id} · {clinic.timezone}
          </p>
        </div>
        <Button variant="secondary" size="sm" onClick={onClose}>
          Close
        </Button>
      </div>
      <SuspensionPanel clinic={clinic} />
      <div className="grid gap-5 md:grid-cols-2">
        <div>
          <h3 className="text-sm font-semibold">Usage by day</h3>
          {clinic.usageDays.length === 0 ? (
            <p className="mt-2 text-sm text-fg-muted">No calls yet.</p>
          ) : (
            <ul className="mt-2 divide-y divide-line text-sm tabular-nums">
              {clinic.usageDays.map((d) => (
                <li key={d.day} className="flex justify-between gap-3 py-1.5">
                  <span>{d.day}</span>
                  <span className="text-fg-muted">
                    {formatCount(d.calls)} calls · {minutes(d.minutes)} · {formatMoney(d.cost)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3 className="text-sm font-semibold">Team</h3>
          <ul className="mt-2 space-y-1 text-sm">
            {clinic.members.map((m) => (
              <li key={m.email} className="flex flex-wrap items-center gap-2">
                <span className="break-all">{m.email}</span>
                <Badge>{m.role}</Badge>
                {m.operator ? <Badge tone="brand">operator</Badge> : null}
              </li>
            ))}
          </ul>
          <h3 className="mt-4 text-sm font-semibold">Recent audit events</h3>
          <ul className="mt-2 space-y-1 text-xs text-fg-muted">
            {clinic.auditEvents.length === 0 ? <li>None.</li> : null}
            {clinic.auditEvents.map((e) => (
              <li key={`${e.createdAt}-${e.action}`}>
                {formatDateTime(e.createdAt, clinic.timezone)} · {e.action} ({e.actorType})
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

function SuspensionPanel({ clinic }: { clinic: AdminClinicDetail }) {
  const change = useSuspension();
  const { toast } = useToast();
  const [resuming, setResuming] = useState(false);
  const [resumeError, setResumeError] = useState<string | null>(null);
  const { field, formProps, pending, problem } = useContractForm(SuspendClinicBody, {
    defaultValues: { reason: "" },
    submit: async (body) => {
      await change(clinic.id, body.reason);
      toast(`${clinic.name} is suspended.`, { tone: "success" });
    },
  });

  if (clinic.status === "suspended") {
    return (
      <Alert tone="warning" title="Suspended">
        <p>
          Since {clinic.suspendedAt ? formatDateTime(clinic.suspendedAt, clinic.timezone) : "—"}: {clinic.suspendedReason}
        </p>
        <p>Callers hear that the clinic is unavailable and nothing is booked; the dashboard is read-only.</p>
        {resumeError ? <p className="text-danger">{resumeError}</p> : null}
        <Button
          variant="secondary"
          size="sm"
          className="mt-2"
          loading={resuming}
          onClick={async () => {
            setResuming(true);
            setResumeError(null);
            try {
              await change(clinic.id, null);
              toast(`${clinic.name} is active again.`, { tone: "success" });
            } catch (err) {
              setResumeError(describeProblem(err).message);
            } finally {
              setResuming(false);
            }
          }}
        >
          Resume clinic
        </Button>
      </Alert>
    );
  }
  return (
    <form {...formProps} aria-label="Suspend clinic" className="space-y-3 rounded-xl border border-line p-4">
      <TextAreaField
        label="Reason for suspending"
        hint="The clinic's team reads it on their dashboard. Callers only hear that the clinic is unavailable."
        rows={2}
        {...field("reason")}
      />
      {problem ? <Alert tone="danger">{describeProblem(problem.error).message}</Alert> : null}
      <Button type="submit" variant="danger" loading={pending}>
        Suspend clinic
      </Button>
    </form>
  );
}
