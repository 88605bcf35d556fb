import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { GOOGLE_NOT_CONFIGURED } from "../../integrations/google/client";
import { disconnectGoogle, finishGoogleConnect, googleConsentUrl, integrationsPage } from "../../integrations/google/connect";
import { googleIntegration } from "../../modules/calendar/service";
import { mount } from "../route";

/** /api/integrations: the Integrations page. Every member may look; owners and admins connect and disconnect. */
export function createIntegrationsRouter(deps: Pick<AppDeps, "db" | "clock" | "config" | "jobs" | "logger" | "googleCalendar">): Router {
  const router = Router();
  const google = deps.googleCalendar;
  const notConfigured = google?.configured ? null : GOOGLE_NOT_CONFIGURED;
  const connectDeps = google ? { ...deps, google } : null;
  const summary = (orgId: string) => deps.db.asService(orgId, (db) => googleIntegration(db, orgId, deps.clock.now(), notConfigured));

  mount(router, apiRoutes.integrations.google, async ({ auth }) =>
    deps.db.asUser(auth.claims, (db) => googleIntegration(db, auth.orgId, deps.clock.now(), notConfigured)),
  );
  mount(router, apiRoutes.integrations.googleStart, async ({ auth }) => ({
    location: connectDeps?.google.configured ? await googleConsentUrl(connectDeps, auth, deps.clock.now()) : integrationsPage(deps.config, "not_configured"),
  }));
  mount(router, apiRoutes.integrations.googleCallback, async ({ auth, query }) => {
    const outcome = connectDeps?.google.configured ? await finishGoogleConnect(connectDeps, auth, query, deps.clock.now()) : "not_configured";
    return { location: integrationsPage(deps.config, outcome) };
  });
  mount(router, apiRoutes.integrations.googleDisconnect, async ({ auth }) => {
    if (connectDeps) await disconnectGoogle(connectDeps, auth);
    return summary(auth.orgId);
  });
  return router;
}
