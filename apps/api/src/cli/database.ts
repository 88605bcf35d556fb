import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { Config } from "../config";
import { Database } from "../db/database";
import { databaseOptions, openDatabase } from "../db/open";
import type { Logger } from "../logger";
import type { CliDatabase } from "./types";
import { isProcessAlive } from "../lib/process";

/**
 * When a backend is running on this DATA_DIR it owns the embedded PostgreSQL (one owner per data
 * dir), so the CLI connects to that server instead of starting a second one. The port comes from
 * postgres' own postmaster.pid; the credentials and database name are embedded.ts's fixed local ones.
 */
function runningEmbeddedUrl(dataDir: string): string | null {
  const lock = join(dataDir, "backend.lock");
  const pidFile = join(dataDir, "postgres", "postmaster.pid");
  if (!existsSync(lock) || !existsSync(pidFile)) return null;
  const owner = Number(readFileSync(lock, "utf8").trim());
  if (!owner || owner === process.pid || !isProcessAlive(owner)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const port = Number(lines[3]);
  if (!Number.isInteger(port) || port <= 0) return null;
  return `postgres://postgres:postgres@127.0.0.1:${port}/voxanne`;
}

export async function openCliDatabase(
  config: Config,
  logger: Logger,
  options: { migrate?: boolean } = {},
): Promise<CliDatabase & { close: () => Promise<void> }> {
  if (!config.DATABASE_URL) {
    const url = runningEmbeddedUrl(config.DATA_DIR);
    if (url) {
      logger.info({ dataDir: config.DATA_DIR }, "using the embedded PostgreSQL of the running backend");
      if (options.migrate !== false) {
        const { applyLocalBootstrap, migrate } = await import("../db/migrate");
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await applyLocalBootstrap(client);
          await migrate(client, { logger });
        } finally {
          await client.end();
        }
      }
      const db = new Database(url, { ...databaseOptions(config), max: 5, applicationName: "voxanne-cli" });
      return { db, url, local: true, close: () => db.close() };
    }
  }
  const opened = await openDatabase(config, logger, options);
  return { db: opened.db, url: opened.url, local: !config.DATABASE_URL, close: opened.close };
}
