import type { Metadata } from "next";
import { Suspense } from "react";
import { GoogleCard } from "@/features/integrations/google-card";
import { TwilioCard } from "@/features/integrations/twilio-card";

export const metadata: Metadata = { title: "Integrations" };

/** The clinic's connections, one card each. */
export default function IntegrationsPage() {
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Integrations</h1>
        <p className="mt-1 text-sm text-fg-muted">Connect your phone number and calendar.</p>
      </header>
      <TwilioCard />
      {/* The card reads how Google's sign-in ended (?google=) from the URL, which needs a Suspense boundary. */}
      <Suspense>
        <GoogleCard />
      </Suspense>
    </div>
  );
}
