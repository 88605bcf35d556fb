import { describe, expect, it } from "vitest";
import { createTestApp, TEST_ORIGIN } from "./helpers/app";
import { signUpOverHttp, uniqueEmail } from "./helpers/auth";
import { listen } from "./helpers/http";

const headers = { origin: TEST_ORIGIN };

describe("auth rate limits", () => {
  it("limits sign-in and sign-up per client IP with 429, Retry-After and an actionable message", async () => {
    const t = await createTestApp({ config: { RATE_LIMIT_AUTH_PER_IP: 3 } });
    const http = await listen(t.app);
    const owner = await signUpOverHttp(http); // 1
    const ok = await http.request("POST", "/api/auth/login", { body: { email: owner.email, password: owner.password }, headers }); // 2
    expect(ok.status).toBe(200);
    const wrong = await http.request("POST", "/api/auth/login", { body: { email: uniqueEmail(), password: "whatever-123" }, headers }); // 3
    expect(wrong.status).toBe(401);

    for (const path of ["/api/auth/login", "/api/auth/signup"]) {
      const limited = await http.request("POST", path, {
        body: { email: owner.email, password: owner.password, clinicName: "Another Clinic" },
        headers,
      });
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(limited.body.error).toMatchObject({
        code: "rate_limited",
        message: expect.stringMatching(/^Too many sign-in or sign-up attempts from this network\. Wait \d+ minutes? and try again\.$/),
        requestId: expect.any(String),
      });
    }
    // Signed-in routes are not behind the auth limiter.
    expect(
      (
        await http.request("GET", "/api/auth/me", {
          headers: {
            cookie: ok.headers
              .getSetCookie()
              .map((c) => c.split(";")[0])
              .join("; "),
          },
        })
      ).status,
    ).toBe(200);
  });

  it("limits failed attempts per email address, whatever the IP and case, and leaves other emails alone", async () => {
    const t = await createTestApp({ config: { RATE_LIMIT_AUTH_PER_EMAIL: 2 } });
    const http = await listen(t.app);
    const victim = await signUpOverHttp(http);
    const bystander = await signUpOverHttp(http);

    for (const forwardedFor of ["198.51.100.1", "198.51.100.2"]) {
      const res = await http.request("POST", "/api/auth/login", {
        body: { email: victim.email, password: "guess-number-x" },
        headers: { ...headers, "x-forwarded-for": forwardedFor },
      });
      expect(res.status).toBe(401);
    }
    // Even the right password is refused now: the attacker cannot keep guessing.
    const locked = await http.request("POST", "/api/auth/login", {
      body: { email: victim.email.toUpperCase(), password: victim.password },
      headers: { ...headers, "x-forwarded-for": "198.51.100.3" },
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toMatch(/for this email address/);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);

    const other = await http.request("POST", "/api/auth/login", { body: { email: bystander.email, password: bystander.password }, headers });
    expect(other.status).toBe(200);
  });
});
