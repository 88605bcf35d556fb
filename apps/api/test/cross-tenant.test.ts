import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { findCommandPolicyProblems, findTenantTablesWithoutRls, listTenantTables } from "../src/modules/auth/tenant-catalogue";
import { testConfig } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { createTestDatabase } from "./helpers/db";
import { seedTenantRows, tenantFixtures } from "./helpers/tenant-fixtures";

/**
 * The cross-tenant matrix, generated from the catalogue: every table in `public` with an org_id
 * column gets the same checks, so a new tenant table is covered (or fails for lack of fixtures or
 * RLS) without anyone editing this file.
 */

const { db, admin } = await createTestDatabase();
const target = { db, config: testConfig() };
const tenantTables = (await listTenantTables(admin, "public")).filter((t) => !t.isPartition).map((t) => t.name);

const ident = (name: string) => `public."${name.replace(/"/g, '""')}"`;

type Outcome = { rowCount: number; rows: any[]; error: (Error & { code?: string }) | null };

/** Runs one statement as `user` (role authenticated + the JWT claims, as a dashboard request does). */
async function asUser(user: TestUser, sql: string, params: unknown[] = []): Promise<Outcome> {
  try {
    const res = await db.asUser(user.claims, (tx) => tx.query(sql, params));
    return { rowCount: res.rowCount ?? 0, rows: res.rows, error: null };
  } catch (err) {
    return { rowCount: 0, rows: [], error: err as Error & { code?: string } };
  }
}

/** Count and content hash of an org's rows, read as superuser (behind RLS's back). */
async function fingerprint(table: string, orgId: string, column = "org_id"): Promise<{ count: number; hash: string | null }> {
  const { rows } = await admin.query(
    `select count(*)::int as count, md5(string_agg(t::text, '|' order by t::text)) as hash from ${ident(table)} t where ${column} = $1`,
    [orgId],
  );
  return rows[0];
}

/** Columns an INSERT may name: not generated, not GENERATED ALWAYS identity, not a defaulted primary key. */
async function insertableColumns(table: string): Promise<string[]> {
  const { rows } = await admin.query<{ attname: string }>(
    `select a.attname
       from pg_attribute a
      where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
        and a.attgenerated = '' and a.attidentity <> 'a'
        and not (a.atthasdef and exists (select 1 from pg_index i where i.indrelid = a.attrelid and i.indisprimary and a.attnum = any(i.indkey)))
      order by a.attnum`,
    [ident(table)],
  );
  return rows.map((r) => r.attname);
}

let A: TestUser;
let B: TestUser;

beforeAll(async () => {
  // Two clinics created by the real sign-up path; their users' claims come from real JWTs.
  A = await signUpClinic(target, { clinicName: "Clinic A" });
  B = await signUpClinic(target, { clinicName: "Clinic B" });
  await seedTenantRows(admin, A.orgId);
  await seedTenantRows(admin, B.orgId);
});

describe("tenant catalogue", () => {
  it("finds the tenant tables, and every one of them has fixture rows", () => {
    expect(tenantTables).toEqual(expect.arrayContaining(["profiles", "audit_events"]));
    const missing = tenantTables.filter((t) => !tenantFixtures[t]);
    expect(missing, `add fixture rows for table ${missing.join(", ")} in apps/api/test/helpers/tenant-fixtures.ts`).toEqual([]);
  });

  it("every tenant table in public has row level security, and no view or child table bypasses it", async () => {
    const problems = await findTenantTablesWithoutRls(admin, "public");
    expect(problems.map((p) => `${p.name}: ${p.problem}`)).toEqual([]);
  });

  it("flags a table created without RLS (and a leaky view, and tenant data without org_id) in a scratch schema", async () => {
    const schema = `scratch_${randomBytes(4).toString("hex")}`;
    await admin.query(`
      create schema ${schema};
      create table ${schema}.no_rls (id serial primary key, org_id uuid not null);
      create table ${schema}.with_rls (id serial primary key, org_id uuid not null);
      alter table ${schema}.with_rls enable row level security;
      create view ${schema}.leaky_view as select * from ${schema}.with_rls;
      create view ${schema}.safe_view with (security_invoker = true) as select * from ${schema}.with_rls;
      create table ${schema}.child_notes (id serial primary key, org uuid references public.organizations (id));
      grant usage on schema ${schema} to authenticated;
      grant select on all tables in schema ${schema} to authenticated;`);
    try {
      const tables = await listTenantTables(admin, schema);
      expect(tables.map((t) => [t.name, t.rlsEnabled])).toEqual([
        ["no_rls", false],
        ["with_rls", true],
      ]);
      const flagged = await findTenantTablesWithoutRls(admin, schema);
      expect(flagged.map((p) => [p.name, p.kind])).toEqual([
        ["child_notes", "table"],
        ["leaky_view", "view"],
        ["no_rls", "table"],
      ]);
      expect(flagged.find((p) => p.name === "no_rls")!.problem).toMatch(/row level security is disabled/);

      await admin.query(`alter table ${schema}.no_rls enable row level security; drop view ${schema}.leaky_view;
                         alter table ${schema}.child_notes enable row level security;`);
      expect(await findTenantTablesWithoutRls(admin, schema)).toEqual([]);
    } finally {
      await admin.query(`drop schema ${schema} cascade`);
    }
  });
});

