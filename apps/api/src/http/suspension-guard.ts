import type { RequestHandler } from "express";
import type { Database } from "../db/database";
import { assertClinicWritable } from "../modules/admin/service";
import { isWebhookPath } from "./auth-middleware";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Writes that stay open for a suspended clinic: signing in and out, the live feed's ticket, and the operators' own routes. */
const STILL_ALLOWED = /^\/api\/(auth|ws|admin)(\/|$)/i;

/**
 * A suspended clinic's dashboard is read-only: every other signed-in write is refused with a 403
 * naming the operator's reason, whichever role the route's transaction runs as. Writes made as
 * `authenticated` are refused by the database too (migration 20261217000100_org_suspension.sql);
 * webhooks are never refused, so no call data is lost while suspended.
 */
export function refuseSuspendedWrites(db: Pick<Database, "asSystem">): RequestHandler {
  return (req, _res, next) => {
    if (!req.auth || !MUTATING.has(req.method) || isWebhookPath(req.path) || STILL_ALLOWED.test(req.path)) return next();
    const orgId = req.auth.orgId;
    db.asSystem((tx) => assertClinicWritable(tx, orgId)).then(() => next(), next);
  };
}
