import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { Database, type DatabaseOptions } from "../../src/db/database";

export type TestDatabase = { url: string; name: string; db: Database; admin: pg.Pool };

/**
 * A fresh database for this test file, cloned from the migrated template. `admin` is a
 * superuser pool for arranging fixtures and inspecting results behind RLS's back.
 */
export async function createTestDatabase(options: DatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  const template = inject("templateDatabase");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const creator = new pg.Client({ connectionString: adminUrl });
  await creator.connect();
  // CREATE DATABASE … TEMPLATE fails if another session is connected to the template; retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await creator.query(`create database ${name} template ${template}`);
      break;
    } catch (err) {
      if (attempt > 50 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await creator.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const db = new Database(url, { max: 60, ...options });
  const admin = new pg.Pool({ connectionString: url, max: 5 });
  afterAll(async () => {
    await db.close();
    await admin.end();
  });
  return { url, name, db, admin };
}
