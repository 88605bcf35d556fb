import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../app";
import { mount } from "../../http/route";
import { overviewStats } from "./service";

/** GET /api/dashboard/stats, under the user's RLS. */
export function createDashboardRouter(deps: AppDeps): Router {
  const router = Router();
  mount(router, apiRoutes.dashboard.stats, ({ auth, query }) =>
    deps.db.asUser(auth.claims, (db) => overviewStats(db, auth.orgId, query, deps.clock.now())),
  );
  return router;
}
