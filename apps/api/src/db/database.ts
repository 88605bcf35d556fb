import pg from "pg";

/**
 * What services and queries receive: a query function bound to one transaction. Services never
 * see the pool, so every statement runs under the role and claims its caller set up.
 */
export type Db = {
  query<R extends pg.QueryResultRow = Record<string, any>>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
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

function bind(client: pg.PoolClient): Db {
  return { query: (text, params) => client.query(text, params as unknown[]) };
}

export class Database {
  readonly pool: pg.Pool;

  constructor(connectionString: string, options: { max?: number; applicationName?: string } = {}) {
    this.pool = new pg.Pool({
      connectionString,
      max: options.max ?? 20,
      application_name: options.applicationName ?? "voxanne-api",
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its connection must not crash the process.
    this.pool.on("error", () => {});
  }

  /**
   * `begin` and the role/claims setup travel as one simple-protocol message (one round trip
   * instead of three): on the webhook hot path the transaction envelope was most of the latency.
   */
  private async transaction<T>(setup: (c: pg.PoolClient) => string, fn: (db: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      const settings = setup(client);
      await client.query(`begin; select ${DEFER_LIVE_EVENTS}${settings ? `, ${settings}` : ""}`);
      const result = await fn(bind(client));
      // Read the live events the transaction's triggers deferred, commit, then send them
      // (migration 20261123000401: NOTIFY inside the transaction would serialise all commits).
      const [deferred] = (await client.query(COLLECT_AND_COMMIT)) as unknown as pg.QueryResult<{ events: string | null; overflow: string | null }>[];
      const { events, overflow } = deferred?.rows[0] ?? { events: null, overflow: null };
      if (events || overflow) {
        // Committed already: a failed notification costs a live update, never data.
        await client.query("select public.flush_live_events($1, $2)", [events, overflow]).catch(() => {});
      }
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
  asUser<T>(claims: JwtClaims, fn: (db: Db) => Promise<T>): Promise<T> {
    return this.transaction(
      (c) => `set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${c.escapeLiteral(JSON.stringify(claims))}, true)`,
      fn,
    );
  }

  /**
   * Webhook and job code: one transaction as `service_role` (bypasses RLS) for an org resolved
   * from a trusted identifier (assistant id, phone number id, webhook path). Queries must filter
   * by `orgId` themselves; the org id is also exposed to SQL as `app.org_id`.
   */
  asService<T>(orgId: string, fn: (db: Db) => Promise<T>): Promise<T> {
    return this.transaction(
      (c) =>
        `set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true), ` +
        `set_config('app.org_id', ${c.escapeLiteral(orgId)}, true)`,
      fn,
    );
  }

  /**
   * Platform work that spans orgs or happens before an org is known (resolving the org of an
   * incoming webhook, auth, operator CLI). Runs as `service_role`.
   */
  asSystem<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.transaction(() => `set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`, fn);
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
