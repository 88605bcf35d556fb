import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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

export type BenchEnv = {
  url: string;
  db: Database;
  admin: pg.Pool;
  newDatabase: () => Promise<{ url: string; db: Database; admin: pg.Pool }>;
  /** The postmaster's pid: with it, PostgreSQL's CPU time can be measured (cpuSeconds). */
  postmasterPid: number;
  /** BENCH_PROFILE=1: pg_stat_statements is loaded and benchmarks print where the time went. */
  profiling: boolean;
};

/** A private embedded PostgreSQL with the migrations applied, torn down by `stop`. */
export async function startBenchEnv(): Promise<BenchEnv & { stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "voxanne-bench-"));
  chmodSync(dataDir, 0o755);
  const profiling = process.env.BENCH_PROFILE === "1";
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: "bench_template",
    logger: createLogger({ level: "silent" }),
    lock: false,
    settings: profiling
      ? {
          shared_preload_libraries: "pg_stat_statements",
          "pg_stat_statements.track": process.env.BENCH_PROFILE_NESTED ? "all" : "top",
          "pg_stat_statements.track_planning": "on",
        }
      : {},
  });
  const postmasterPid = Number(readFileSync(join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await applyLocalBootstrap(c);
  await migrate(c);
  if (profiling) await c.query("create extension if not exists pg_stat_statements");
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
    postmasterPid,
    profiling,
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

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function procTimes(pid: number): { ppid: number; own: number; reaped: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may contain spaces.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) used so far by a process and its children: live children are
 * read one by one, exited ones are in the parent's reaped total. Linux only.
 */
export function cpuSeconds(pid: number): number {
  const root = procTimes(pid);
  if (!root) return 0;
  let ticks = root.own + root.reaped;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const t = procTimes(Number(entry));
    if (t && t.ppid === pid) ticks += t.own;
  }
  return ticks / TICKS_PER_SECOND;
}

/** This process's own CPU seconds (the load generator's cost). */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The statements that took the most database time since the last reset (BENCH_PROFILE=1). */
export async function topStatements(admin: pg.Pool, limit = Number(process.env.BENCH_PROFILE_TOP ?? 12)): Promise<string[]> {
  const { rows } = await admin.query(
    `select calls, round(total_exec_time::numeric, 0) as total_ms, round(mean_exec_time::numeric, 3) as mean_ms,
            round(total_plan_time::numeric, 0) as plan_ms,
            regexp_replace(left(query, 110), '\\s+', ' ', 'g') as query
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
      order by total_exec_time + total_plan_time desc limit $1`,
    [limit],
  );
  const all = await admin.query(
    `select round(sum(total_exec_time)::numeric, 0) as exec_ms, round(sum(total_plan_time)::numeric, 0) as plan_ms, sum(calls)::int as calls
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())`,
  );
  const t = all.rows[0];
  return [
    `all statements: ${t.calls} calls, executing ${t.exec_ms} ms, planning ${t.plan_ms} ms`,
    ...rows.map(
      (r) => `${String(r.total_ms).padStart(7)} ms (+${r.plan_ms} ms plan) ${String(r.calls).padStart(7)}× ${String(r.mean_ms).padStart(8)} ms  ${r.query}`,
    ),
  ];
}
