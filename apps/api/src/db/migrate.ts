import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { repoRoot } from "../config";
import type { Logger } from "../logger";

export const migrationsDir = join(repoRoot, "supabase", "migrations");
const bootstrapFile = join(dirname(fileURLToPath(import.meta.url)), "sql", "supabase-local-bootstrap.sql");

export type MigrationFile = { version: string; name: string; file: string };

/** `supabase/migrations/<version>_<name>.sql`, in version order (Supabase CLI conventions). */
export function listMigrations(dir = migrationsDir): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const [, version, name] = /^(\d+)_(.+)\.sql$/.exec(file)!;
      return { version: version!, name: name!, file: join(dir, file) };
    });
}

/**
 * Creates what Supabase provides itself (auth schema, roles, JWT helpers). Local databases only:
 * a Supabase project already has all of this.
 */
export async function applyLocalBootstrap(client: pg.ClientBase): Promise<void> {
  // Serialise with concurrent starters (role creation is not IF NOT EXISTS-safe under races).
  await client.query("select pg_advisory_lock(hashtext('voxanne:bootstrap'))");
  try {
    await client.query(readFileSync(bootstrapFile, "utf8"));
  } finally {
    await client.query("select pg_advisory_unlock(hashtext('voxanne:bootstrap'))");
  }
}

async function ensureHistoryTable(client: pg.ClientBase): Promise<void> {
  // The same table the Supabase CLI keeps, so `supabase db push` and this runner agree.
  await client.query(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text not null primary key,
      statements text[],
      name text
    );`);
}

export async function appliedVersions(client: pg.ClientBase): Promise<Set<string>> {
  const exists = await client.query(`select to_regclass('supabase_migrations.schema_migrations') as t`);
  if (!exists.rows[0].t) return new Set();
  const { rows } = await client.query<{ version: string }>("select version from supabase_migrations.schema_migrations");
  return new Set(rows.map((r) => r.version));
}

export async function pendingMigrations(client: pg.ClientBase, dir = migrationsDir): Promise<MigrationFile[]> {
  const applied = await appliedVersions(client);
  return listMigrations(dir).filter((m) => !applied.has(m.version));
}

/** What /readyz reports: how many migrations are applied and which are still pending. */
export async function migrationStatus(client: pg.ClientBase): Promise<{ applied: number; pending: string[] }> {
  const pending = await pendingMigrations(client);
  const applied = (await client.query("select count(*)::int as n from supabase_migrations.schema_migrations")).rows[0].n as number;
  return { applied, pending: pending.map((m) => `${m.version}_${m.name}`) };
}

/**
 * Applies every pending migration, each in its own transaction, and records it. Safe to run
 * twice and from several processes at once (an advisory lock serialises runners).
 */
export async function migrate(client: pg.ClientBase, options: { logger?: Logger; dir?: string } = {}): Promise<{ applied: string[] }> {
  const applied: string[] = [];
  await client.query("select pg_advisory_lock(hashtext('voxanne:migrate'))");
  try {
    await ensureHistoryTable(client);
    for (const m of await pendingMigrations(client, options.dir)) {
      const sql = readFileSync(m.file, "utf8");
      await client.query("begin");
      try {
        await client.query(sql);
        await client.query("insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)", [m.version, m.name, [sql]]);
        await client.query("commit");
      } catch (err) {
        await client.query("rollback");
        throw new Error(`Migration ${m.version}_${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      options.logger?.info({ migration: `${m.version}_${m.name}` }, "applied migration");
      applied.push(m.version);
    }
  } finally {
    await client.query("select pg_advisory_unlock(hashtext('voxanne:migrate'))");
  }
  return { applied };
}
