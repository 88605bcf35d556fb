import type { Metadata } from "next";
import { OutboxView } from "@/features/outbox/outbox-view";

export const metadata: Metadata = { title: "Outbox" };

export default function OutboxPage() {
  return <OutboxView />;
}
