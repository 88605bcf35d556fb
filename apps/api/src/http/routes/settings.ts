import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { vapiAvailability } from "../../integrations/vapi/client";
import { getSettings, updateSettings } from "../../modules/settings/service";
import { mount } from "../route";

/** /api/settings: the Settings page. Every member reads; owners and admins change (audited). */
export function createSettingsRouter(deps: Pick<AppDeps, "db" | "config" | "jobs">): Router {
  const router = Router();
  const vapiConfigured = vapiAvailability(deps.config).configured;

  mount(router, apiRoutes.settings.get, async ({ auth }) => deps.db.asUser(auth.claims, (db) => getSettings(db, auth.orgId)));
  // Service role: the audit row is server-written (members cannot insert audit_events); the
  // route's access and the service's role check keep staff out, in one transaction with the change.
  mount(router, apiRoutes.settings.update, async ({ auth, body }) =>
    deps.db.asService(auth.orgId, (db) => updateSettings(db, { jobs: deps.jobs, vapiConfigured }, auth, body)),
  );
  return router;
}
