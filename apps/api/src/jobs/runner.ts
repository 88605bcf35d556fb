import pg from "pg";
import PgBoss from "pg-boss";
import { systemClock, type Clock } from "../lib/clock";
import type { Database, Db } from "../db/database";
import type { JobQueue, SendOptions } from "../lib/job-queue";
import type { Logger } from "../logger";

/**
 * The product's job runner: pg-boss on the same PostgreSQL (its own `pgboss` schema). Durable,
 * retried, and safe with many API processes (jobs are claimed with SKIP LOCKED). One runner per
 * process, started by server.ts; features declare their jobs in jobs/registry.ts.
 *
 * Enqueue inside the transaction that decided the work (`send(name, data, { db })`): the job
 * exists exactly when that transaction commits — no lost or phantom jobs.
 */

export type JobContext = {
  db: Database;
  logger: Logger;
  clock: Clock;
  jobId: string;
  /** Extra services job handlers may need (SMS sender, provider clients…), by name. */
  services: JobServices;
};

/** Open registry of services for job handlers; features add their entries by declaration merging. */
export interface JobServices {
  [name: string]: unknown;
}

export type JobDefinition<T extends object = object> = {
  name: string;
  handler: (data: T, ctx: JobContext) => Promise<void>;
  /** Retries after the first attempt (default 3). */
  retryLimit?: number;
  /** Seconds before the first retry (default 2); doubled each time when retryBackoff (default true). */
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  /** Cron (UTC) for recurring jobs, e.g. "0 3 * * *". */
  cron?: string;
  /** How many of these may run at once in one process (default 2). */
  concurrency?: number;
};

export function defineJob<T extends object>(def: JobDefinition<T>): JobDefinition<T> {
  return def;
}

export type JobRunnerOptions = {
  connectionString: string;
  db: Database;
  logger: Logger;
  clock?: Clock;
  jobs: JobDefinition<any>[];
  services?: JobServices;
  /** false = enqueue only (e.g. the simulator's seed), no workers in this process. */
  work?: boolean;
  pollingIntervalSeconds?: number;
};

export class JobRunner implements JobQueue {
  readonly boss: PgBoss;
  private readonly defs = new Map<string, JobDefinition<any>>();
  private started = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      application_name: "voxanne-jobs",
      max: 4,
      schema: "pgboss",
    });
    this.boss.on("error", (err) => options.logger.error({ err }, "job runner error"));
    for (const def of options.jobs) this.defs.set(def.name, def);
    // Jobs that queue follow-up work (a deferred SMS, reminders) use this runner.
    this.options.services = { ...options.services, jobQueue: options.services?.jobQueue ?? this };
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    await this.setUpQueues();
    const { logger, db } = this.options;
    const clock = this.options.clock ?? systemClock;
    for (const def of this.defs.values()) {
      if (this.options.work === false) continue;
      const concurrency = def.concurrency ?? 2;
      for (let i = 0; i < concurrency; i++) {
        let workerId = "";
        workerId = await this.boss.work(def.name, { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 }, async (jobs) => {
          // pg-boss waits a polling interval after every fetch; while there is work, fetch again at once.
          if (jobs.length > 0 && workerId) this.boss.notifyWorker(workerId);
          for (const job of jobs) {
            const jobLogger = logger.child({ job: def.name, jobId: job.id });
            try {
              await def.handler(job.data as object, { db, logger: jobLogger, clock, jobId: job.id, services: this.options.services ?? {} });
            } catch (err) {
              jobLogger.warn({ err }, "job failed; pg-boss will retry it");
              throw err;
            }
          }
        });
      }
    }
    this.started = true;
    logger.info({ queues: [...this.defs.keys()] }, "job runner started");
  }

  /**
   * Grants and queues, once per database. Creating a queue attaches a partition (ALTER TABLE), and
   * two processes doing it at once deadlock — so starters take turns on an advisory lock.
   */
  private async setUpQueues(): Promise<void> {
    const lock = new pg.Client({ connectionString: this.options.connectionString, application_name: "voxanne-jobs-setup" });
    await lock.connect();
    try {
      await lock.query("select pg_advisory_lock(hashtext('voxanne:jobs-setup'))");
      // Webhook and job code run as service_role; let it enqueue inside its own transactions
      // (INSERT … RETURNING id needs SELECT too) and cancel jobs it queued (reminders of a moved booking).
      await lock.query(
        `grant usage on schema pgboss to service_role;
         grant select on pgboss.queue to service_role;
         grant select, insert, update on pgboss.job to service_role;`,
      );
      for (const def of this.defs.values()) {
        if (!(await this.boss.getQueue(def.name))) {
          await this.boss.createQueue(def.name, {
            name: def.name,
            retryLimit: def.retryLimit ?? 3,
            retryDelay: def.retryDelay ?? 2,
            retryBackoff: def.retryBackoff ?? true,
            expireInSeconds: def.expireInSeconds ?? 300,
          });
        }
        if (def.cron) await this.boss.schedule(def.name, def.cron, {}, { tz: "UTC" });
      }
    } finally {
      await lock.query("select pg_advisory_unlock_all()").catch(() => {});
      await lock.end().catch(() => {});
    }
  }

  async send(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    if (!this.defs.has(name)) throw new Error(`Unknown job ${name}: add it to jobs/registry.ts`);
    const sendOptions: PgBoss.SendOptions = {};
    if (options.singletonKey) sendOptions.singletonKey = options.singletonKey;
    if (options.startAfterSeconds) sendOptions.startAfter = options.startAfterSeconds;
    if (options.db) {
      const tx = options.db;
      sendOptions.db = { executeSql: async (text, values) => ({ rows: (await tx.query(text, values)).rows }) };
    }
    return this.boss.send(name, data, sendOptions);
  }

  async cancel(name: string, ids: string[], options: { db?: Db } = {}): Promise<void> {
    if (ids.length === 0) return;
    const tx = options.db;
    await this.boss.cancel(name, ids, tx ? { db: { executeSql: async (text, values) => ({ rows: (await tx.query(text, values)).rows }) } } : {});
  }

  async stop(): Promise<void> {
    if (!this.started) {
      await this.boss.stop({ graceful: false, wait: true }).catch(() => {});
      return;
    }
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 10_000, wait: true });
  }
}
