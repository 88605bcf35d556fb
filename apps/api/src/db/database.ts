import { createHash } from "node:crypto";
import pg from "pg";
import { DatabaseBusy } from "./errors";

/**
 * What services and queries receive: a query function bound to one transaction. Services never
 * see the pool, so every statement runs under the role and claims its caller set up.
 */
export type Db = {
  /**
   * Sends one statement. Statements of a transaction run in the order they were sent; one sent
   * before the previous one's answer arrived goes out at once (the pool's connections pipeline),
   * so `Promise.all([a, b])` costs one round trip and `b` still starts after `a` finished.
   */
  query<R extends pg.QueryResultRow = Record<string, any>>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /**
   * The transaction's last statement, with COMMIT sent right behind it (one round trip instead
   * of two). Resolves once both are done, so the result is durable when the caller sees it; if
   * the statement fails, nothing is committed. No statement may follow it.
   */
  commitWith<R extends pg.QueryResultRow = Record<string, any>>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
};

/** Supabase's JWT claim shape, as verified by the auth middleware. */
export type JwtClaims = {
  sub: string;
  role: "authenticated";
  aud?: string | string[];
  email?: string;
  app_metadata: { org_id: string; role?: string; [k: string]: unknown };
  user_metadata?: Record<string, unknown>;
  exp?: number;
  iat?: number;
  [k: string]: unknown;
};

// pg returns int8/numeric as strings by default; counts and money fit comfortably in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

const DEFER_LIVE_EVENTS = "set_config('voxanne.defer_live_events', 'on', true)";
const COLLECT_AND_COMMIT =
  "select current_setting('voxanne.live_events', true) as events, current_setting('voxanne.live_events_overflow', true) as overflow; commit";

/**
 * Bounds on one transaction's waits. Every transaction gets the database's defaults; webhook tool
 * calls pass tighter ones. `signal` abandons the transaction: once aborted, the caller's promise
 * rejects at once (unless COMMIT was already sent) and the transaction is rolled back — its next
 * statement or its commit throws, and `statement_timeout` ends a statement already running.
 */
export type TransactionLimits = {
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  signal?: AbortSignal;
  /** Called once the transaction's connection is back in the pool (also after an abandoned transaction). */
  onReleased?: () => void;
  /**
   * Plan the transaction's prepared statements once per connection (`plan_cache_mode`). For hot
   * paths whose statements take arrays: PostgreSQL kept planning them afresh for each call, which
   * cost more than running them (end-of-call batches, bench/postcall.bench.ts).
   */
  genericPlans?: boolean;
};

export type DatabaseOptions = {
  max?: number;
  applicationName?: string;
  /** `lock_timeout` of every transaction (ms). */
  lockTimeoutMs?: number;
  /** `statement_timeout` of every transaction (ms). */
  statementTimeoutMs?: number;
  /** How long a transaction waits for a free pool connection (ms). */
  acquireTimeoutMs?: number;
};

/** The defaults of config.ts (LOCK_TIMEOUT_MS, STATEMENT_TIMEOUT_MS, DB_ACQUIRE_TIMEOUT_MS). */
export const DEFAULT_DATABASE_LIMITS = { lockTimeoutMs: 3000, statementTimeoutMs: 8000, acquireTimeoutMs: 5000 } as const;

const POOL_TIMEOUT = /timeout exceeded when trying to connect/i;
const ms = (n: number) => `'${Math.max(1, Math.round(n))}ms'`;

type TxState = {
  committing: boolean;
  signal?: AbortSignal;
  /** `begin` and the setup, sent but maybe not answered yet: the first statements travel behind it. */
  begun: Promise<unknown> | null;
  /** Set by `commitWith`: the transaction committed (or failed to) inside `fn`. */
  committed: Promise<void> | null;
};

function abandoned(state: TxState): Error | null {
  if (!state.signal?.aborted) return null;
  const reason: unknown = state.signal.reason;
  return reason instanceof Error ? reason : new Error("transaction abandoned");
}

const preparedNames = new Map<string, string>();

/**
 * Marks a hot statement (webhook and tool-call paths) to be prepared once per pooled connection:
 * PostgreSQL then skips parsing and, once it settles on a generic plan, planning too — planning
 * was a third of the database time of an end-of-call report (bench/postcall.bench.ts,
 * BENCH_PROFILE=1). Opt-in and by constant text, so the number of prepared statements per
 * connection stays bounded. Returns the text unchanged.
 */