describe("command-level catalogue checks (also run by `voxanne verify-rls`)", () => {
  it("no policy in public applies to every command, and no API role may TRUNCATE a table", async () => {
    const problems = await findCommandPolicyProblems(admin, "public");
    expect(problems.map((p) => `${p.name}: ${p.problem}`)).toEqual([]);
  });

  it("flags a `for all` policy for authenticated (or PUBLIC) and a TRUNCATE grant, in a scratch schema", async () => {
    const schema = `scratch_${randomBytes(4).toString("hex")}`;
    await admin.query(`
      create schema ${schema};
      create table ${schema}.notes (id serial primary key, org_id uuid not null);
      alter table ${schema}.notes enable row level security;
      create policy notes_org on ${schema}.notes for all to authenticated using (org_id = (select public.auth_org_id()));
      create table ${schema}.tags (id serial primary key, org_id uuid not null);
      alter table ${schema}.tags enable row level security;
      create policy tags_any on ${schema}.tags for all using (true);
      create policy tags_select on ${schema}.tags for select to authenticated using (org_id = (select public.auth_org_id()));
      create table ${schema}.fine (id serial primary key, org_id uuid not null);
      alter table ${schema}.fine enable row level security;
      create policy fine_select on ${schema}.fine for select to authenticated using (org_id = (select public.auth_org_id()));
      create policy fine_service on ${schema}.fine for all to service_role using (true);
      grant usage on schema ${schema} to authenticated;
      grant select on all tables in schema ${schema} to authenticated;
      grant truncate on ${schema}.fine to authenticated;`);
    try {
      const flagged = await findCommandPolicyProblems(admin, schema);
      expect(flagged.map((p) => [p.name, p.problem.split(":")[0]])).toEqual([
        ["fine", "authenticated may TRUNCATE it, and row level security does not apply to TRUNCATE"],
        ["notes", "policy notes_org applies to every command (for all) for authenticated"],
        ["tags", "policy tags_any applies to every command (for all) for public"],
      ]);
      await admin.query(`drop policy notes_org on ${schema}.notes; drop policy tags_any on ${schema}.tags;
                         revoke truncate on ${schema}.fine from authenticated;`);
      expect(await findCommandPolicyProblems(admin, schema)).toEqual([]);
    } finally {
      await admin.query(`drop schema ${schema} cascade`);
    }
  });
});

