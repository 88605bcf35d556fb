import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { mount } from "../route";
import { overviewStats } from "../../modules/dashboard/service";

/** GET /api/dashboard/stats, under the user's RLS. */
export function createDashboardRouter(deps: Pick<AppDeps, "db" | "clock">): Router {
  const router = Router();
  mount(router, apiRoutes.dashboard.stats, ({ auth, query }) => deps.db.asUser(auth.claims, (db) => overviewStats(db, auth.orgId, query, deps.clock.now())));
  return router;
}