export function prepared(text: string): string {
  if (!preparedNames.has(text)) preparedNames.set(text, `vx_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`);
  return text;
}

/** Waits for `begin` and the setup too while they are unanswered, so their failure is the one reported. */
function afterBegin<T>(state: TxState, work: Promise<T>): Promise<T> {
  const begun = state.begun;
  if (!begun) return work;
  return Promise.all([begun, work]).then(([, result]) => result);
}

function send(client: pg.PoolClient, text: string, params: unknown[] | undefined) {
  const name = params ? preparedNames.get(text) : undefined;
  return name ? client.query({ name, text, values: params as unknown[] }) : client.query(text, params as unknown[]);
}

/**
 * Reads the live events the transaction's triggers deferred and commits, in one message; then
 * sends them (migration 20261123000401: NOTIFY inside the transaction would serialise all commits).
 */
async function collectAndCommit(client: pg.PoolClient, state: TxState, pending: Promise<unknown>[] = []): Promise<void> {
  const committing = client.query(COLLECT_AND_COMMIT) as unknown as Promise<pg.QueryResult<{ events: string | null; overflow: string | null }>[]>;
  // A statement sent before COMMIT that failed left the transaction aborted, so the commit failed
  // too: report the statement's error, which comes first.
  const [[deferred]] = await afterBegin(state, Promise.all([committing, ...pending]));
  const { events, overflow } = deferred?.rows[0] ?? { events: null, overflow: null };
  if (events || overflow) {
    // Committed already: a failed notification costs a live update, never data.
    await client.query("select public.flush_live_events($1, $2)", [events, overflow]).catch(() => {});
  }
}

const COMMITTED = new Error("the transaction already committed (or is committing): no statement may follow");

const GENERIC_PLANS_ON = prepared(
  "select set_config('voxanne.plan_cache_mode_was', current_setting('plan_cache_mode'), true), set_config('plan_cache_mode', 'force_generic_plan', true)",
);
const GENERIC_PLANS_OFF = prepared("select set_config('plan_cache_mode', current_setting('voxanne.plan_cache_mode_was'), true)");

/**
 * Runs one `prepared()` statement with its generic plan, for a statement whose custom plans look
 * cheaper to PostgreSQL so it plans it afresh at every call, although planning costs more than
 * running it (replaceCallHolds). The setting is switched on and back around it, all three sent
 * together (one round trip).
 */
export async function queryWithGenericPlan<R extends pg.QueryResultRow>(db: Db, text: string, params: unknown[]): Promise<pg.QueryResult<R>> {
  const [, result] = await Promise.all([db.query(GENERIC_PLANS_ON, []), db.query<R>(text, params), db.query(GENERIC_PLANS_OFF, [])]);
  return result;
}

function bind(client: pg.PoolClient, state: TxState): Db {
  return {
    query: (text, params) => {
      const stop = abandoned(state) ?? (state.committing ? COMMITTED : null);
      if (stop) return Promise.reject(stop);
      return afterBegin(state, send(client, text, params));
    },
    commitWith: async (text, params) => {
      const stop = abandoned(state) ?? (state.committing ? COMMITTED : null);
      if (stop) throw stop;
      state.committing = true;
      const last = send(client, text, params);
      state.committed = collectAndCommit(client, state, [last]);
      await state.committed;
      return last;
    },
  };
}

export class Database {
  readonly pool: pg.Pool;
  readonly limits: { lockTimeoutMs: number; statementTimeoutMs: number; acquireTimeoutMs: number };

