import pg from "pg";
import type { Config } from "../config";
import type { Logger } from "../logger";
import { Database, type DatabaseOptions } from "./database";
import { startEmbeddedPostgres, type EmbeddedServer } from "./embedded";
import { applyLocalBootstrap, migrate } from "./migrate";

export type OpenedDatabase = { db: Database; url: string; embedded: EmbeddedServer | null; close: () => Promise<void> };

/** The pool size and bounded waits of config.ts. */
export function databaseOptions(config: Config): DatabaseOptions {
  return {
    max: config.DB_POOL_MAX,
    acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS,
    lockTimeoutMs: config.LOCK_TIMEOUT_MS,
    statementTimeoutMs: config.STATEMENT_TIMEOUT_MS,
  };
}

/**
 * Connects to `DATABASE_URL`, or starts the embedded PostgreSQL when it is unset; applies the
 * local Supabase bootstrap where Supabase's own objects are missing, then pending migrations.
 */
export async function openDatabase(config: Config, logger: Logger, options: { migrate?: boolean } = {}): Promise<OpenedDatabase> {
  let embedded: EmbeddedServer | null = null;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, logger, lock: true });
    url = embedded.url;
    logger.info({ port: embedded.port }, "embedded PostgreSQL is running");
  }

  if (options.migrate !== false) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const hasAuth = (await client.query("select to_regclass('auth.users') is not null as ok")).rows[0].ok as boolean;
      // Supabase provides auth.users itself; anything else (embedded, plain Postgres) gets the bootstrap.
      if (embedded || !hasAuth) await applyLocalBootstrap(client);
      await migrate(client, { logger });
    } finally {
      await client.end();
    }
  }

  const db = new Database(url, databaseOptions(config));
  return {
    db,
    url,
    embedded,
    close: async () => {
      await db.close();
      await embedded?.stop();
    },
  };
}
