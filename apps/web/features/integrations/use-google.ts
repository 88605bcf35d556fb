"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { GoogleConnectOutcome, GoogleIntegration } from "@voxanne/contracts";
import { useCallback } from "react";
import { apiRoutes, callAuthed } from "@/lib/api";
import { routeKey, routeQuery } from "@/lib/query";

/** The clinic's Google Calendar connection (the card, the banner and the getting-started step share one answer). */
export function useGoogleIntegration() {
  return useQuery(routeQuery(apiRoutes.integrations.google));
}

/** Connecting is a browser navigation: the API redirects to Google and Google back to the API. */
export const GOOGLE_CONNECT_HREF = apiRoutes.integrations.googleStart.path;

export function useDisconnectGoogle() {
  const queryClient = useQueryClient();
  return useCallback(async (): Promise<GoogleIntegration> => {
    const result = await callAuthed(apiRoutes.integrations.googleDisconnect);
    queryClient.setQueryData(routeKey(apiRoutes.integrations.google), result);
    return result;
  }, [queryClient]);
}

/** What the Integrations page says after Google sent the clinic back (`?google=`). */
export const connectOutcomeMessages: Record<GoogleConnectOutcome, { tone: "success" | "danger" | "warning"; text: string }> = {
  connected: { tone: "success", text: "Google Calendar is connected. New bookings appear in it, and its busy times are respected." },
  denied: { tone: "warning", text: "Google Calendar was not connected: access was not granted on Google's screen." },
  invalid_state: { tone: "danger", text: "That Google sign-in link was expired, already used or not yours. Click Connect to start again." },
  missing_scopes: {
    tone: "danger",
    text: "Google Calendar was not connected: tick both calendar permissions on Google's screen (see free/busy, and manage events) and try again.",
  },
  no_refresh_token: { tone: "danger", text: "Google did not grant lasting access. Click Connect to try again." },
  failed: { tone: "danger", text: "Google did not finish the connection. Click Connect to try again." },
  not_configured: { tone: "warning", text: "Google Calendar is not set up on this server yet." },
};
