import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { runCli } from "../src/cli/index";
import { listMigrations } from "../src/db/migrate";
import { LocalAuthProvider } from "../src/modules/auth/local-provider";
import { DEMO_CLINIC, DEMO_OWNER, DEMO_PASSWORD, DEMO_STAFF, prepareDemoOnStart, seedDemo, type DemoSeedContext } from "../src/demo/seed";
import { testConfig } from "./helpers/app";
import { createTestDatabase } from "./helpers/db";
import { createLogger } from "../src/logger";

const apiDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = mkdtempSync(join(tmpdir(), "voxanne-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function emptyDatabase(): Promise<string> {
  const adminUrl = inject("pgAdminUrl");
  const name = `cli_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

/** `npm run voxanne -- <args>` as a child process: what an operator runs. */
function voxanne(args: string[], databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string; json: any }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/index.ts", ...args],
      {
        cwd: apiDir,
        env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", DATA_DIR: dataDir, DATABASE_URL: databaseUrl, BCRYPT_ROUNDS: "4" },
        timeout: 180_000,
      },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        let json: unknown = null;
        try {
          json = JSON.parse(stdout);
        } catch {
          json = null;
        }
        resolve({ code: typeof code === "number" ? code : 1, stdout, stderr, json });
      },
    );
  });
}

const allMigrations = listMigrations().map((m) => `${m.version}_${m.name}`);

describe("voxanne CLI", () => {
  it("migrate: bootstraps and applies every migration to an empty database, then has nothing to do", async () => {
    const url = await emptyDatabase();
    const dry = await voxanne(["migrate", "--dry-run", "--json"], url);
    expect(dry.code).toBe(0);
    expect(dry.json).toMatchObject({ ok: true, command: "migrate", dryRun: true, pending: allMigrations });

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = await client.query("select count(*)::int as n from pg_tables where schemaname = 'public'");
      expect(tables.rows[0].n).toBe(0); // the dry run changed nothing

      const first = await voxanne(["migrate", "--json"], url);
      expect(first.code, first.stderr).toBe(0);
      expect(first.json).toEqual({ ok: true, command: "migrate", applied: allMigrations, total: allMigrations.length, bootstrap: true });
      const recorded = await client.query("select version from supabase_migrations.schema_migrations order by version");
      expect(recorded.rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));

      const second = await voxanne(["migrate"], url);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain(`Nothing to apply: the database is up to date (${allMigrations.length} migrations applied).`);
    } finally {
      await client.end();
    }
  }, 300_000);

  it("seed-demo: creates the demo clinic once, and verify-rls passes on the result", async () => {
    const url = await emptyDatabase();
    const first = await voxanne(["seed-demo", "--json"], url);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ ok: true, command: "seed-demo", created: true, ownerEmail: DEMO_OWNER.email, staffEmail: DEMO_STAFF.email });
    const again = await voxanne(["seed-demo"], url);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already exists");
    expect(again.stdout).toContain(`${DEMO_OWNER.email} (owner)`);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const orgs = await client.query("select id, name, timezone, transfer_number from public.organizations");
      expect(orgs.rows).toEqual([
        { id: first.json.orgId, name: DEMO_CLINIC.name, timezone: DEMO_CLINIC.timezone, transfer_number: DEMO_CLINIC.transferNumber },
      ]);
      const profiles = await client.query("select email, role from public.profiles order by role");
      expect(profiles.rows).toEqual([
        { email: DEMO_OWNER.email, role: "owner" },
        { email: DEMO_STAFF.email, role: "staff" },
      ]);
    } finally {
      await client.end();
    }

    const rls = await voxanne(["verify-rls", "--json"], url);
    expect(rls.code).toBe(0);
    expect(rls.json).toMatchObject({ ok: true, problems: [] });
    expect(rls.json.tenantTables).toEqual(expect.arrayContaining(["profiles", "audit_events"]));
  }, 300_000);

  it("exits non-zero with a message on failure and on usage errors", async () => {
    const missing = inject("pgAdminUrl").replace(/\/postgres$/, "/no_such_database");
    const failed = await voxanne(["migrate", "--json"], missing);
    expect(failed.code).toBe(1);
    expect(failed.json).toMatchObject({ ok: false, command: "migrate", error: expect.stringMatching(/no_such_database/) });

    // Usage errors never reach the database (run in-process: same code as the binary, minus the exit).
    const run = async (args: string[]) => {
      let stdout = "";
      let stderr = "";
      const code = await runCli(args, {
        stdout: (s) => {
          stdout += s;
        },
        stderr: (s) => {
          stderr += s;
        },
      });
      return { code, stdout, stderr };
    };
    const unknown = await run(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    expect((await run(["migrate", "--colour"])).code).toBe(2);
    const noDryRun = await run(["seed-demo", "--dry-run", "--json"]);
    expect(noDryRun.code).toBe(2);
    expect(JSON.parse(noDryRun.stdout)).toMatchObject({ ok: false, error: expect.stringMatching(/does not support --dry-run/) });
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/migrate .*\n.*seed-demo.*\n.*verify-rls/s);
  }, 300_000);
});

describe("demo seed", () => {
  it("is refused in production: the CLI says why and creates nothing, and a server start skips it", async () => {
    const url = await emptyDatabase();
    const refused = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "src/cli/index.ts", "seed-demo", "--json"],
        {
          cwd: apiDir,
          env: {
            PATH: process.env.PATH ?? "",
            NODE_ENV: "production",
            DATA_DIR: dataDir,
            DATABASE_URL: url,
            JWT_SECRET: "production-jwt-secret-0123456789abcdef",
            VAPI_WEBHOOK_SECRET: "production-vapi-secret-0123",
            ENCRYPTION_KEY: Buffer.alloc(32, 5).toString("base64"),
          },
          timeout: 60_000,
        },
        (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
      );
    });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, error: expect.stringMatching(/never created in production/) });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // Refused before the database was even migrated.
      expect((await client.query("select count(*)::int as n from pg_tables where schemaname = 'public'")).rows[0].n).toBe(0);
    } finally {
      await client.end();
    }

    const { db } = await createTestDatabase();
    const config = testConfig();
    const auth = new LocalAuthProvider({ db, config, clock: { now: () => new Date() } });
    const logger = createLogger({ level: "silent" });
    await expect(seedDemo({ db, auth, logger, production: true })).rejects.toThrow(/never created in production/);
    expect(await prepareDemoOnStart({ db, auth, logger, production: true })).toBeNull();
    const orgs = await db.asSystem(async (tx) => (await tx.query<{ n: number }>("select count(*)::int as n from public.organizations")).rows[0]!.n);
    expect(orgs).toBe(0);
  });

  it("is safe to run concurrently, and runs extension steps with the clinic's ids every time", async () => {
    const { db } = await createTestDatabase();
    const config = testConfig();
    const auth = new LocalAuthProvider({ db, config, clock: { now: () => new Date() } });
    const logger = createLogger({ level: "silent" });
    const seen: DemoSeedContext[] = [];
    const steps = [{ name: "record", run: async (ctx: DemoSeedContext) => void seen.push(ctx) }];

    const [a, b] = await Promise.all([
      seedDemo({ db, auth, logger, production: false }, { steps }),
      seedDemo({ db, auth, logger, production: false }, { steps }),
    ]);
    expect(a.orgId).toBe(b.orgId);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const counts = await db.asSystem(
      async (tx) =>
        (await tx.query("select (select count(*) from public.organizations)::int as orgs, (select count(*) from public.profiles)::int as profiles")).rows[0],
    );
    expect(counts).toEqual({ orgs: 1, profiles: 2 });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ orgId: a.orgId, ownerUserId: a.ownerUserId, staffUserId: a.staffUserId });

    // The documented logins work.
    expect((await auth.signIn(DEMO_OWNER.email, DEMO_PASSWORD)).auth).toMatchObject({ orgId: a.orgId, role: "owner" });
    expect((await auth.signIn(DEMO_STAFF.email, DEMO_PASSWORD)).auth).toMatchObject({ orgId: a.orgId, role: "staff" });
  });
});
