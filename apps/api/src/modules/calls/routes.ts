import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../app";
import { mount } from "../../http/route";
import { callDetail, callsPage } from "./service";

/** GET /api/calls-dashboard (list) and /api/calls-dashboard/:callId (detail), under the user's RLS. */
export function createCallsRouter(deps: AppDeps): Router {
  const router = Router();
  mount(router, apiRoutes.calls.list, ({ auth, query }) => deps.db.asUser(auth.claims, (db) => callsPage(db, auth.orgId, query)));
  mount(router, apiRoutes.calls.detail, ({ auth, params }) => deps.db.asUser(auth.claims, (db) => callDetail(db, auth.orgId, params.callId!)));
  return router;
}
