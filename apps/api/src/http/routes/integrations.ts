import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { GOOGLE_NOT_CONFIGURED } from "../../integrations/google/client";
import { disconnectGoogle, finishGoogleConnect, googleConsentUrl, integrationsPage } from "../../integrations/google/connect";
import { twilioAccountPort } from "../../integrations/twilio/account";
import { createVapiClient, VAPI_NOT_CONFIGURED } from "../../integrations/vapi/client";
import { vapiTelephonyPort } from "../../integrations/vapi/telephony";
import { googleIntegration } from "../../modules/calendar/service";
import { connectTwilio, disconnectTwilio, twilioStatus } from "../../modules/twilio/connection";
import type { TwilioConnectionPorts } from "../../modules/twilio/ports";
import { mount } from "../route";

/** /api/integrations: the Integrations page. Every member may look; owners and admins connect and disconnect. */
export function createIntegrationsRouter(deps: Pick<AppDeps, "db" | "clock" | "config" | "jobs" | "logger" | "googleCalendar">): Router {
  const router = Router();
  mountTwilio(router, deps);
  mountGoogle(router, deps);
  return router;
}

function mountTwilio(router: Router, deps: Pick<AppDeps, "db" | "config">): void {
  const { config, db } = deps;
  const vapi = createVapiClient(config);
  const ports: TwilioConnectionPorts = {
    twilio: (credentials) => twilioAccountPort(credentials, config),
    vapi: vapi ? vapiTelephonyPort(vapi, config) : null,
    vapiUnavailableReason: VAPI_NOT_CONFIGURED,
    publicApiUrl: config.PUBLIC_API_URL,
  };
  const unavailableReason = vapi ? null : VAPI_NOT_CONFIGURED;
  const connection = { db, keys: config.encryptionKeys, ports };

  mount(router, apiRoutes.integrations.twilioStatus, async ({ auth }) => db.asUser(auth.claims, (tx) => twilioStatus(tx, auth.orgId, unavailableReason)));
  mount(router, apiRoutes.integrations.twilioConnect, async ({ auth, body }) => ({
    ...(await connectTwilio(connection, auth, body)),
    unavailableReason,
  }));
  mount(router, apiRoutes.integrations.twilioDisconnect, async ({ auth }) => ({ ...(await disconnectTwilio(connection, auth)), unavailableReason }));
}

function mountGoogle(router: Router, deps: Pick<AppDeps, "db" | "clock" | "config" | "jobs" | "logger" | "googleCalendar">): void {
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
}
