import { apiRoutes, AuditFilters } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { auditCsv, auditPage } from "../../modules/audit/service";
import { accessRefusal } from "../access";
import { mount } from "../route";

/** /api/audit: the audit log viewer (owners and admins) and its CSV export. */
export function createAuditRouter(deps: Pick<AppDeps, "db" | "clock">): Router {
  const router = Router();
  mount(router, apiRoutes.audit.list, async ({ auth, query }) => deps.db.asUser(auth.claims, (db) => auditPage(db, auth.orgId, query)));

  // A file download, not JSON, so mount() (which answers JSON) is not used: access is checked the same way.
  const exportRoute = apiRoutes.audit.exportCsv;
  router.get(exportRoute.path, async (req, res) => {
    const refusal = accessRefusal(exportRoute, req);
    if (refusal) throw refusal;
    const filters = AuditFilters.parse(req.query);
    const auth = req.auth!;
    const csv = await deps.db.asUser(auth.claims, (db) => auditCsv(db, auth.orgId, filters));
    const day = deps.clock.now().toISOString().slice(0, 10);
    res.setHeader("content-type", "text/csv; charset=utf-8");
    res.setHeader("content-disposition", `attachment; filename="audit-log-${day}.csv"`);
    res.send(csv);
  });
  return router;
}
