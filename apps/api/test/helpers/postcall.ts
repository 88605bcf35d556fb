import type pg from "pg";
import { expect } from "vitest";
import { JobRunner } from "../../src/jobs/runner";
import { productJobs } from "../../src/jobs/registry";
import type { JobServices } from "../../src/jobs/runner";
import { virtualClock, type SimCaller, type SimClock } from "../../src/simulator/engine";
import { scenarios, type ScenarioEnv } from "../../src/simulator/scenarios";
import { httpTransport, type VapiTransport } from "../../src/simulator/transport";
import type { TestApp } from "./app";
import type { TestHttp } from "./http";

export function testTransport(http: TestHttp, secret: string): VapiTransport {
  return httpTransport({ baseUrl: http.baseUrl, secret });
}

/** Plays a simulator scenario against the test server with a virtual clock (no waiting). */
export async function playScenario(
  name: string,
  o: { transport: VapiTransport; identity: ScenarioEnv["identity"]; caller: SimCaller; otherCaller?: SimCaller; clock?: SimClock },
) {
  return scenarios[name]!.run({
    transport: o.transport,
    clock: o.clock ?? virtualClock(new Date()),
    identity: o.identity,
    caller: o.caller,
    otherCaller: o.otherCaller ?? { name: "Other Caller", phone: "+12125550199" },
    random: () => 0.1,
  });
}

/** A job runner on the test database that polls quickly. */
export async function startTestJobs(t: Pick<TestApp, "url" | "db" | "deps">, services: JobServices = {}): Promise<JobRunner> {
  const runner = new JobRunner({ connectionString: t.url, db: t.db, logger: t.deps.logger, jobs: productJobs, services, pollingIntervalSeconds: 0.5 });
  await runner.start();
  return runner;
}

/** Polls until fn returns a truthy value (jobs and sockets are asynchronous). */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) {
      expect.fail(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every row of every table in `public` (and pg-boss job data) as text, to prove what is NOT stored. */
export async function dumpDatabaseText(admin: pg.Pool): Promise<string> {
  const { rows: tables } = await admin.query<{ schemaname: string; tablename: string }>(
    "select schemaname, tablename from pg_tables where schemaname in ('public', 'pgboss') order by 1, 2",
  );
  const parts: string[] = [];
  for (const t of tables) {
    const { rows } = await admin.query(`select t::text as row from "${t.schemaname}"."${t.tablename}" t`);
    parts.push(...rows.map((r) => r.row as string));
  }
  return parts.join("\n");
}
