"use client";

import type { Me } from "@voxanne/contracts";
import { useEffect, useState } from "react";
import { BuildingIcon, ClockIcon, ShieldIcon } from "@/components/icons";
import { roleLabel } from "@/components/shell/user-badge";

function formatClinicTime(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone, weekday: "short", hour: "numeric", minute: "2-digit" }).format(new Date());
  } catch {
    return "";
  }
}

function useClinicTime(timeZone: string): string {
  const [now, setNow] = useState(() => formatClinicTime(timeZone));
  useEffect(() => {
    setNow(formatClinicTime(timeZone));
    const timer = window.setInterval(() => setNow(formatClinicTime(timeZone)), 15_000);
    return () => window.clearInterval(timer);
  }, [timeZone]);
  return now;
}

/** The organization as the API reports it: name, time zone (with the clinic's local time), status and your role. */
export function ClinicCard({ me }: { me: Me }) {
  const clinicTime = useClinicTime(me.organization.timezone);
  const active = me.organization.status === "active";
  return (
    <section aria-labelledby="clinic-card-title" className="rounded-2xl border border-line bg-surface shadow-xs">
      <div className="flex items-center justify-between gap-3 border-b border-line px-5 py-4">
        <h2 id="clinic-card-title" className="text-base font-semibold">
          Your clinic
        </h2>
        <span
          className={
            active
              ? "inline-flex items-center gap-1.5 rounded-full border border-success-line bg-success-soft px-2 py-0.5 text-xs font-medium text-success"
              : "inline-flex items-center gap-1.5 rounded-full border border-warning-line bg-warning-soft px-2 py-0.5 text-xs font-medium text-warning"
          }
        >
          <span className="size-1.5 rounded-full bg-current" aria-hidden="true" />
          {active ? "Active" : "Suspended"}
        </span>
      </div>
      <dl className="space-y-4 px-5 py-5 text-sm">
        <div className="flex gap-3">
          <BuildingIcon className="mt-0.5 size-4.5 shrink-0 text-fg-subtle" />
          <div className="min-w-0">
            <dt className="text-fg-subtle">Name</dt>
            <dd className="mt-0.5 font-medium break-words" data-testid="clinic-name">
              {me.organization.name}
            </dd>
          </div>
        </div>
        <div className="flex gap-3">
          <ClockIcon className="mt-0.5 size-4.5 shrink-0 text-fg-subtle" />
          <div className="min-w-0">
            <dt className="text-fg-subtle">Time zone</dt>
            <dd className="mt-0.5 font-medium" data-testid="clinic-timezone">
              {me.organization.timezone}
            </dd>
            {clinicTime ? <dd className="mt-0.5 text-fg-subtle">Now {clinicTime} at the clinic</dd> : null}
          </div>
        </div>
        <div className="flex gap-3">
          <ShieldIcon className="mt-0.5 size-4.5 shrink-0 text-fg-subtle" />
          <div className="min-w-0">
            <dt className="text-fg-subtle">Your role</dt>
            <dd className="mt-0.5 font-medium" data-testid="clinic-role">
              {roleLabel(me.role)}
            </dd>
          </div>
        </div>
      </dl>
    </section>
  );
}
