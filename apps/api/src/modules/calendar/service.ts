import type { GoogleIntegration } from "@voxanne/contracts";
import type { Db } from "../../db/database";
import { credentialStatus } from "../credentials/service";
import { countFailedUpcoming } from "./queries";

/**
 * The Google card's facts, readable by every member (RLS: org_credentials' non-secret columns,
 * their own clinic's appointments). `notConfiguredReason` is set when the server has no Google
 * OAuth client; the card then says what to set.
 */
export async function googleIntegration(db: Db, orgId: string, now: Date, notConfiguredReason: string | null): Promise<GoogleIntegration> {
  const summary = await credentialStatus(db, orgId, "google");
  const m = summary.metadata as Record<string, string | null | undefined>;
  const connected = summary.status === "active" || summary.status === "needs_reconnect";
  const text = (v: unknown) => (typeof v === "string" && v ? v : null);
  const when = (v: unknown) => {
    const s = text(v);
    return s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : null;
  };
  return {
    status: notConfiguredReason ? "not_configured" : connected ? (summary.status as "active" | "needs_reconnect") : "not_connected",
    reason: notConfiguredReason,
    connectedEmail: connected ? text(m.connected_email) : null,
    calendarId: connected ? text(m.calendar_id) : null,
    connectedAt: connected ? when(m.connected_at) : null,
    lastCheckedAt: connected ? when(m.last_checked_at) : null,
    lastError: connected ? text(m.last_error) : null,
    lastErrorAt: connected ? when(m.last_error_at) : null,
    failedAppointments: connected ? await countFailedUpcoming(db, orgId, now) : 0,
  };
}
