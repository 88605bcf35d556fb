import type { Db } from "../db/database";

/**
 * Where work that must not run inside a request is queued (pg-boss, see jobs/runner.ts). Services
 * take this interface, not the runner, so they only enqueue.
 */
export type SendOptions = {
  /** Enqueue inside this transaction (the job commits or rolls back with it). */
  db?: Db;
  singletonKey?: string;
  startAfterSeconds?: number;
};

/** What request and webhook code needs: a way to enqueue. */
export interface JobQueue {
  send(name: string, data: object, options?: SendOptions): Promise<string | null>;
  /** Cancels jobs that have not run yet (inside `db` when given, so it commits with the decision). */
  cancel?(name: string, ids: string[], options?: { db?: Db }): Promise<void>;
}
