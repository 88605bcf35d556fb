import type { Metadata } from "next";
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
    </div>
  );
}
