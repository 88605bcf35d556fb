import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { callerIdProviders, callerIdStatusCallbackUrl } from "../../integrations/twilio/caller-ids";
import {
  availability,
  confirmForwarding,
  confirmVerification,
  disableForwarding,
  getForwardingConfig,
  initiateVerification,
  listVerifiedNumbers,
  removeVerifiedNumber,
  saveForwardingConfig,
  type TelephonyDeps,
} from "../../modules/telephony/service";
import { mount } from "../route";

/**
 * /api/telephony: the phone-forwarding wizard. Members read; owners and admins verify numbers and
 * change forwarding. Verification talks to the clinic's Twilio account outside any transaction.
 */
export function createTelephonyRouter(deps: Pick<AppDeps, "db" | "config">): Router {
  const router = Router();
  const routes = apiRoutes.telephony;
  const telephony: TelephonyDeps = {
    db: deps.db,
    callerIds: callerIdProviders(deps),
    statusCallbackUrl: (orgId) => callerIdStatusCallbackUrl(deps.config, orgId),
  };

  mount(router, routes.verifiedNumbers, async ({ auth }) =>
    deps.db.asUser(auth.claims, async (db) => ({
      numbers: await listVerifiedNumbers(db, auth.orgId),
      availability: await availability(telephony, db, auth.orgId),
    })),
  );
  mount(router, routes.initiateVerification, async ({ auth, body }) => initiateVerification(telephony, auth, body));
  mount(router, routes.confirmVerification, async ({ auth, body }) => confirmVerification(telephony, auth, body.verificationId));
  mount(router, routes.removeVerifiedNumber, async ({ auth, params }) => removeVerifiedNumber(telephony, auth, params.verifiedId!));
  mount(router, routes.forwardingConfig, async ({ auth, query }) => ({
    config: await deps.db.asUser(auth.claims, (db) => getForwardingConfig(db, auth.orgId, query.verifiedCallerId)),
  }));
  mount(router, routes.saveForwardingConfig, async ({ auth, body }) => deps.db.asService(auth.orgId, (db) => saveForwardingConfig(db, auth, body)));
  mount(router, routes.confirmForwarding, async ({ auth, body }) => deps.db.asService(auth.orgId, (db) => confirmForwarding(db, auth, body)));
  mount(router, routes.disableForwarding, async ({ auth, params }) => deps.db.asService(auth.orgId, (db) => disableForwarding(db, auth, params.configId!)));
  return router;
}
