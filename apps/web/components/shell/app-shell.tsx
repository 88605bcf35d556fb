"use client";

import Link from "next/link";
import { useState } from "react";
import { AlertIcon, BuildingIcon, LogoMark, RefreshIcon, SignOutIcon } from "@/components/icons";
import { Button, buttonClasses } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useToast } from "@/components/ui/toast";
import { GoogleReconnectBanner } from "@/features/integrations/google-reconnect-banner";
import { useSession, useSessionState } from "@/lib/session";
import { MobileNav } from "./mobile-nav";
import { NavList } from "./nav-list";
import { UserIdentity } from "./user-badge";

/** The signed-in frame: sidebar (wide screens), top bar, and the page. Pages render only once the session is known. */
export function AppShell({ children }: { children: React.ReactNode }) {
  const { state, reload } = useSessionState();
  if (state.status === "ready") return <ReadyShell>{children}</ReadyShell>;
  if (state.status === "error") return <ShellError message={state.message} onRetry={reload} />;
  return <ShellLoading />;
}

function Brand() {
  return (
    <Link href="/overview" className="flex items-center gap-2.5 rounded-md text-base font-semibold tracking-tight text-fg">
      <LogoMark className="size-7" />
      Voxanne
    </Link>
  );
}

function ReadyShell({ children }: { children: React.ReactNode }) {
  const me = useSession();
  const suspended = me.organization.status === "suspended";
  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-surface px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to content
      </a>
      <aside className="fixed inset-y-0 left-0 z-30 hidden w-64 flex-col border-r border-line bg-surface lg:flex">
        <div className="flex h-16 shrink-0 items-center px-5">
          <Brand />
        </div>
        <nav aria-label="Main" className="flex-1 overflow-y-auto px-3 py-4">
          <NavList me={me} />
        </nav>
      </aside>

      <div className="lg:pl-64">
        <header className="sticky top-0 z-20 flex h-16 items-center gap-3 border-b border-line bg-surface/90 px-4 backdrop-blur supports-[backdrop-filter]:bg-surface/75 sm:px-6 lg:px-8">
          <MobileNav me={me} />
          <div className="flex min-w-0 items-center gap-2.5">
            <BuildingIcon className="hidden size-5 shrink-0 text-fg-subtle sm:block" />
            <div className="min-w-0 leading-tight">
              <p className="truncate text-sm font-semibold text-fg sm:text-base" data-testid="org-name">
                {me.organization.name}
              </p>
              <p className="hidden truncate text-xs text-fg-subtle sm:block">{me.organization.timezone}</p>
            </div>
          </div>
          <div className="ml-auto flex shrink-0 items-center gap-2 sm:gap-4">
            <UserIdentity me={me} className="hidden max-w-64 md:flex" />
            <SignOutButton />
          </div>
        </header>

        {suspended ? (
          <div
            role="status"
            data-testid="suspended-banner"
            className="border-b border-warning-line bg-warning-soft px-4 py-2.5 text-sm text-warning sm:px-6 lg:px-8"
          >
            This clinic is suspended{me.organization.suspendedReason ? ` (${me.organization.suspendedReason})` : ""}. The dashboard is read-only and the
            receptionist tells callers the clinic is unavailable. Contact Voxanne support to resume service.
          </div>
        ) : null}

        <GoogleReconnectBanner role={me.role} />

        <main id="main" tabIndex={-1} className="px-4 py-6 outline-none sm:px-6 lg:px-8 lg:py-8">
          <div className="mx-auto max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
  );
}

function SignOutButton() {
  const { signOut } = useSession();
  const { toast } = useToast();
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="secondary"
      size="sm"
      loading={pending}
      className="px-2.5 sm:px-3"
      onClick={async () => {
        setPending(true);
        const result = await signOut();
        if (!result.ok) {
          setPending(false);
          toast(result.message, { tone: "danger" });
        }
      }}
    >
      {pending ? null : <SignOutIcon className="size-4" />}
      <span className="sr-only sm:not-sr-only">Sign out</span>
    </Button>
  );
}

function ShellLoading() {
  return (
    <div className="min-h-dvh" aria-busy="true">
      <aside className="fixed inset-y-0 left-0 hidden w-64 border-r border-line bg-surface lg:block">
        <div className="flex h-16 items-center px-5">
          <Brand />
        </div>
        <div className="space-y-2 px-3 py-4">
          {[0, 1, 2].map((i) => (
            <div key={i} className="h-9 animate-pulse rounded-lg bg-surface-muted" />
          ))}
        </div>
      </aside>
      <div className="lg:pl-64">
        <div className="flex h-16 items-center gap-3 border-b border-line bg-surface px-4 sm:px-6 lg:px-8">
          <div className="h-5 w-40 animate-pulse rounded bg-surface-muted" />
          <div className="ml-auto h-8 w-24 animate-pulse rounded-lg bg-surface-muted" />
        </div>
        <div className="flex items-center justify-center gap-3 px-4 py-24 text-sm text-fg-muted">
          <Spinner className="size-5" />
          <span role="status">Loading your clinic…</span>
        </div>
      </div>
    </div>
  );
}

function ShellError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <main className="flex min-h-dvh items-center justify-center px-5 py-12">
      <div className="w-full max-w-md rounded-2xl border border-line bg-surface p-6 text-center shadow-sm sm:p-8" role="alert">
        <span className="mx-auto flex size-12 items-center justify-center rounded-full bg-danger-soft text-danger">
          <AlertIcon className="size-6" />
        </span>
        <h1 className="mt-4 text-lg font-semibold">We couldn&apos;t load your dashboard</h1>
        <p className="mt-2 text-sm leading-relaxed text-fg-muted">{message}</p>
        <div className="mt-6 flex flex-col-reverse justify-center gap-2 sm:flex-row">
          <Link href="/signin" className={buttonClasses({ variant: "secondary" })}>
            Go to sign in
          </Link>
          <Button onClick={onRetry}>
            <RefreshIcon className="size-4" />
            Try again
          </Button>
        </div>
      </div>
    </main>
  );
}
