import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { createVapiClient, vapiAvailability, vapiCallPlacer } from "../../integrations/vapi/client";
import { authorizeCallBack } from "../../modules/contacts/call-back";
import { exportContactsCsv } from "../../modules/contacts/export";
import { importContacts } from "../../modules/contacts/import";
import { leadDetail, leadStats, leadsPage, updateLead } from "../../modules/contacts/service";
import { mount } from "../route";

/** /api/contacts: the leads inbox. Reads under the member's RLS; changes as the service role for their org, audited in the same transaction. */
export function createContactsRouter(deps: Pick<AppDeps, "db" | "clock" | "config">): Router {
  const router = Router();
  const vapi = vapiAvailability(deps.config);
  const placeCall = vapiCallPlacer(createVapiClient(deps.config), "The call-back");
  const actor = (auth: { orgId: string; userId: string }) => ({ orgId: auth.orgId, userId: auth.userId });

  // Before /:id, so "stats" is not read as an id.
  mount(router, apiRoutes.contacts.stats, ({ auth }) => deps.db.asUser(auth.claims, (db) => leadStats(db, auth.orgId)));
  mount(router, apiRoutes.contactFiles.importContacts, ({ auth, body }) => deps.db.asService(auth.orgId, (db) => importContacts(db, actor(auth), body)));
  mount(router, apiRoutes.contactFiles.exportContacts, ({ auth }) =>
    deps.db.asService(auth.orgId, (db) => exportContactsCsv(db, actor(auth), deps.clock.now())),
  );
  mount(router, apiRoutes.contacts.list, ({ auth, query }) => deps.db.asUser(auth.claims, (db) => leadsPage(db, auth.orgId, query)));
  mount(router, apiRoutes.contacts.detail, ({ auth, params }) => deps.db.asUser(auth.claims, (db) => leadDetail(db, auth.orgId, params.id!)));
  mount(router, apiRoutes.contacts.update, ({ auth, params, body }) =>
    deps.db.asService(auth.orgId, (db) => updateLead(db, actor(auth), deps.clock.now(), params.id!, body)),
  );
  mount(router, apiRoutes.contacts.callBack, async ({ auth, params }) => {
    const target = await deps.db.asService(auth.orgId, (db) => authorizeCallBack(db, placeCall !== null && vapi.configured, actor(auth), params.id!));
    const placed = await placeCall!(target);
    return { vapiCallId: placed.callId, status: placed.status, to: target.phone };
  });
  return router;
}
