import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_CLINIC, DEMO_OWNER, DEMO_PASSWORD } from "../src/demo/seed";
import { isProcessAlive, freePort } from "../src/lib/process";

const apiDir = join(dirname(fileURLToPath(import.meta.url)), "..");

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Backend = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

const dataDir = mkdtempSync(join(tmpdir(), "voxanne-restart-"));
chmodSync(dataDir, 0o755); // postgres runs as its own user when the tests run as root
const started: Backend[] = [];
const pgPids = new Set<number>();

function startBackend(env: Record<string, string>): Backend {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: apiDir,
    env: { ...env, PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const backend = { child, output: () => out, exited };
  started.push(backend);
  return backend;
}

function postmasterPid(): number | null {
  const file = join(dataDir, "postgres", "postmaster.pid");
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

afterAll(async () => {
  // Whatever happened, leave no backend or postgres behind.
  for (const b of started) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill("SIGKILL");
  const pid = postmasterPid();
  if (pid) pgPids.add(pid);
  for (const p of pgPids) {
    if (isProcessAlive(p)) {
      process.kill(p, "SIGINT");
      await until(`postgres ${p} to stop`, 20_000, async () => (isProcessAlive(p) ? undefined : true)).catch(() => process.kill(p, "SIGKILL"));
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("the backend on the embedded database", () => {
  it("starts again on the same data dir after being killed with SIGKILL, with its data intact", async () => {
    const apiPort = await freePort();
    const env = {
      NODE_ENV: "development",
      LOG_LEVEL: "info",
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      PORT: String(apiPort),
      BCRYPT_ROUNDS: "4",
      WEB_ORIGINS: "http://localhost:3002",
    };
    const base = `http://127.0.0.1:${apiPort}`;
    const ready = (b: Backend) =>
      until("/readyz", 120_000, async () => {
        if (b.child.exitCode !== null) throw new Error(`backend exited early:\n${b.output()}`);
        const res = await fetch(`${base}/readyz`);
        return res.status === 200 ? ((await res.json()) as { status: string }) : undefined;
      }).catch((err) => {
        throw new Error(`${(err as Error).message}\n--- backend output ---\n${b.output()}`);
      });
    const login = async (email: string, password: string) => {
      const res = await fetch(`${base}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      const access = res.headers
        .getSetCookie()
        .map((c) => c.split(";")[0]!)
        .find((c) => c.startsWith("vox_access="))
        ?.slice("vox_access=".length);
      return { status: res.status, body: (await res.json()) as any, access };
    };

    // First start: a new database gets the demo clinic and prints its login.
    const first = startBackend(env);
    expect((await ready(first)).status).toBe("ready");
    expect(first.output()).toContain(`sign in at http://localhost:3002 as ${DEMO_OWNER.email} (owner)`);
    expect(first.output()).toContain(`password ${DEMO_PASSWORD}`);
    const demo = await login(DEMO_OWNER.email, DEMO_PASSWORD);
    expect(demo.status).toBe(200);
    expect(demo.body.organization).toMatchObject({ name: DEMO_CLINIC.name, timezone: DEMO_CLINIC.timezone });
    const signup = await fetch(`${base}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "survivor@example.com", password: "survivor-password", clinicName: "Survivor Clinic" }),
    });
    expect(signup.status).toBe(201);
    const firstPg = postmasterPid();
    expect(firstPg).not.toBeNull();
    pgPids.add(firstPg!);

    // SIGKILL: no shutdown hooks run; the embedded postgres is left behind as an orphan.
    first.child.kill("SIGKILL");
    await first.exited;

    // Second start on the same data dir: recovers, does not re-seed, still has everything.
    const second = startBackend(env);
    expect((await ready(second)).status).toBe("ready");
    const secondPg = postmasterPid();
    if (secondPg) pgPids.add(secondPg);
    expect(second.output()).toContain(`as ${DEMO_OWNER.email} (owner)`);
    expect(second.output()).not.toContain("created the demo clinic");
    const demoAgain = await login(DEMO_OWNER.email, DEMO_PASSWORD);
    expect(demoAgain.status).toBe(200);
    expect(demoAgain.body.organization.id).toBe(demo.body.organization.id);
    const survivor = await login("survivor@example.com", "survivor-password");
    expect(survivor.status).toBe(200);
    expect(survivor.body.organization.name).toBe("Survivor Clinic");
    const me = await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${demo.access}` } });
    expect(me.status).toBe(200); // a token issued before the crash is still valid (the signing key persisted)

    // A graceful stop takes postgres down with it.
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    for (const pid of pgPids) expect(isProcessAlive(pid), `postgres ${pid} still running`).toBe(false);
    expect(existsSync(join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
  }, 240_000);
});
