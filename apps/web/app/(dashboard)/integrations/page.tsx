import type { Metadata } from "next";
import { Suspense } from "react";
import { GoogleCard } from "@/features/integrations/google-card";

export const metadata: Metadata = { title: "Integrations" };

export default function IntegrationsPage() {
  return (
    <div className="space-y-5">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Integrations</h1>
        <p className="mt-1 text-sm text-fg-muted">Connect the services your clinic already uses.</p>
      </header>
      {/* The card reads how Google's sign-in ended (?google=) from the URL, which needs a Suspense boundary. */}
      <Suspense>
        <GoogleCard />
      </Suspense>
    </div>
  );
}
