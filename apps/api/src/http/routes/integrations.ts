import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { twilioAccountPort } from "../../integrations/twilio/account";
import { createVapiClient, VAPI_NOT_CONFIGURED } from "../../integrations/vapi/client";
import { vapiTelephonyPort } from "../../integrations/vapi/telephony";
import { connectTwilio, disconnectTwilio, twilioStatus } from "../../modules/twilio/connection";
import type { TwilioConnectionPorts } from "../../modules/twilio/ports";
import { mount } from "../route";

/** /api/integrations: the Integrations page. Everyone in the clinic sees the status; owners and admins connect and disconnect. */
export function createIntegrationsRouter(deps: Pick<AppDeps, "db" | "config">): Router {
  const router = Router();
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
  return router;
}
