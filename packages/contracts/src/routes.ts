import { adminRoutes } from "./admin";
import { agentRoutes } from "./agent";
import { authRoutes } from "./auth";
import { callsRoutes } from "./calls";
import { dashboardRoutes } from "./dashboard";
import { liveRoutes } from "./events";
import { integrationsRoutes } from "./integrations";
import { systemRoutes } from "./system";
import { telephonyRoutes } from "./telephony";
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
  live: liveRoutes,
  agents: agentRoutes,
  telephony: telephonyRoutes,
  integrations: integrationsRoutes,
  admin: adminRoutes,
} as const satisfies Record<string, Record<string, RouteDef>>;

export function allRoutes(): RouteDef[] {
  return Object.values(apiRoutes).flatMap((group) => Object.values(group) as RouteDef[]);
}
