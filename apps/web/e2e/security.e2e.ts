import { expect, test, type ConsoleMessage } from "@playwright/test";
import { HOME_PATH, safeNextPath } from "../lib/redirects";
import { clientAddress, contentSecurityPolicy } from "../lib/security-headers";
import { newClinic, signUp } from "./helpers";

// Pure functions first (Playwright is this app's only test runner), then the real pages.

test.describe("safeNextPath", () => {
  const refused: [why: string, next: string | null | undefined][] = [
    ["nothing", null],
    ["empty", ""],
    ["relative", "overview"],
    ["protocol-relative", "//evil.example"],
    ["protocol-relative with a path", "//evil.example/overview"],
    ["three slashes", "///evil.example"],
    ["backslash", "/\\evil.example"],
    ["backslash later on", "/calls\\..\\\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["tab (browsers drop it: //evil.example)", "/\t/evil.example"],
    ["newline (browsers drop it)", "/\n/evil.example"],
    ["carriage return", "/\r/evil.example"],
    ["space", "/ /evil.example"],
    ["NUL", "/\u0000/evil.example"],
    ["line separator", "/\u2028/evil.example"],
    ["encoded slashes", "/%2F%2Fevil.example"],
    ["encoded slashes, lower case", "/%2f%2fevil.example"],
    ["encoded backslash", "/%5Cevil.example"],
    ["encoded backslash, lower case", "/%5cevil.example"],
    ["dot segment to //", "/.//evil.example"],
    ["dot-dot segment to //", "/a/..//evil.example"],
    ["javascript: URL", "javascript:alert(document.cookie)"],
    ["javascript: after a slash-less scheme", "JAVASCRIPT:alert(1)"],
    ["data: URL", "data:text/html,<script>alert(1)</script>"],
    ["absolute URL", "https://evil.example/overview"],
    ["scheme-relative http:", "http:evil.example"],
    ["sign-in page (loop)", "/signin"],
    ["sign-in page with a query", "/signin?next=/calls"],
    ["sign-up page", "/signup"],
    ["sign-in page, other case", "/SignIn"],
    ["sign-in page, trailing slash", "/signin/"],
    ["the API", "/api/auth/logout"],
    ["the API, other case", "/API/auth/logout"],
    ["the API root", "/api"],
    ["very long", `/${"a".repeat(3000)}`],
  ];
  test("refuses anything that could leave the site, loop back to sign-in or hit the API", () => {
    for (const [why, next] of refused) expect.soft(safeNextPath(next), why).toBe(HOME_PATH);
  });

  const kept: [next: string, expected: string][] = [
    ["/overview", "/overview"],
    ["/calls", "/calls"],
    ["/calls?status=ended&from=2026%2F01%2F01", "/calls?status=ended&from=2026%2F01%2F01"],
    ["/calls#top", "/calls#top"],
    ["/calls/./list", "/calls/list"],
    ["/signing-guide", "/signing-guide"],
    ["/apiary", "/apiary"],
  ];
  test("keeps paths on this site", () => {
    for (const [next, expected] of kept) expect.soft(safeNextPath(next), next).toBe(expected);
  });
});

test.describe("clientAddress (what the dashboard proxy forwards as X-Forwarded-For)", () => {
  test("is the last hop's address; what the client prepended is dropped; junk is dropped", () => {
    expect(clientAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(clientAddress("6.6.6.6, 203.0.113.7")).toBe("203.0.113.7");
    expect(clientAddress("6.6.6.6,203.0.113.7 ")).toBe("203.0.113.7");
    expect(clientAddress("::ffff:127.0.0.1")).toBe("::ffff:127.0.0.1");
    expect(clientAddress("6.6.6.6, 2001:db8::1")).toBe("2001:db8::1");
    expect(clientAddress("203.0.113.7, not-an-ip")).toBeNull();
    expect(clientAddress("")).toBeNull();
    expect(clientAddress(null)).toBeNull();
  });
});

test.describe("contentSecurityPolicy", () => {
  test("allows scripts only with the nonce, and eval only in development", () => {
    const policy = contentSecurityPolicy("abc123", { host: "app.clinic.example" });
    expect(policy).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic';");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    // This origin (and its socket), plus only the hosts the Receptionist's "Web test" call needs.
    expect(policy).toContain("connect-src 'self' ws://app.clinic.example wss://app.clinic.example https://api.vapi.ai https://*.daily.co wss://*.daily.co;");
    expect(policy).toContain("media-src 'self' blob:;");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(contentSecurityPolicy("n", { dev: true })).toContain("'unsafe-eval'");
    // A host header that is not a host name adds nothing.
    expect(contentSecurityPolicy("n", { host: "evil.example; script-src *" })).toContain("connect-src 'self' https://api.vapi.ai");
  });
});

test("pages carry a per-request CSP nonce and HSTS, and the dashboard runs without a single CSP violation", async ({ page }) => {
  const violations: string[] = [];
  const onConsole = (msg: ConsoleMessage) => {
    if (/Content Security Policy|Refused to (execute|load|connect|apply)/i.test(msg.text())) violations.push(msg.text());
  };
  page.on("console", onConsole);
  page.on("pageerror", (err) => violations.push(`pageerror: ${err.message}`));

  const first = await page.goto("/signin");
  const second = await page.request.get("/signin");
  const policy = first!.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(policy).toContain("'strict-dynamic'");
  expect(second.headers()["content-security-policy"]).not.toContain(nonce!);
  expect(first!.headers()["strict-transport-security"]).toMatch(/max-age=\d{8,}/);
  // Next.js stamped the nonce on its scripts, and the page is interactive (hydrated).
  expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();

  await signUp(page, newClinic("Policy Clinic"));
  await expect(page.getByTestId("live-status").filter({ visible: true }).first()).toHaveAttribute("data-status", "open");
  await page.goto("/calls");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);

  // API answers through the proxy are never cached.
  const me = await page.request.get("/api/auth/me");
  expect(me.status()).toBe(200);
  expect(me.headers()["cache-control"]).toBe("no-store");
  expect(await me.text()).not.toMatch(/eyJ/); // no token in any body
});

test("a crafted next= link cannot send a signed-in user off the site", async ({ page }) => {
  await signUp(page, newClinic("Redirect Clinic"));
  for (const next of ["//evil.example", "/\\evil.example", "/%2F%2Fevil.example", "/%5Cevil.example", "/\t/evil.example", "javascript:alert(1)"]) {
    await page.goto(`/signin?next=${encodeURIComponent(next)}`);
    await expect(page, next).toHaveURL(/^http:\/\/localhost:\d+\/overview$/);
  }
  await page.goto(`/signin?next=${encodeURIComponent("/calls?status=ended")}`);
  await expect(page).toHaveURL(/\/calls\?status=ended$/);
});
