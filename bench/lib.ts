import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { Database } from "../apps/api/src/db/database";
import { startEmbeddedPostgres } from "../apps/api/src/db/embedded";
import { applyLocalBootstrap, migrate } from "../apps/api/src/db/migrate";
import { createLogger } from "../apps/api/src/logger";
import { freePort } from "../apps/api/src/lib/process";

/** One result line of `npm run bench`. Ratios compare against a baseline measured in the same run. */
export type BenchRow = { bench: string; metric: string; value: number | string; unit?: string; target?: string; baseline?: string };

export type Benchmark = { name: string; run: (env: BenchEnv) => Promise<BenchRow[]> };

export type BenchEnv = { url: string; db: Database; admin: pg.Pool; newDatabase: () => Promise<{ url: string; db: Database; admin: pg.Pool }> };

/** A private embedded PostgreSQL with the migrations applied, torn down by `stop`. */
export async function startBenchEnv(): Promise<BenchEnv & { stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "voxanne-bench-"));
  chmodSync(dataDir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: "bench_template",
    logger: createLogger({ level: "silent" }),
    lock: false,
  });
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await applyLocalBootstrap(c);
  await migrate(c);
  await c.end();
  const opened: { db: Database; admin: pg.Pool }[] = [];
  let n = 0;
  const newDatabase = async () => {
    const name = `bench_${++n}`;
    const admin0 = new pg.Client({ connectionString: server.url });
    await admin0.connect();
    await admin0.query(`create database ${name} template bench_template`);
    await admin0.end();
    const url = server.url.replace(/\/bench_template$/, `/${name}`);
    const handle = { url, db: new Database(url, { max: 110 }), admin: new pg.Pool({ connectionString: url, max: 10 }) };
    // An idle connection closed under the pool (server shutdown at teardown) is not a benchmark
    // failure; a query that is running still fails loudly through its own promise.
    handle.admin.on("error", () => {});
    opened.push(handle);
    return handle;
  };
  const first = await newDatabase();
  return {
    ...first,
    newDatabase,
    stop: async () => {
      for (const h of opened) {
        await h.db.close();
        await h.admin.end();
      }
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const idx = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[idx]!;
}

export function summarize(samplesMs: number[]): { p50: number; p99: number; mean: number } {
  const s = [...samplesMs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
