import type { NextConfig } from "next";

/**
 * `/api/*` is forwarded to the API by `proxy.ts`, not by `rewrites()`: rewrites are frozen into
 * the build, while the proxy reads `API_URL` when the server starts, so one build serves any API.
 * The Content Security Policy is set per request by `proxy.ts` too (it carries a fresh nonce).
 */
const nextConfig: NextConfig = {
  transpilePackages: ["@voxanne/contracts"],
  poweredByHeader: false,
  reactStrictMode: true,
  async redirects() {
    return [{ source: "/", destination: "/overview", permanent: false }];
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          // HTTPS only from the first visit on, for two years (browsers ignore it on plain http, e.g. localhost).
          { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), geolocation=(), microphone=(self)" },
        ],
      },
    ];
  },
};

export default nextConfig;
