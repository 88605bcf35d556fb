/**
 * Headers the dashboard's proxy (proxy.ts) sets; kept here, apart from the proxy, so they can be
 * tested on their own (e2e/security-headers.e2e.ts). docs/SECURITY.md explains the choices.
 */

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f]*:[0-9a-f:.]*$/i;

/**
 * The visitor's address, as the hop in front of this server saw it: the last X-Forwarded-For entry.
 * Next.js fills the header with the peer address when a request arrives without one; a TLS proxy or
 * load balancer in front of the dashboard appends (or sets) the address it saw. Entries before the
 * last one were written by the client and are dropped. docs/SECURITY.md § Proxy trust.
 */
export function clientAddress(forwardedFor: string | null | undefined): string | null {
  const last = forwardedFor?.split(",").at(-1)?.trim() ?? "";
  return IPV4.test(last) || IPV6.test(last) ? last : null;
}

const HOST = /^([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/i;

/**
 * The page's Content Security Policy. Scripts run only with this response's nonce (Next.js puts it
 * on its own scripts when it finds the policy in the request headers) or when loaded by such a
 * script ('strict-dynamic'): an injected inline script cannot run. Styles allow 'unsafe-inline'
 * because React renders style attributes, which nonces cannot cover (and a nonce in style-src would
 * switch 'unsafe-inline' off). Fetches and the live-feed socket go to this origin only (/api and
 * /ws are proxied); the socket's ws(s) origin is named as well for browsers whose 'self' does not
 * cover it. 'unsafe-eval' only under `next dev` (React's debugging aids). The Receptionist page's
 * "Web test" (the Vapi web SDK, which talks to Vapi and streams audio over Daily's WebRTC) is the one
 * feature that reaches other hosts, so exactly those are named; call recordings play from this
 * origin only.
 */
/** Vapi's API and Daily's signalling and media servers, for the browser "Web test" call. */
const WEB_TEST_HOSTS = "https://api.vapi.ai https://*.daily.co wss://*.daily.co";

export function contentSecurityPolicy(nonce: string, options: { host?: string | null; dev?: boolean } = {}): string {
  const host = options.host && HOST.test(options.host) ? options.host : null;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${host ? ` ws://${host} wss://${host}` : ""} ${WEB_TEST_HOSTS}`,
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
