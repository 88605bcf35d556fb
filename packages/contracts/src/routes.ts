import { accountRoutes } from "./account";
import { adminRoutes } from "./admin";
import { agentRoutes } from "./agent";
import { auditRoutes } from "./audit-log";
import { appointmentRoutes } from "./appointment";
import { authRoutes } from "./auth";
import { callActionRoutes, callsRoutes } from "./calls";
import { contactFileRoutes, contactRoutes } from "./contact";
import { dashboardRoutes } from "./dashboard";
import { liveRoutes } from "./events";
import { integrationsRoutes } from "./integrations";
import { servicesRoutes } from "./service";
import { settingsRoutes } from "./settings";
import { knowledgeRoutes } from "./knowledge";
import { systemRoutes } from "./system";
import { telephonyRoutes } from "./telephony";
import { teamRoutes } from "./team";
import { vapiRoutes } from "./vapi";
import type { RouteDef } from "./route";

/**
 * Every HTTP endpoint of the API, grouped by feature. Adding a group here puts it in
 * the OpenAPI document; the Express side mounts the same definitions.
 */
export const apiRoutes = {
  system: systemRoutes,
  auth: authRoutes,
  vapi: vapiRoutes,
  dashboard: dashboardRoutes,
  calls: callsRoutes,
  callActions: callActionRoutes,
  live: liveRoutes,
  agents: agentRoutes,
  telephony: telephonyRoutes,
  integrations: integrationsRoutes,
  settings: settingsRoutes,
  services: servicesRoutes,
  team: teamRoutes,
  account: accountRoutes,
  audit: auditRoutes,
  knowledge: knowledgeRoutes,
  appointments: appointmentRoutes,
  contacts: contactRoutes,
  contactFiles: contactFileRoutes,
  admin: adminRoutes,
} as const satisfies Record<string, Record<string, RouteDef>>;

export function allRoutes(): RouteDef[] {
  return Object.values(apiRoutes).flatMap((group) => Object.values(group) as RouteDef[]);
}
