"use client";

import type { LiveStatus } from "@voxanne/contracts";
import { cx } from "@/components/ui/cx";
import { usePhoneConnection } from "./use-phone-connection";

type Look = { label: string; hint: string; tone: "live" | "pending" | "off" };

const look: Record<LiveStatus, Look> = {
  idle: { label: "Connecting…", hint: "Opening the live feed", tone: "pending" },
  connecting: { label: "Connecting…", hint: "Opening the live feed", tone: "pending" },
  open: { label: "Live", hint: "New calls and bookings appear as they happen", tone: "live" },
  reconnecting: { label: "Reconnecting…", hint: "The live feed dropped; figures refresh when it is back", tone: "pending" },
  unauthorized: { label: "Offline", hint: "Sign in again to resume live updates", tone: "off" },
  stopped: { label: "Offline", hint: "Live updates are paused", tone: "off" },
};

/** "Live" means patients' calls reach the receptionist, so it needs a connected number too. */
const noNumber: Look = { label: "No phone number", hint: "Connect a phone number so patients' calls reach your receptionist", tone: "off" };
const checking: Look = { label: "Connecting…", hint: "Checking your phone number", tone: "pending" };

/**
 * The live feed's connection state, announced politely when it changes. `data-status` is the
 * socket's state; the words say "Live" only when a phone number is connected too.
 */
export function LiveStatusBadge({ status, className }: { status: LiveStatus; className?: string }) {
  const phone = usePhoneConnection();
  const { label, hint, tone } = status !== "open" ? look[status] : phone.connected === true ? look.open : phone.connected === false ? noNumber : checking;
  return (
    <span
      role="status"
      data-testid="live-status"
      data-status={status}
      data-phone={phone.connected === undefined ? "unknown" : phone.connected ? "connected" : "none"}
      title={hint}
      className={cx(
        "inline-flex h-7 shrink-0 items-center gap-2 rounded-full border px-2.5 text-xs font-medium",
        tone === "live" && "border-success-line bg-success-soft text-success",
        tone === "pending" && "border-warning-line bg-warning-soft text-warning",
        tone === "off" && "border-line bg-surface-muted text-fg-muted",
        className,
      )}
    >
      <span className="relative flex size-2" aria-hidden="true">
        {tone === "live" ? <span className="absolute inline-flex size-full animate-ping rounded-full bg-current opacity-60" /> : null}
        <span className={cx("relative inline-flex size-2 rounded-full bg-current", tone === "pending" && "animate-pulse")} />
      </span>
      {label}
      <span className="sr-only">. {hint}.</span>
    </span>
  );
}
