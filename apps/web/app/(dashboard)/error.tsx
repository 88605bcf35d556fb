"use client";

import { AlertIcon, RefreshIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";

/** A page inside the shell failed to render; the shell stays usable. */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-lg rounded-2xl border border-line bg-surface p-6 text-center shadow-sm sm:p-8">
      <span className="mx-auto flex size-12 items-center justify-center rounded-full bg-danger-soft text-danger">
        <AlertIcon className="size-6" />
      </span>
      <h1 className="mt-4 text-lg font-semibold">This page ran into a problem</h1>
      <p className="mt-2 text-sm text-fg-muted">Try again. If it keeps happening, let us know{error.digest ? ` and quote reference ${error.digest}` : ""}.</p>
      <Button className="mt-6" onClick={reset}>
        <RefreshIcon className="size-4" />
        Try again
      </Button>
    </div>
  );
}
