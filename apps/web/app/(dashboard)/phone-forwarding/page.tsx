import type { Metadata } from "next";
import { ForwardingWizard } from "@/features/telephony/forwarding-wizard";

export const metadata: Metadata = { title: "Phone forwarding" };

export default function PhoneForwardingPage() {
  return (
    <div className="space-y-5">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Phone forwarding</h1>
        <p className="mt-1 text-sm text-fg-muted">Keep your clinic&apos;s own number and forward its calls to the AI receptionist.</p>
      </header>
      <ForwardingWizard />
    </div>
  );
}
