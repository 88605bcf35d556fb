import { describe, expect, it } from "vitest";
import { prepared, queryWithGenericPlan } from "../src/db/database";
import { createTestDatabase } from "./helpers/db";

// A transaction's statements may be sent before the previous one is answered (src/db/database.ts):
// `begin` travels with the first statement, `Promise.all` sends statements together, and
// `commitWith` sends COMMIT behind the last statement. What each caller can rely on:
const t = await createTestDatabase({ max: 4 });
await t.admin.query("create table public.pipeline_probe (id int primary key, note text)");
await t.admin.query("grant all on public.pipeline_probe to service_role");

const probeIds = async () => (await t.admin.query<{ id: number }>("select id from public.pipeline_probe order by id")).rows.map((r) => r.id);

describe("statements sent without waiting", () => {
  it("the first statement's own error is reported, not the aborted transaction's, and the connection stays usable", async () => {
    await expect(t.db.asSystem((db) => db.query("select 1 / 0"))).rejects.toMatchObject({ code: "22012" });
    await expect(t.db.asSystem((db) => Promise.all([db.query("select 1 / 0"), db.query("select 1 as one")]))).rejects.toMatchObject({ code: "22012" });
    for (let i = 0; i < 8; i++) {
      expect((await t.db.asSystem((db) => db.query("select current_setting('role') as role"))).rows[0]?.role).toBe("service_role");
    }
  });

  it("a read sent together with a lock still runs after the lock is granted, and sees what was committed meanwhile", async () => {
    const holder = await t.admin.connect();
    try {
      await holder.query("begin");
      await holder.query("select pg_advisory_xact_lock(4242)");
      const count = t.db.asSystem(async (db) => {
        const [, read] = await Promise.all([
          db.query("select pg_advisory_xact_lock(4242)"),
          db.query<{ n: number }>("select count(*)::int as n from public.pipeline_probe where note = 'while locked'"),
        ]);
        return read.rows[0]!.n;
      });
      // Until the transaction is queued behind the lock.
      for (;;) {
        const { rows } = await t.admin.query("select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted");
        if (rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await holder.query("insert into public.pipeline_probe (id, note) values (100, 'while locked')");
      await holder.query("commit");
      expect(await count).toBe(1);
    } finally {
      holder.release();
    }
  });
});

describe("commitWith: the last statement and COMMIT in one round trip", () => {
  it("resolves once committed, with the statement's rows; nothing may follow it", async () => {
    let afterwards: unknown;
    const id = await t.db.asSystem(async (db) => {
      await db.query("insert into public.pipeline_probe (id, note) values (1, 'first')");
      const { rows } = await db.commitWith<{ id: number }>("insert into public.pipeline_probe (id, note) values (2, 'last') returning id");
      // Another connection sees both rows already.
      afterwards = await probeIds();
      await expect(db.query("select 1")).rejects.toThrow(/already committed/);
      return rows[0]!.id;
    });
    expect(id).toBe(2);
    expect(afterwards).toEqual(expect.arrayContaining([1, 2]));
  });

  it("a last statement that fails commits nothing of the transaction", async () => {
    await expect(
      t.db.asSystem(async (db) => {
        await db.query("insert into public.pipeline_probe (id, note) values (3, 'rolled back')");
        await db.commitWith("insert into public.pipeline_probe (id, note) values (1, 'duplicate')");
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await probeIds()).not.toContain(3);
    // Even when the transaction's code swallows the error, it does not commit.
    await expect(
      t.db.asSystem(async (db) => {
        await db.query("insert into public.pipeline_probe (id, note) values (4, 'rolled back')");
        await db.commitWith("insert into public.pipeline_probe (id, note) values (1, 'duplicate')").catch(() => null);
        return "swallowed";
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await probeIds()).not.toContain(4);
  });
});

describe("queryWithGenericPlan", () => {
  const mode = prepared("select current_setting('plan_cache_mode') as mode, $1::int as n");
  it("runs the statement under force_generic_plan and gives the transaction back its own setting", async () => {
    const seen = (genericPlans: boolean) =>
      t.db.asSystem(
        async (db) => {
          const inside = (await queryWithGenericPlan<{ mode: string }>(db, mode, [1])).rows[0]!.mode;
          const after = (await db.query<{ mode: string }>("select current_setting('plan_cache_mode') as mode")).rows[0]!.mode;
          return { inside, after };
        },
        { genericPlans },
      );
    expect(await seen(false)).toEqual({ inside: "force_generic_plan", after: "auto" });
    expect(await seen(true)).toEqual({ inside: "force_generic_plan", after: "force_generic_plan" });
  });
});
