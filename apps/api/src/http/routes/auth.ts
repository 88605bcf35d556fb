import { Router, type Request } from "express";
import { authRoutes } from "@voxanne/contracts";
import type { AppDeps } from "../../deps";
import { refreshRejected } from "../../modules/auth/provider";
import { createAuthService, type RequestMeta } from "../../modules/auth/service";
import { authRateLimits } from "../rate-limit";
import { mount } from "../route";
import { accessTokenFrom, clearSessionCookies, refreshTokenCookie, setSessionCookies } from "../session-cookies";

const meta = (req: Request): RequestMeta => ({ ip: req.ip, userAgent: req.get("user-agent") ?? undefined });

/** /api/auth/*: sign-up, sign-in, refresh, sign-out and the current user. */
export function createAuthRouter(deps: Pick<AppDeps, "config" | "db" | "logger" | "clock" | "auth">): Router {
  const { config, clock } = deps;
  const service = createAuthService({ ...deps, provider: deps.auth });
  const limits = authRateLimits(config);
  const router = Router();

  // Rate limits run before validation, so malformed floods are counted too.
  router.post(authRoutes.signup.path, limits.perIp, limits.perEmail);
  router.post(authRoutes.login.path, limits.perIp, limits.perEmail);

  mount(router, authRoutes.signup, async ({ body, req, res }) => {
    const result = await service.signUp(body, meta(req));
    setSessionCookies(res, config, result.session, clock.now());
    return result.body;
  });

  mount(router, authRoutes.login, async ({ body, req, res }) => {
    const result = await service.signIn(body, meta(req));
    setSessionCookies(res, config, result.session, clock.now());
    return result.body;
  });

  mount(router, authRoutes.refresh, async ({ body, req, res }) => {
    const token = body.refreshToken ?? refreshTokenCookie(req);
    if (!token) {
      clearSessionCookies(res, config);
      throw refreshRejected();
    }
    try {
      const result = await service.refresh(token);
      setSessionCookies(res, config, result.session, clock.now());
      return result.body;
    } catch (err) {
      clearSessionCookies(res, config);
      throw err;
    }
  });

  mount(router, authRoutes.logout, async ({ req, res }) => {
    await service.signOut({ accessToken: accessTokenFrom(req), refreshToken: refreshTokenCookie(req) }, req.auth, meta(req));
    clearSessionCookies(res, config);
    return { ok: true as const };
  });

  mount(router, authRoutes.me, async ({ auth }) => service.me(auth));

  return router;
}
