import type { Metadata } from "next";
import { Suspense } from "react";
import { AppointmentsView } from "@/features/appointments/appointments-view";

export const metadata: Metadata = { title: "Appointments" };

export default function AppointmentsPage() {
  // AppointmentsView reads ?day= and ?view= (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <AppointmentsView />
    </Suspense>
  );
}
