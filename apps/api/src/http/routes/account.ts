import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { getAccount, requestPasswordReset, resetPassword, updateAccount } from "../../modules/account/service";
import { readOutbox } from "../../modules/email/service";
import { authRateLimits, passwordResetRateLimit } from "../rate-limit";
import { mount } from "../route";
import { requestMeta } from "./team";

/** /api/account (your own), "forgot password" (/api/auth/password/forgot, /reset) and the development outbox. */
export function createAccountRouter(deps: Pick<AppDeps, "db" | "clock" | "config" | "auth" | "logger">): Router {
  const router = Router();
  const limits = authRateLimits(deps.config);
  const accountDeps = { db: deps.db, clock: deps.clock, auth: deps.auth, config: deps.config, logger: deps.logger };

  router.post(apiRoutes.account.forgotPassword.path, limits.perIp, passwordResetRateLimit(deps.config));
  router.post(apiRoutes.account.resetPassword.path, limits.perIp);

  mount(router, apiRoutes.account.get, async ({ auth }) => getAccount(deps.db, auth));
  mount(router, apiRoutes.account.update, async ({ auth, body, req }) => updateAccount(deps.db, auth, body, requestMeta(req)));

  // Answered at once and the same for every email: whether an account exists shows neither in the
  // answer nor in how long it takes. The work (and its failure, logged) happens afterwards.
  mount(router, apiRoutes.account.forgotPassword, async ({ body, req }) => {
    const meta = requestMeta(req);
    void requestPasswordReset(accountDeps, body.email, meta).catch((err: unknown) => deps.logger.error({ err }, "password reset email failed"));
    return { ok: true as const };
  });
  mount(router, apiRoutes.account.resetPassword, async ({ body, req }) => resetPassword(accountDeps, body, requestMeta(req)));

  mount(router, apiRoutes.account.outbox, async ({ auth }) => readOutbox(deps.db, auth.orgId, deps.config));
  return router;
}
