import { apiRoutes, UsageExportQuery } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { changeSuspension, clinicDetail, listClinics, usageCsv } from "../../modules/admin/service";
import { accessRefusal } from "../access";
import { mount } from "../route";

/** /api/admin: the platform admin, for Voxanne operators only (`access: "operator"`), across every clinic. */
export function createAdminRouter(deps: Pick<AppDeps, "db" | "clock">): Router {
  const router = Router();
  const { db, clock } = deps;
  mount(router, apiRoutes.admin.clinics, () => db.asSystem((tx) => listClinics(tx, clock.now())));
  mount(router, apiRoutes.admin.clinic, ({ params }) => db.asSystem((tx) => clinicDetail(tx, params.orgId!, clock.now())));
  mount(router, apiRoutes.admin.suspend, ({ auth, params, body }) => db.asSystem((tx) => changeSuspension(tx, auth, params.orgId!, body.reason, clock.now())));
  mount(router, apiRoutes.admin.resume, ({ auth, params }) => db.asSystem((tx) => changeSuspension(tx, auth, params.orgId!, null, clock.now())));
  // A file download, so served without mount() (which answers JSON): same access check first.
  const csvRoute = apiRoutes.admin.usageCsv;
  router.get(csvRoute.path, async (req, res) => {
    const refusal = accessRefusal(csvRoute, req);
    if (refusal) throw refusal;
    const month = UsageExportQuery.parse(req.query).month ?? clock.now().toISOString().slice(0, 7);
    const csv = await db.asSystem((tx) => usageCsv(tx, month));
    res.status(200).type("text/csv; charset=utf-8").setHeader("Content-Disposition", `attachment; filename="voxanne-usage-${month}.csv"`).send(csv);
  });
  return router;
}