  constructor(connectionString: string, options: DatabaseOptions = {}) {
    this.limits = {
      lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_DATABASE_LIMITS.lockTimeoutMs,
      statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_DATABASE_LIMITS.statementTimeoutMs,
      acquireTimeoutMs: options.acquireTimeoutMs ?? DEFAULT_DATABASE_LIMITS.acquireTimeoutMs,
    };
    this.pool = new pg.Pool({
      connectionString,
      max: options.max ?? 20,
      application_name: options.applicationName ?? "voxanne-api",
      idleTimeoutMillis: 30_000,
      // A transaction's statements may be sent before the previous one is answered (Db.query).
      pipeline: true,
      connectionTimeoutMillis: this.limits.acquireTimeoutMs,
    });
    // An idle client losing its connection must not crash the process.
    this.pool.on("error", () => {});
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      if (err instanceof Error && POOL_TIMEOUT.test(err.message)) {
        throw new DatabaseBusy("pool", `no database connection became free within ${this.limits.acquireTimeoutMs} ms`);
      }
      throw err;
    }
  }

  /**
   * `begin`, the timeouts and the role/claims setup travel as one simple-protocol message, and
   * the transaction's first statement follows it without waiting for its answer: on the webhook
   * hot path the transaction envelope was most of the latency (bench/tools.bench.ts).
   */
  private transaction<T>(setup: (c: pg.PoolClient) => string, fn: (db: Db) => Promise<T>, limits: TransactionLimits = {}): Promise<T> {
    const { signal } = limits;
    const state: TxState = { committing: false, signal, begun: null, committed: null };
    const work = this.run(setup, fn, limits, state);
    if (!signal) return work;
    return new Promise<T>((resolve, reject) => {
      // Abandoned before COMMIT was sent: answer now; `run` rolls back when its statement returns.
      const onAbort = () => {
        if (!state.committing) reject(abandoned(state));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  private async run<T>(setup: (c: pg.PoolClient) => string, fn: (db: Db) => Promise<T>, limits: TransactionLimits, state: TxState): Promise<T> {
    try {
      return await this.runOnClient(await this.connect(), setup, fn, limits, state);
    } finally {
      limits.onReleased?.();
    }
  }

  private async runOnClient<T>(
    client: pg.PoolClient,
    setup: (c: pg.PoolClient) => string,
    fn: (db: Db) => Promise<T>,
    limits: TransactionLimits,
    state: TxState,
  ): Promise<T> {
    try {
      const stop = abandoned(state);
      if (stop) throw stop;
      const settings = setup(client);
      const timeouts =
        `set_config('lock_timeout', ${ms(limits.lockTimeoutMs ?? this.limits.lockTimeoutMs)}, true), ` +
        `set_config('statement_timeout', ${ms(limits.statementTimeoutMs ?? this.limits.statementTimeoutMs)}, true)` +
        (limits.genericPlans ? ", set_config('plan_cache_mode', 'force_generic_plan', true)" : "");
      // Not awaited: the transaction's first statement is sent right behind it (afterBegin).
      const begun = client.query(`begin; select ${DEFER_LIVE_EVENTS}, ${timeouts}${settings ? `, ${settings}` : ""}`);
      begun.then(
        () => {
          if (state.begun === begun) state.begun = null;
        },
        () => {},
      );
      state.begun = begun;
      const result = await fn(bind(client, state));
      if (state.committed) {
        await state.committed;
        return result;
      }
      // The last moment to abandon: after this check COMMIT is on its way and the result stands.
      const late = abandoned(state);
      if (late) throw late;
      state.committing = true;
      await collectAndCommit(client, state);
      return result;
    } catch (err) {
      await client.query("rollback").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * A dashboard request: one transaction as role `authenticated` with the verified JWT claims, so
   * Row Level Security decides what the user may read and write.
   */
  asUser<T>(claims: JwtClaims, fn: (db: Db) => Promise<T>, limits?: TransactionLimits): Promise<T> {
    return this.transaction(
      (c) => `set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${c.escapeLiteral(JSON.stringify(claims))}, true)`,
      fn,
      limits,
    );
  }

  /**
   * Webhook and job code: one transaction as `service_role` (bypasses RLS) for an org resolved
   * from a trusted identifier (assistant id, phone number id, webhook path). Queries must filter
   * by `orgId` themselves; the org id is also exposed to SQL as `app.org_id`.
   */
  asService<T>(orgId: string, fn: (db: Db) => Promise<T>, limits?: TransactionLimits): Promise<T> {
    return this.transaction(
      (c) =>
        `set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true), ` +
        `set_config('app.org_id', ${c.escapeLiteral(orgId)}, true)`,
      fn,
      limits,
    );
  }

  /**
   * Platform work that spans orgs or happens before an org is known (resolving the org of an
   * incoming webhook, auth, operator CLI). Runs as `service_role`.
   */
  asSystem<T>(fn: (db: Db) => Promise<T>, limits?: TransactionLimits): Promise<T> {
    return this.transaction(() => `set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`, fn, limits);
  }

  /**
   * Local-mode authentication only: stands in for Supabase Auth (GoTrue), which owns the `auth`
   * schema. Runs as the connection's own role. Nothing else may use it.
   */
  asAuthAdmin<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.transaction(() => "", fn);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
