import { z } from "zod";
import { defineRoute, IsoDateTime, Redirect } from "./route";

/**
 * The clinic's connections to other services, shown on the Integrations page. Google Calendar:
 * the clinic's busy times block slots, and every booking, reschedule and cancellation is written
 * to the calendar.
 */

export const GoogleConnectionStatus = z.enum(["not_configured", "not_connected", "active", "needs_reconnect"]);
export type GoogleConnectionStatus = z.infer<typeof GoogleConnectionStatus>;

export const GoogleIntegration = z.object({
  status: GoogleConnectionStatus.describe(
    "not_configured: the server has no Google OAuth client; needs_reconnect: Google refused the stored token (revoked or expired)",
  ),
  /** What the server's operator must set, when status is not_configured. */
  reason: z.string().nullable(),
  connectedEmail: z.string().nullable().describe("The Google account whose calendar is used"),
  calendarId: z.string().nullable(),
  connectedAt: IsoDateTime.nullable(),
  lastCheckedAt: IsoDateTime.nullable().describe("When the daily check last refreshed the token"),
  lastError: z.string().nullable(),
  lastErrorAt: IsoDateTime.nullable(),
  failedAppointments: z.number().int().min(0).describe("Upcoming appointments whose calendar event could not be written yet"),
});
export type GoogleIntegration = z.infer<typeof GoogleIntegration>;

/** How the callback ended, as `?google=` on the Integrations page. */
export const GOOGLE_CONNECT_OUTCOMES = ["connected", "denied", "invalid_state", "missing_scopes", "no_refresh_token", "failed", "not_configured"] as const;
export type GoogleConnectOutcome = (typeof GOOGLE_CONNECT_OUTCOMES)[number];

export const GoogleCallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(4096).optional(),
  error: z.string().max(200).optional(),
  scope: z.string().max(4096).optional(),
});

export const integrationRoutes = {
  google: defineRoute({
    method: "get",
    path: "/api/integrations/google",
    tag: "integrations",
    summary: "The clinic's Google Calendar connection: status, account, calendar, last error",
    response: GoogleIntegration,
    access: ["owner", "admin", "staff"],
  }),
  googleStart: defineRoute({
    method: "get",
    path: "/api/integrations/google/start",
    tag: "integrations",
    summary: "Starts connecting Google Calendar: redirects to Google's consent screen (offline access, signed single-use state)",
    response: Redirect,
    redirect: true,
    access: ["owner", "admin"],
    action: "connect Google Calendar",
  }),
  googleCallback: defineRoute({
    method: "get",
    path: "/api/integrations/google/callback",
    tag: "integrations",
    summary: "Google's redirect after consent: stores the refresh token encrypted and redirects to the Integrations page with the outcome",
    query: GoogleCallbackQuery,
    response: Redirect,
    redirect: true,
    access: ["owner", "admin"],
    action: "connect Google Calendar",
  }),
  googleDisconnect: defineRoute({
    method: "delete",
    path: "/api/integrations/google",
    tag: "integrations",
    summary: "Disconnects Google Calendar: revokes the token at Google and erases it",
    response: GoogleIntegration,
    access: ["owner", "admin"],
    action: "disconnect Google Calendar",
  }),
} as const;
