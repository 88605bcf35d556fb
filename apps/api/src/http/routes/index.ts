/**
 * Every dashboard API router, in one list (the Vapi webhook router is mounted beside them in
 * app.ts). Each router is thin: parse → call a module's service with the org id → answer.
 */
import type { Router } from "express";
import type { AppDeps } from "../../deps";
import { createAgentsRouter } from "./agents";
import { createAppointmentsRouter } from "./appointments";
import { createAuthRouter } from "./auth";
import { createCallsRouter } from "./calls";
import { createContactsRouter } from "./contacts";
import { createDashboardRouter } from "./dashboard";
import { createDemoRecordingsRouter } from "./demo-recordings";
import { createLiveRouter } from "./live";

export function apiRouters(deps: AppDeps): Router[] {
  return [
    createAuthRouter(deps),
    createLiveRouter(deps),
    createDashboardRouter(deps),
    createCallsRouter(deps),
    createAgentsRouter(deps),
    createAppointmentsRouter(deps),
    createContactsRouter(deps),
    createDemoRecordingsRouter(),
  ];
}
