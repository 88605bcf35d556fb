import { Router, type Request, type Response } from "express";
import { authRoutes } from "@voxanne/contracts";
import type { AppDeps } from "../../deps";
import { refreshRejected } from "../../modules/auth/provider";
import { createAuthService, withBearerTokens, type RequestMeta, type SessionResult } from "../../modules/auth/service";
import { badRequest, unauthorized } from "../errors";
import { authRateLimits } from "../rate-limit";
import { mount } from "../route";
import { accessTokenFrom, clearSessionCookies, refreshTokenCookie, setSessionCookies } from "../session-cookies";

const meta = (req: Request): RequestMeta => ({ ip: req.ip, userAgent: req.get("user-agent") ?? undefined });

/**
 * /api/auth/*: sign-up, sign-in, refresh, sign-out, password change and the current user.
 *
 * Two ways to hold a session (docs/SECURITY.md § Sessions): the dashboard's httpOnly cookies (the
 * default; no token is ever in a response body), or bearer mode for API clients (`?mode=bearer`:
 * the tokens in the body, no cookies). Bearer refresh reads the refresh token from the body only,
 * so a script on a dashboard page cannot trade the httpOnly cookie for readable tokens.
 */
export function createAuthRouter(deps: Pick<AppDeps, "config" | "db" | "logger" | "clock" | "auth">): Router {
  const { config, clock } = deps;
  const service = createAuthService({ ...deps, provider: deps.auth });
  const limits = authRateLimits(config);
  const router = Router();

  // Rate limits run before validation, so malformed floods are counted too. A password change
  // checks the current password, so it is limited like a sign-in.
  router.post(authRoutes.signup.path, limits.perIp, limits.perEmail);
  router.post(authRoutes.login.path, limits.perIp, limits.perEmail);
  router.post(authRoutes.changePassword.path, limits.perIp);

  const answer = (result: SessionResult, bearer: boolean, res: Response) => {
    if (bearer) return withBearerTokens(result);
    setSessionCookies(res, config, result.session, clock.now());
    return result.body;
  };

  mount(router, authRoutes.signup, async ({ body, req, res }) => answer(await service.signUp(body, meta(req)), false, res));

  mount(router, authRoutes.login, async ({ body, query, req, res }) => answer(await service.signIn(body, meta(req)), query?.mode === "bearer", res));

  mount(router, authRoutes.refresh, async ({ body, query, req, res }) => {
    const bearer = query?.mode === "bearer";
    if (!bearer && body.refreshToken) {
      throw badRequest(
        "A refresh token in the request body is only accepted in bearer mode: POST /api/auth/refresh?mode=bearer. Browsers renew with the refresh cookie.",
        "bearer_mode_required",
      );
    }
    const token = bearer ? body.refreshToken : refreshTokenCookie(req);
    if (!token) {
      if (!bearer) clearSessionCookies(res, config);
      throw refreshRejected();
    }
    try {
      return answer(await service.refresh(token), bearer, res);
    } catch (err) {
      if (!bearer) clearSessionCookies(res, config);
      throw err;
    }
  });

  mount(router, authRoutes.logout, async ({ req, res }) => {
    await service.signOut({ accessToken: accessTokenFrom(req), refreshToken: refreshTokenCookie(req) }, req.auth, meta(req));
    clearSessionCookies(res, config);
    return { ok: true as const };
  });

  mount(router, authRoutes.changePassword, async ({ auth, body, req }) => {
    const accessToken = accessTokenFrom(req);
    if (!accessToken) throw unauthorized();
    await service.changePassword(auth, accessToken, body, meta(req));
    return { ok: true as const };
  });

  mount(router, authRoutes.me, async ({ auth }) => service.me(auth));

  return router;
}
