import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { vapiAvailability } from "../../integrations/vapi/client";
import { createService, getService, listServices, removeService, updateService } from "../../modules/services/service";
import { mount } from "../route";

/** /api/services: the Services page. Every member reads; owners and admins change (audited). */
export function createServicesRouter(deps: Pick<AppDeps, "db" | "config" | "jobs">): Router {
  const router = Router();
  const agentDeps = { jobs: deps.jobs, vapiConfigured: vapiAvailability(deps.config).configured };

  mount(router, apiRoutes.services.list, async ({ auth }) => deps.db.asUser(auth.claims, (db) => listServices(db, auth.orgId)));
  mount(router, apiRoutes.services.get, async ({ auth, params }) => deps.db.asUser(auth.claims, (db) => getService(db, auth.orgId, params.id!)));
  // Changes run as the service role so the audit row commits with them (members cannot write
  // audit_events); the route's access and the service's role check keep staff out.
  mount(router, apiRoutes.services.create, async ({ auth, body }) => deps.db.asService(auth.orgId, (db) => createService(db, agentDeps, auth, body)));
  mount(router, apiRoutes.services.update, async ({ auth, params, body }) =>
    deps.db.asService(auth.orgId, (db) => updateService(db, agentDeps, auth, params.id!, body)),
  );
  mount(router, apiRoutes.services.remove, async ({ auth, params }) => deps.db.asService(auth.orgId, (db) => removeService(db, agentDeps, auth, params.id!)));
  return router;
}
