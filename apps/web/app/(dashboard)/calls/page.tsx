import type { Metadata } from "next";
import { Suspense } from "react";
import { CallsView } from "@/features/calls/calls-view";

export const metadata: Metadata = { title: "Calls" };

export default function CallsPage() {
  // CallsView reads its filters from the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <CallsView />
    </Suspense>
  );
}
