import type { Metadata } from "next";
import { Suspense } from "react";
import { ReceptionistView } from "@/features/receptionist/receptionist-view";

export const metadata: Metadata = { title: "Receptionist" };

export default function ReceptionistPage() {
  // ReceptionistView reads the chosen receptionist (?role=) from the URL, which needs a Suspense boundary.
  return (
    <Suspense>
      <ReceptionistView />
    </Suspense>
  );
}
