import { SESSION_COOKIES } from "@voxanne/contracts/auth";
import { NextResponse, type NextRequest } from "next/server";
import { HOME_PATH, safeNextPath } from "./lib/redirects";
import { clientAddress, contentSecurityPolicy } from "./lib/security-headers";

/**
 * Session cookies set by the API (apps/api/src/http/session-cookies.ts); httpOnly, so only the
 * server sees them. The refresh cookie is scoped to /api/auth and never reaches page requests; it
 * is listed for deployments that widen its path.
 */
const ACCESS_COOKIE = SESSION_COOKIES.access;
const REFRESH_COOKIE = SESSION_COOKIES.refresh;
const AUTH_PAGES = new Set(["/signin", "/signup"]);
/** Reached from an email link, signed in or not: never redirected. */
const LINK_PAGES = new Set(["/accept-invite", "/forgot-password", "/reset-password"]);

/** Read per request, not at build time, so one build can sit in front of any API. */
function apiUrl(): string {
  return process.env.API_URL || "http://localhost:3000";
}

/**
 * 1. `/api/*` and the `/ws` live feed (WebSocket upgrades included) are forwarded to the API,
 *    keeping the browser same-origin with it: first-party cookies, no CORS. X-Forwarded-For is
 *    replaced by exactly one address (`clientAddress`: the one the hop in front of this server saw),
 *    so addresses a client prepends never reach the API's per-IP limits or audit rows.
 * 2. Dashboard pages without a session cookie go straight to /signin (no flash of the shell).
 *    The access cookie expires with its token; /signin then renews the session silently with the
 *    refresh cookie and comes back. A cookie that is present but stale is handled in the browser.
 * 3. /signin and /signup with a working session go to the dashboard; the API is asked, because
 *    a stale cookie must not bounce the visitor between the two.
 * 4. Every page gets a fresh CSP nonce (the pages render per request; see app/layout.tsx).
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;

  if (pathname === "/api" || pathname.startsWith("/api/") || pathname === "/ws") {
    const headers = new Headers(request.headers);
    const client = clientAddress(request.headers.get("x-forwarded-for"));
    if (client) headers.set("x-forwarded-for", client);
    else headers.delete("x-forwarded-for");
    headers.delete("forwarded");
    return NextResponse.rewrite(new URL(pathname + search, apiUrl()), { request: { headers } });
  }

  const hasAccess = request.cookies.has(ACCESS_COOKIE);
  const hasSession = hasAccess || request.cookies.has(REFRESH_COOKIE);

  if (LINK_PAGES.has(pathname)) return withCsp(request);

  if (AUTH_PAGES.has(pathname)) {
    if (hasAccess && (await sessionIsValid(request))) {
      return NextResponse.redirect(new URL(safeNextPath(request.nextUrl.searchParams.get("next")), request.url));
    }
    return withCsp(request);
  }

  if (!hasSession) {
    const signin = new URL("/signin", request.url);
    if (pathname !== "/" && pathname !== HOME_PATH) signin.searchParams.set("next", pathname + search);
    return NextResponse.redirect(signin);
  }
  return withCsp(request);
}

/** Renders the page with a new nonce: in the request (for Next.js to use) and in the response (for the browser). */
function withCsp(request: NextRequest): NextResponse {
  const nonce = btoa(crypto.randomUUID());
  const policy = contentSecurityPolicy(nonce, { host: request.headers.get("host"), dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

async function sessionIsValid(request: NextRequest): Promise<boolean> {
  try {
    const res = await fetch(new URL("/api/auth/me", apiUrl()), {
      headers: { cookie: request.headers.get("cookie") ?? "", accept: "application/json" },
      cache: "no-store",
      signal: AbortSignal.timeout(2000),
    });
    return res.ok;
  } catch {
    return false; // API unreachable: show the form, which reports the problem if it persists
  }
}

export const config = {
  // Everything except Next's own assets and the app icon.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
