import type { Metadata } from "next";
import { Welcome } from "@/components/overview/welcome";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return <Welcome />;
}
