import type pg from "pg";

/**
 * The tenancy guard, read from the catalogue rather than from a hand-kept list, so a table added
 * by a new migration is covered the moment it exists. Used by the cross-tenant test suite and by
 * `npm run voxanne -- verify-rls` (e.g. after `supabase db push`).
 */

type Queryable = Pick<pg.ClientBase, "query">;

export type TenantTable = { name: string; kind: "table" | "partitioned table"; isPartition: boolean; rlsEnabled: boolean };

export type TenancyProblem = {
  schema: string;
  name: string;
  kind: "table" | "partitioned table" | "view" | "materialized view";
  problem: string;
};

const KIND: Record<string, TenancyProblem["kind"]> = { r: "table", p: "partitioned table", v: "view", m: "materialized view" };

/** Every table in `schema` with an `org_id` column (partitions included), by name. */
export async function listTenantTables(client: Queryable, schema = "public"): Promise<TenantTable[]> {
  const { rows } = await client.query<{ name: string; relkind: string; relispartition: boolean; relrowsecurity: boolean }>(
    `select c.relname as name, c.relkind::text as relkind, c.relispartition, c.relrowsecurity
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attname = 'org_id' and a.attnum > 0 and not a.attisdropped
      where n.nspname = $1 and c.relkind in ('r', 'p')
      order by c.relname`,
    [schema],
  );
  return rows.map((r) => ({
    name: r.name,
    kind: r.relkind === "p" ? "partitioned table" : "table",
    isPartition: r.relispartition,
    rlsEnabled: r.relrowsecurity,
  }));
}

/**
 * Relations in `schema` through which one org could read another's rows:
 * - a table with an `org_id` column and row level security disabled;
 * - a view with an `org_id` column that the API roles may read and that is not `security_invoker`
 *   (it would run with its owner's rights and skip RLS);
 * - a materialized view with an `org_id` column the API roles may read (it cannot have RLS);
 * - a table without `org_id` and without RLS that references a tenant table or `organizations`
 *   (tenant data without a tenant key).
 */
export async function findTenantTablesWithoutRls(client: Queryable, schema = "public"): Promise<TenancyProblem[]> {
  const { rows } = await client.query<{ name: string; relkind: string; problem: string }>(
    `with api_roles as (
       select array_agg(rolname) as names from pg_roles where rolname in ('anon', 'authenticated')
     ),
     rels as (
       select c.oid, c.relname, c.relkind, c.relrowsecurity, coalesce(c.reloptions, '{}') as reloptions,
              exists (select 1 from pg_attribute a
                       where a.attrelid = c.oid and a.attname = 'org_id' and a.attnum > 0 and not a.attisdropped) as has_org_id,
              exists (select 1 from unnest(coalesce((select names from api_roles), '{}')) r
                       where has_table_privilege(r, c.oid, 'select')) as api_can_read
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm')
     )
     select relname as name, relkind::text as relkind,
            'row level security is disabled: enable it and add the org policy (org_id = (select public.auth_org_id()))' as problem
       from rels where relkind in ('r', 'p') and has_org_id and not relrowsecurity
     union all
     select relname, relkind::text,
            'view runs with its owner''s rights, so it skips row level security: create it with (security_invoker = true)'
       from rels where relkind = 'v' and has_org_id and api_can_read
        and not reloptions && array['security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes']
     union all
     select relname, relkind::text,
            'materialized views cannot have row level security: revoke select from anon, authenticated'
       from rels where relkind = 'm' and has_org_id and api_can_read
     union all
     select distinct r.relname, r.relkind::text,
            'references tenant table ' || ref.relname || ' but has neither an org_id column nor row level security'
       from rels r
       join pg_constraint fk on fk.conrelid = r.oid and fk.contype = 'f'
       join pg_class ref on ref.oid = fk.confrelid
      where r.relkind in ('r', 'p') and not r.has_org_id and not r.relrowsecurity
        and (ref.relname = 'organizations'
             or exists (select 1 from pg_attribute a where a.attrelid = ref.oid and a.attname = 'org_id' and not a.attisdropped))
     order by 1`,
    [schema],
  );
  return rows.map((r) => ({ schema, name: r.name, kind: KIND[r.relkind] ?? "table", problem: r.problem }));
}

/**
 * Grants and policies in `schema` that give the API roles (anon, authenticated) more than one
 * command at a time, where least privilege needs one decision per command:
 * - a `for all` policy that applies to them (or to PUBLIC): split it into select / insert / update /
 *   delete policies, each with the roles that may run that command;
 * - TRUNCATE granted to them on a table: row level security does not govern TRUNCATE, so it would
 *   empty every clinic's rows at once.
 * Which role may run which command on which table is declared (by hand) in
 * apps/api/test/rls-roles.test.ts and docs/SECURITY.md.
 */
export async function findCommandPolicyProblems(client: Queryable, schema = "public"): Promise<TenancyProblem[]> {
  const { rows } = await client.query<{ name: string; relkind: string; problem: string }>(
    `with api_roles as (
       select oid, rolname from pg_roles where rolname in ('anon', 'authenticated')
     )
     select c.relname as name, c.relkind::text as relkind,
            'policy ' || p.polname || ' applies to every command (for all) for ' ||
            coalesce((select string_agg(case r when 0 then 'public' else r::regrole::text end, ', ' order by r)
                        from unnest(p.polroles) r), 'public') ||
            ': split it into one policy per command (select, insert, update, delete), each with the roles allowed' as problem
       from pg_policy p
       join pg_class c on c.oid = p.polrelid
       join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and p.polcmd = '*'
        and (0 = any (p.polroles) or exists (select 1 from api_roles a where a.oid = any (p.polroles)))
     union all
     select c.relname, c.relkind::text,
            a.rolname || ' may TRUNCATE it, and row level security does not apply to TRUNCATE: revoke truncate from ' || a.rolname
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       cross join api_roles a
      where n.nspname = $1 and c.relkind in ('r', 'p') and has_table_privilege(a.oid, c.oid, 'truncate')
     order by 1, 3`,
    [schema],
  );
  return rows.map((r) => ({ schema, name: r.name, kind: KIND[r.relkind] ?? "table", problem: r.problem }));
}
