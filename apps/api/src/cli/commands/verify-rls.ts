import { findTenantTablesWithoutRls, listTenantTables } from "../../modules/auth/tenant-catalogue";
import type { CliCommand } from "../types";

export const command: CliCommand = {
  name: "verify-rls",
  summary: "Check that every tenant table (an org_id column) has row level security and no view bypasses it",
  options: { schema: { type: "string", default: "public" } },
  usage: "[--schema public]",
  async run(ctx, { values }) {
    const schema = String(values.schema ?? "public");
    const { db } = await ctx.database({ migrate: false });
    const client = await db.pool.connect();
    try {
      const tables = await listTenantTables(client, schema);
      const problems = await findTenantTablesWithoutRls(client, schema);
      ctx.print(`${tables.length} tenant table(s) in schema ${schema}.`);
      for (const p of problems) ctx.print(`  ✗ ${p.schema}.${p.name} (${p.kind}): ${p.problem}`);
      if (problems.length === 0) ctx.print("  ✓ all have row level security");
      return {
        ok: problems.length === 0,
        data: { schema, tenantTables: tables.map((t) => t.name), problems },
        error: problems.length ? `${problems.length} relation(s) would let one clinic read another's rows.` : undefined,
      };
    } finally {
      client.release();
    }
  },
};
