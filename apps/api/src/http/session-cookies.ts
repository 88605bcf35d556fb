import { SESSION_COOKIES } from "@voxanne/contracts";
import type { CookieOptions, Request, Response } from "express";
import type { Config } from "../config";

/** httpOnly session cookies: the browser never hands a token to JavaScript (no localStorage). */
export const ACCESS_COOKIE = SESSION_COOKIES.access;
export const REFRESH_COOKIE = SESSION_COOKIES.refresh;
const REFRESH_COOKIE_PATH = SESSION_COOKIES.refreshPath;

function accessOptions(config: Config): CookieOptions {
  return { httpOnly: true, secure: config.cookieSecure, sameSite: "lax", path: "/" };
}
function refreshOptions(config: Config): CookieOptions {
  return { httpOnly: true, secure: config.cookieSecure, sameSite: "strict", path: REFRESH_COOKIE_PATH };
}

export function setSessionCookies(res: Response, config: Config, session: { accessToken: string; refreshToken: string; expiresAt: number }, now: Date): void {
  res.cookie(ACCESS_COOKIE, session.accessToken, {
    ...accessOptions(config),
    maxAge: Math.max(0, session.expiresAt * 1000 - now.getTime()),
  });
  res.cookie(REFRESH_COOKIE, session.refreshToken, { ...refreshOptions(config), maxAge: config.REFRESH_TOKEN_TTL_SECONDS * 1000 });
}

export function clearSessionCookies(res: Response, config: Config): void {
  res.clearCookie(ACCESS_COOKIE, accessOptions(config));
  res.clearCookie(REFRESH_COOKIE, refreshOptions(config));
}

export function hasSessionCookie(req: Request): boolean {
  const cookies = (req.cookies ?? {}) as Record<string, unknown>;
  return Boolean(cookies[ACCESS_COOKIE] || cookies[REFRESH_COOKIE]);
}

/** `Authorization: Bearer <jwt>` first (explicit), then the access cookie. */
export function accessTokenFrom(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[ACCESS_COOKIE];
  return typeof cookie === "string" && cookie ? cookie : undefined;
}

export function refreshTokenCookie(req: Request): string | undefined {
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof cookie === "string" && cookie ? cookie : undefined;
}
