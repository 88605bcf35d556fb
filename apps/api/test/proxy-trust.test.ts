import { describe, expect, it } from "vitest";
import { parseTrustProxy } from "../src/config";
import { createTestApp, TEST_ORIGIN, type TestApp } from "./helpers/app";
import { signUpOverHttp, uniqueEmail } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";

/**
 * X-Forwarded-For decides req.ip — the per-IP sign-in limit's key and the address in audit rows —
 * only when it comes from a proxy named in TRUST_PROXY. These tests reach the API from 127.0.0.1.
 */

async function app(trustProxy: string, perIp = 10_000): Promise<{ t: TestApp; http: TestHttp }> {
  const t = await createTestApp({ config: { TRUST_PROXY: trustProxy, RATE_LIMIT_AUTH_PER_IP: perIp } });
  return { t, http: await listen(t.app) };
}

const auditIps = async (t: TestApp, orgId: string) =>
  (await t.admin.query("select action, host(ip) as ip from public.audit_events where org_id = $1 order by created_at", [orgId])).rows;

describe("TRUST_PROXY", () => {
  it("parses to Express's trust setting: none in production, loopback elsewhere; refuses 'trust everyone' and junk", () => {
    expect(parseTrustProxy(undefined, "production")).toBe(false);
    expect(parseTrustProxy(undefined, "development")).toEqual(["loopback"]);
    expect(parseTrustProxy("none", "development")).toBe(false);
    expect(parseTrustProxy("1", "production")).toBe(1);
    expect(parseTrustProxy("loopback, 10.0.0.0/8, 192.168.1.7, fd00::/8", "production")).toEqual(["loopback", "10.0.0.0/8", "192.168.1.7", "fd00::/8"]);
    expect(() => parseTrustProxy("true", "production")).toThrow(/TRUST_PROXY: trusting every peer/);
    expect(() => parseTrustProxy("my-load-balancer", "production")).toThrow(/"my-load-balancer" is not an IP address/);
  });

  it("from an untrusted peer, a spoofed X-Forwarded-For changes neither the audit address nor the rate-limit key", async () => {
    // The peer (127.0.0.1) is not a trusted proxy here.
    const { t, http } = await app("10.0.0.0/8", 3);
    const owner = await signUpOverHttp(http); // 1
    for (const [i, spoofed] of ["203.0.113.1", "203.0.113.2"].entries()) {
      const res = await http.request("POST", "/api/auth/login", {
        body: { email: owner.email, password: owner.password },
        headers: { origin: TEST_ORIGIN, "x-forwarded-for": spoofed },
      });
      expect(res.status, `login ${i + 2}`).toBe(200);
    }
    // The third spoofed address still counts against 127.0.0.1: limited.
    const limited = await http.request("POST", "/api/auth/login", {
      body: { email: uniqueEmail(), password: "whatever-123" },
      headers: { origin: TEST_ORIGIN, "x-forwarded-for": "203.0.113.3" },
    });
    expect(limited.status).toBe(429);
    expect(await auditIps(t, owner.body.organization.id)).toEqual([
      { action: "auth.signup", ip: "127.0.0.1" },
      { action: "auth.login", ip: "127.0.0.1" },
      { action: "auth.login", ip: "127.0.0.1" },
    ]);
  });

  it("with TRUST_PROXY=none nothing is believed, not even from loopback", async () => {
    const { t, http } = await app("none");
    const owner = await signUpOverHttp(http);
    await http.request("POST", "/api/auth/login", {
      body: { email: owner.email, password: owner.password },
      headers: { origin: TEST_ORIGIN, "x-forwarded-for": "198.51.100.9" },
    });
    expect((await auditIps(t, owner.body.organization.id)).map((r) => r.ip)).toEqual(["127.0.0.1", "127.0.0.1"]);
  });

  it("from a trusted proxy, the client is the address that proxy saw (the last untrusted hop), not what the client claimed", async () => {
    const { t, http } = await app("loopback", 2);
    const owner = await signUpOverHttp(http); // counts for 127.0.0.1
    // The dashboard proxy appends the address it saw; the client prepended a lie.
    const login = await http.request("POST", "/api/auth/login", {
      body: { email: owner.email, password: owner.password },
      headers: { origin: TEST_ORIGIN, "x-forwarded-for": "6.6.6.6, 198.51.100.20" },
    });
    expect(login.status).toBe(200);
    expect((await auditIps(t, owner.body.organization.id)).map((r) => r.ip)).toEqual(["127.0.0.1", "198.51.100.20"]);
    // Each real client has its own budget: 198.51.100.20 used 1 of 2; another address is untouched.
    for (const xff of ["7.7.7.7, 198.51.100.20", "198.51.100.21", "198.51.100.21"]) {
      const res = await http.request("POST", "/api/auth/login", {
        body: { email: owner.email, password: owner.password },
        headers: { origin: TEST_ORIGIN, "x-forwarded-for": xff },
      });
      expect(res.status, xff).toBe(200);
    }
    const third = await http.request("POST", "/api/auth/login", {
      body: { email: owner.email, password: owner.password },
      headers: { origin: TEST_ORIGIN, "x-forwarded-for": "8.8.8.8, 198.51.100.20" },
    });
    expect(third.status).toBe(429);
  });
});
