import { findCommandPolicyProblems, findTenantTablesWithoutRls, listTenantTables } from "../../modules/auth/tenant-catalogue";
import type { CliCommand } from "../types";

export const command: CliCommand = {
  name: "verify-rls",
  summary: "Check tenant isolation: RLS on every org_id table, no view bypassing it, one policy per command, no TRUNCATE for API roles",
  options: { schema: { type: "string", default: "public" } },
  usage: "[--schema public]",
  async run(ctx, { values }) {
    const schema = String(values.schema ?? "public");
    const { db } = await ctx.database({ migrate: false });
    const client = await db.pool.connect();
    try {
      const tables = await listTenantTables(client, schema);
      const problems = [...(await findTenantTablesWithoutRls(client, schema)), ...(await findCommandPolicyProblems(client, schema))];
      ctx.print(`${tables.length} tenant table(s) in schema ${schema}.`);
      for (const p of problems) ctx.print(`  ✗ ${p.schema}.${p.name} (${p.kind}): ${p.problem}`);
      if (problems.length === 0) ctx.print("  ✓ all have row level security, with one policy per command");
      return {
        ok: problems.length === 0,
        data: { schema, tenantTables: tables.map((t) => t.name), problems },
        error: problems.length ? `${problems.length} problem(s) would let a clinic member reach rows or commands they should not (listed above).` : undefined,
      };
    } finally {
      client.release();
    }
  },
};
