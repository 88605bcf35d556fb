import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { applyLocalBootstrap, listMigrations, migrate } from "../src/db/migrate";

async function emptyDatabase(): Promise<string> {
  const adminUrl = inject("pgAdminUrl");
  const name = `empty_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

const publicTableCount = async (c: pg.Client) => (await c.query("select count(*)::int as n from pg_tables where schemaname = 'public'")).rows[0].n as number;

describe("migrations", () => {
  it("apply on an empty database, and a second run is a no-op", async () => {
    const client = await connect(await emptyDatabase());
    try {
      await applyLocalBootstrap(client);
      const first = await migrate(client);
      expect(first.applied).toEqual(listMigrations().map((m) => m.version));
      expect(await publicTableCount(client)).toBeGreaterThan(0);

      const tablesBefore = await publicTableCount(client);
      await applyLocalBootstrap(client);
      const second = await migrate(client);
      expect(second.applied).toEqual([]);
      expect(await publicTableCount(client)).toBe(tablesBefore);

      const recorded = await client.query("select version from supabase_migrations.schema_migrations order by version");
      expect(recorded.rows.map((r) => r.version)).toEqual(first.applied);
    } finally {
      await client.end();
    }
  });

  it("run from two connections at once without applying anything twice", async () => {
    const url = await emptyDatabase();
    const [a, b] = await Promise.all([connect(url), connect(url)]);
    try {
      await Promise.all([applyLocalBootstrap(a), applyLocalBootstrap(b)]);
      const [r1, r2] = await Promise.all([migrate(a), migrate(b)]);
      expect([...r1.applied, ...r2.applied].sort()).toEqual(listMigrations().map((m) => m.version));
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });
});
