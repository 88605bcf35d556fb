"use client";

import type { Role } from "@voxanne/contracts";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { GOOGLE_CONNECT_HREF, useGoogleIntegration } from "./use-google";

/**
 * Shown on every dashboard page while Google refuses the clinic's token (needs_reconnect):
 * bookings go on in Voxanne, and one click takes an owner or admin through Google's consent again.
 */
export function GoogleReconnectBanner({ role }: { role: Role }) {
  const google = useGoogleIntegration();
  if (google.data?.status !== "needs_reconnect") return null;
  const canManage = role === "owner" || role === "admin";
  return (
    <div
      role="alert"
      data-testid="google-reconnect-banner"
      className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-danger-line bg-danger-soft px-4 py-2.5 text-sm text-danger sm:px-6 lg:px-8"
    >
      <p className="min-w-0 flex-1">
        <span className="font-semibold">Google Calendar needs reconnecting.</span> Bookings are kept in Voxanne meanwhile and written to the calendar once it is
        reconnected.
      </p>
      {canManage ? (
        <a href={GOOGLE_CONNECT_HREF} className={buttonClasses({ variant: "danger", size: "sm" })}>
          Reconnect
        </a>
      ) : (
        <Link href="/integrations" className="font-medium underline underline-offset-2">
          Ask an owner or admin to reconnect it
        </Link>
      )}
    </div>
  );
}
