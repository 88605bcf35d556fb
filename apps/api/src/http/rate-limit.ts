import type { Request, RequestHandler } from "express";
import { rateLimit, type Options } from "express-rate-limit";
import type { Config } from "../config";
import { HttpError } from "./errors";

const WINDOW_MS = 15 * 60 * 1000;

function retryAfterSeconds(req: Request): number {
  const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  return reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : Math.ceil(WINDOW_MS / 1000);
}

function tooMany(what: string): Options["handler"] {
  return (req, _res, next) => {
    const seconds = retryAfterSeconds(req);
    const minutes = Math.ceil(seconds / 60);
    next(
      new HttpError(429, "rate_limited", `Too many sign-in or sign-up attempts ${what}. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`, {
        "Retry-After": String(seconds),
      }),
    );
  };
}

function emailKey(req: Request): string | undefined {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" && email.trim() ? email.trim().toLowerCase() : undefined;
}

/**
 * Sign-in / sign-up limits per client IP and per email address, each over 15 minutes.
 * The counters live in this process (express-rate-limit's memory store): with several API
 * instances each keeps its own count, so the effective limit is N× the setting. For a fleet, give
 * both limiters a shared store (e.g. rate-limit-postgresql on the same Postgres, or Redis).
 */
export function authRateLimits(config: Config): { perIp: RequestHandler; perEmail: RequestHandler } {
  const perIp = rateLimit({
    windowMs: WINDOW_MS,
    limit: config.RATE_LIMIT_AUTH_PER_IP,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    handler: tooMany("from this network"),
  });
  const perEmail = rateLimit({
    windowMs: WINDOW_MS,
    limit: config.RATE_LIMIT_AUTH_PER_EMAIL,
    standardHeaders: false,
    legacyHeaders: false,
    // Only failures count, so a person who signs in correctly is never locked out by their own successes.
    skipSuccessfulRequests: true,
    skip: (req) => emailKey(req) === undefined,
    keyGenerator: (req) => `email:${emailKey(req)}`,
    handler: tooMany("for this email address"),
  });
  return { perIp, perEmail };
}

/**
 * "Forgot password", per email address over 15 minutes. Every request counts (the answer is the
 * same whether or not the email has an account, so there is no "success" to skip), which bounds
 * how many reset emails anyone can make a mailbox receive. Used with `perIp` from authRateLimits.
 */
export function passwordResetRateLimit(config: Config): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: Math.min(config.RATE_LIMIT_AUTH_PER_EMAIL, 5),
    standardHeaders: false,
    legacyHeaders: false,
    skip: (req) => emailKey(req) === undefined,
    keyGenerator: (req) => `reset:${emailKey(req)}`,
    handler: (req, _res, next) => {
      const seconds = retryAfterSeconds(req);
      const minutes = Math.ceil(seconds / 60);
      next(
        new HttpError(
          429,
          "rate_limited",
          `Too many password reset requests for this email address. Check your inbox for the last link, or wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
          { "Retry-After": String(seconds) },
        ),
      );
    },
  });
}