describe("cross-tenant matrix: a user of org A against org B's rows", () => {
  for (const table of tenantTables) {
    it(`${table}: A sees none of B's rows, cannot insert, update or delete them, and still sees its own`, async () => {
      expect(tenantFixtures[table], `add fixture rows for table ${table} in apps/api/test/helpers/tenant-fixtures.ts`).toBeDefined();
      const T = ident(table);
      const before = await fingerprint(table, B.orgId);
      expect(before.count, `the ${table} fixture must create rows for org B`).toBeGreaterThan(0);

      // Read: nothing of B's, through any filter; A's own rows are visible.
      const seen = await asUser(
        A,
        `select count(*) filter (where org_id = $1)::int as b, count(*) filter (where org_id <> $2)::int as foreign,
                count(*) filter (where org_id = $2)::int as own from ${T}`,
        [B.orgId, A.orgId],
      );
      expect(seen.error).toBeNull();
      expect(seen.rows[0]).toMatchObject({ b: 0, foreign: 0 });
      expect(seen.rows[0].own).toBeGreaterThan(0);

      // Insert: a copy of one of B's rows (B's org_id) is refused by RLS (or by privileges).
      const bRow = (await admin.query(`select to_jsonb(t) as row from ${T} t where org_id = $1 limit 1`, [B.orgId])).rows[0].row;
      const cols = (await insertableColumns(table)).map((c) => `"${c.replace(/"/g, '""')}"`).join(", ");
      const inserted = await asUser(A, `insert into ${T} (${cols}) select ${cols} from jsonb_populate_record(null::${T}, $1::jsonb)`, [bRow]);
      expect(inserted.error?.code, `insert into ${table} with org B's org_id must fail with 42501`).toBe("42501");
      expect(inserted.error?.message).toMatch(/row-level security|permission denied/);

      // Update and delete of B's rows touch nothing (or are denied outright).
      const updated = await asUser(A, `update ${T} set org_id = org_id where org_id = $1`, [B.orgId]);
      if (updated.error) expect(updated.error.code).toBe("42501");
      else expect(updated.rowCount).toBe(0);
      const deleted = await asUser(A, `delete from ${T} where org_id = $1`, [B.orgId]);
      if (deleted.error) expect(deleted.error.code).toBe("42501");
      else expect(deleted.rowCount).toBe(0);

      // Moving A's own rows into B is refused (WITH CHECK).
      const moved = await asUser(A, `update ${T} set org_id = $1 where org_id = $2`, [B.orgId, A.orgId]);
      expect(moved.error, `moving ${table} rows into another org must fail`).not.toBeNull();

      // B's rows are exactly as they were; A still sees its own.
      expect(await fingerprint(table, B.orgId)).toEqual(before);
      const own = await asUser(A, `select count(*)::int as n from ${T} where org_id = $1`, [A.orgId]);
      expect(own.rows[0].n).toBeGreaterThan(0);

      // Without a JWT (role anon) nothing is visible either.
      const client = await admin.connect();
      try {
        await client.query("begin");
        await client.query("set local role anon");
        const anon = await client.query(`select count(*)::int as n from ${T}`).then(
          (r) => r.rows[0].n as number,
          (err: { code?: string }) => err.code,
        );
        expect([0, "42501"]).toContain(anon);
      } finally {
        await client.query("rollback");
        client.release();
      }
    });
  }
});

describe("organizations (keyed by id)", () => {
  it("A sees only its own organization and cannot update, delete or create another", async () => {
    const before = await fingerprint("organizations", B.orgId, "id");
    const visible = await asUser(A, "select id from public.organizations");
    expect(visible.rows.map((r) => r.id)).toEqual([A.orgId]);
    expect((await asUser(A, "select count(*)::int as n from public.organizations where id = $1", [B.orgId])).rows[0].n).toBe(0);

    const updated = await asUser(A, "update public.organizations set name = 'Hijacked Clinic', transfer_number = '+15555550100' where id = $1", [B.orgId]);
    expect(updated.error).toBeNull();
    expect(updated.rowCount).toBe(0);

    const deleted = await asUser(A, "delete from public.organizations where id = $1", [B.orgId]);
    if (deleted.error) expect(deleted.error.code).toBe("42501");
    else expect(deleted.rowCount).toBe(0);

    const created = await asUser(A, "insert into public.organizations (name) values ('Shadow Clinic')");
    expect(created.error?.code).toBe("42501");

    expect(await fingerprint("organizations", B.orgId, "id")).toEqual(before);
    // The policy is not simply deny-all: A can change its own clinic.
    const own = await asUser(A, "update public.organizations set name = 'Clinic A Renamed' where id = $1", [A.orgId]);
    expect(own.rowCount).toBe(1);
  });
});

describe("audit_events are append-only and server-written", () => {
  it("a member cannot insert, update, delete or truncate even their own org's events", async () => {
    // Only the server writes the trail (migration 20261129000200): not even the org's owner may add to it.
    const inserted = await asUser(A, "insert into public.audit_events (org_id, actor_user_id, action) values ($1, $2, 'test.appended') returning id", [
      A.orgId,
      A.userId,
    ]);
    expect(inserted.error?.code).toBe("42501");
    const written = await admin.query("insert into public.audit_events (org_id, actor_user_id, action) values ($1, $2, 'test.appended') returning id", [
      A.orgId,
      A.userId,
    ]);
    const id = written.rows[0].id as string;
    const before = await fingerprint("audit_events", A.orgId);

    for (const sql of ["update public.audit_events set action = 'test.rewritten' where id = $1", "delete from public.audit_events where id = $1"]) {
      const res = await asUser(A, sql, [id]);
      expect(res.error?.code, sql).toBe("42501");
    }
    const truncated = await asUser(A, "truncate public.audit_events");
    expect(truncated.error?.code).toBe("42501");
    expect(await fingerprint("audit_events", A.orgId)).toEqual(before);
  });
});
