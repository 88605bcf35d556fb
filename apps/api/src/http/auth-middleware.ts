import type { RequestHandler } from "express";
import type { Config } from "../config";
import { DomainError } from "../lib/domain-error";
import type { AuthProvider } from "../modules/auth/provider";
import { HttpError, unauthorized } from "./errors";
import { accessTokenFrom, hasSessionCookie } from "./session-cookies";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Provider webhooks never carry our cookies or JWTs and authenticate themselves (secrets, HMAC,
 * signatures). Express routes paths case-insensitively (`/API/VAPI/webhook` reaches the Vapi
 * router), so every path test here is case-insensitive too: a path that routes like a webhook is
 * treated like one, and one that routes like /api/auth is checked like one.
 */
export function isWebhookPath(path: string): boolean {
  return /^\/api\/(vapi|webhooks)(\/|$)/i.test(path);
}

const isAuthPath = (path: string) => /^\/api\/auth(\/|$)/i.test(path);

/**
 * Verifies the access token (Authorization: Bearer, else the access cookie) and sets `req.auth`.
 * An invalid token does not fail the request here — public routes (sign-in, an OAuth callback)
 * must still work with a stale cookie — it is kept in `req.authError`, which `mount()` and
 * `requireAuth` answer with on routes that need a session.
 */
export function authenticate(provider: Pick<AuthProvider, "verifyAccessToken">): RequestHandler {
  return async (req, _res, next) => {
    if (isWebhookPath(req.path)) return next();
    const token = accessTokenFrom(req);
    if (!token) return next();
    try {
      req.auth = await provider.verifyAccessToken(token);
    } catch (err) {
      // A bad token is an answer (401 where a session is needed); the session store being
      // unreachable is not the caller's fault: it goes to the error handler (503 + Retry-After).
      if (err instanceof HttpError || err instanceof DomainError) req.authError = err;
      else return next(err);
    }
    next();
  };
}

/** For routes not mounted through `mount()` (e.g. file downloads): 401 unless signed in. */
export const requireAuth: RequestHandler = (req, _res, next) => {
  next(req.auth ? undefined : (req.authError ?? unauthorized()));
};

/**
 * CSRF defence for cookie sessions: a write that carries one of our session cookies must come
 * from a dashboard origin (WEB_ORIGINS). Browsers always send Origin on cross-site and same-site
 * POSTs, so a missing Origin with a cookie is refused too. Bearer-token clients send no cookie and
 * are not affected; sign-in from a foreign page is refused when the browser names that page.
 */
export function originCheck(config: Pick<Config, "WEB_ORIGINS">): RequestHandler {
  const allowed = new Set(config.WEB_ORIGINS);
  return (req, _res, next) => {
    if (!MUTATING.has(req.method) || isWebhookPath(req.path)) return next();
    const origin = req.headers.origin;
    if (hasSessionCookie(req)) {
      if (!origin) {
        return next(
          new HttpError(
            403,
            "origin_required",
            "This request carries a Voxanne session cookie but no Origin header, so it was refused to prevent cross-site request forgery. Send it from the Voxanne dashboard, or authenticate with an Authorization: Bearer token instead of cookies.",
          ),
        );
      }
      if (!allowed.has(origin)) {
        return next(
          new HttpError(
            403,
            "origin_not_allowed",
            "This request carries a Voxanne session cookie but comes from a page that is not the Voxanne dashboard (its Origin is not in WEB_ORIGINS), so it was refused.",
          ),
        );
      }
    } else if (origin && !allowed.has(origin) && isAuthPath(req.path)) {
      return next(new HttpError(403, "origin_not_allowed", "Sign-in is only accepted from the Voxanne dashboard (this page's Origin is not in WEB_ORIGINS)."));
    }
    next();
  };
}
