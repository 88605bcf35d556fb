import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { mount } from "../route";
import { callDetail, callsPage } from "../../modules/calls/service";

/** GET /api/calls-dashboard (list) and /api/calls-dashboard/:callId (detail), under the user's RLS. */
export function createCallsRouter(deps: Pick<AppDeps, "db">): Router {
  const router = Router();
  mount(router, apiRoutes.calls.list, ({ auth, query }) => deps.db.asUser(auth.claims, (db) => callsPage(db, auth.orgId, query)));
  mount(router, apiRoutes.calls.detail, ({ auth, params }) => deps.db.asUser(auth.claims, (db) => callDetail(db, auth.orgId, params.callId!)));
  return router;
}
