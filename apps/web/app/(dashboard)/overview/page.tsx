import type { Metadata } from "next";
import { DashboardOverview } from "@/features/overview/dashboard-overview";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return <DashboardOverview />;
}
