import { describe, expect, it } from "vitest";
import { createTestDatabase } from "./helpers/db";

const { admin, db } = await createTestDatabase();

describe("database functions", () => {
  it("every function in public (except extensions') has a fixed search_path", async () => {
    const { rows } = await admin.query<{ fn: string; config: string[] | null }>(
      `select p.oid::regprocedure::text as fn, p.proconfig as config
         from pg_proc p
         join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public'
          and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
        order by 1`,
    );
    expect(rows.length).toBeGreaterThan(10);
    const unfixed = rows.filter((r) => !(r.config ?? []).some((c) => c.startsWith("search_path="))).map((r) => r.fn);
    expect(unfixed).toEqual([]);
  });

  it("the functions fixed by the migration still work with an empty search_path", async () => {
    const { rows } = await admin.query(
      `select public.is_valid_timezone('America/New_York') as tz_ok, public.is_valid_timezone('Nowhere/Land') as tz_bad,
              public.is_valid_business_hours('{"mon":[{"start":"09:00","end":"17:00"}]}') as hours_ok,
              public.is_valid_business_hours('{"mon":[{"start":"17:00","end":"09:00"}]}') as hours_bad`,
    );
    expect(rows[0]).toEqual({ tz_ok: true, tz_bad: false, hours_ok: true, hours_bad: false });
    // An appointment's busy span: its buffers widen it, half-open.
    const span = await admin.query(
      `select public.appointment_busy_range('2026-03-08 06:30+00', '2026-03-08 07:15+00', 15, 10)
                = tstzrange('2026-03-08 06:15+00', '2026-03-08 07:25+00', '[)') as widened`,
    );
    expect(span.rows[0]).toEqual({ widened: true });
    const org = (await admin.query("insert into public.organizations (name) values ('Path Clinic') returning id, updated_at")).rows[0];
    await new Promise((r) => setTimeout(r, 5));
    const updated = (await admin.query("update public.organizations set name = 'Path Clinic 2' where id = $1 returning updated_at", [org.id])).rows[0];
    expect(updated.updated_at.getTime()).toBeGreaterThan(org.updated_at.getTime());
    const claims = { sub: "00000000-0000-0000-0000-000000000001", role: "authenticated" as const, app_metadata: { org_id: org.id } };
    expect((await db.asUser(claims, (q) => q.query("select public.auth_org_id() as id"))).rows[0]?.id).toBe(org.id);
  });
});
