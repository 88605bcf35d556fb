"use client";

import { useSession } from "@/lib/session";
import { ClinicCard } from "./clinic-card";
import { GettingStarted } from "./getting-started";

function firstName(fullName: string | null): string | null {
  const first = fullName?.trim().split(/\s+/)[0];
  return first && !/^dr\.?$/i.test(first) ? first : (fullName?.trim() ?? null);
}

/** The overview before there is call data: who you are, your clinic, and what to set up next. */
export function Welcome() {
  const me = useSession();
  const name = firstName(me.user.fullName);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-balance">{name ? `Welcome, ${name}` : "Welcome to Voxanne"}</h1>
        <p className="mt-1.5 text-sm text-fg-muted">
          Here&apos;s where <span className="font-medium text-fg">{me.organization.name}</span> stands. Finish the steps below to let your AI
          receptionist answer calls.
        </p>
      </div>
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <GettingStarted me={me} />
        </div>
        <ClinicCard me={me} />
      </div>
    </div>
  );
}
