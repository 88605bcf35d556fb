import type { NextConfig } from "next";

/**
 * `/api/*` is forwarded to the API by `proxy.ts`, not by `rewrites()`: rewrites are frozen into
 * the build, while the proxy reads `API_URL` when the server starts, so one build serves any API.
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
