/**
 * Every dashboard API router, in one list (the Vapi webhook router is mounted beside them in
 * app.ts). Each router is thin: parse → call a module's service with the org id → answer.
 */
import type { Router } from "express";
import type { AppDeps } from "../../deps";
import { createAccountRouter } from "./account";
import { createAdminRouter } from "./admin";
import { createAgentsRouter } from "./agents";
import { createAuditRouter } from "./audit";
import { createAppointmentsRouter } from "./appointments";
import { createAuthRouter } from "./auth";
import { createCallsRouter } from "./calls";
import { createContactsRouter } from "./contacts";
import { createDashboardRouter } from "./dashboard";
import { createDemoRecordingsRouter } from "./demo-recordings";
import { createIntegrationsRouter } from "./integrations";
import { createKnowledgeRouter } from "./knowledge";
import { createLiveRouter } from "./live";
import { createTelephonyRouter } from "./telephony";
import { createTwilioCallerIdWebhookRouter } from "../../integrations/twilio/caller-id-webhook";
import { createServicesRouter } from "./services";
import { createSettingsRouter } from "./settings";
import { createTeamRouter } from "./team";

export function apiRouters(deps: AppDeps): Router[] {
  return [
    createAuthRouter(deps),
    createLiveRouter(deps),
    createDashboardRouter(deps),
    createCallsRouter(deps),
    createAgentsRouter(deps),
    createTelephonyRouter(deps),
    // Signed by Twilio, not a session: /api/webhooks/* is never read for one (http/auth-middleware.ts).
    createTwilioCallerIdWebhookRouter(deps),
    createIntegrationsRouter(deps),
    createSettingsRouter(deps),
    createServicesRouter(deps),
    createTeamRouter(deps),
    createAccountRouter(deps),
    createAuditRouter(deps),
    createKnowledgeRouter(deps),
    createAppointmentsRouter(deps),
    createContactsRouter(deps),
    createDemoRecordingsRouter(),
    createAdminRouter(deps),
  ];
}
