import pg from "pg";
import { applyLocalBootstrap, listMigrations, migrate, pendingMigrations } from "../../db/migrate";
import type { CliCommand } from "../types";

export const command: CliCommand = {
  name: "migrate",
  summary: "Apply pending migrations (supabase/migrations) to DATABASE_URL or the embedded database",
  dryRun: true,
  async run(ctx) {
    const { url, local } = await ctx.database({ migrate: false });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const hasAuth = (await client.query("select to_regclass('auth.users') is not null as ok")).rows[0].ok as boolean;
      // Supabase provides the auth schema itself; local and plain PostgreSQL get the bootstrap.
      const needsBootstrap = local || !hasAuth;
      if (ctx.dryRun) {
        const pending = hasAuth || !needsBootstrap ? await pendingMigrations(client) : listMigrations();
        const names = pending.map((m) => `${m.version}_${m.name}`);
        ctx.print(names.length ? `Would apply ${names.length} migration(s):` : "Nothing to apply: the database is up to date.");
        for (const n of names) ctx.print(`  ${n}`);
        return { ok: true, data: { dryRun: true, bootstrap: needsBootstrap, pending: names } };
      }
      if (needsBootstrap) await applyLocalBootstrap(client);
      const result = await migrate(client, { logger: ctx.logger });
      const byVersion = new Map(listMigrations().map((m) => [m.version, `${m.version}_${m.name}`]));
      const applied = result.applied.map((v) => byVersion.get(v) ?? v);
      const total = (await client.query("select count(*)::int as n from supabase_migrations.schema_migrations")).rows[0].n as number;
      ctx.print(applied.length ? `Applied ${applied.length} migration(s):` : `Nothing to apply: the database is up to date (${total} migrations applied).`);
      for (const n of applied) ctx.print(`  ${n}`);
      return { ok: true, data: { applied, total, bootstrap: needsBootstrap } };
    } finally {
      await client.end();
    }
  },
};
