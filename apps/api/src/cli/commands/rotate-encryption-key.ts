import { reencryptAll } from "../../modules/credentials/service";
import type { CliCommand } from "../types";

export const command: CliCommand = {
  name: "rotate-encryption-key",
  summary: "Re-encrypt every stored provider credential under the current key (the first in ENCRYPTION_KEY)",
  dryRun: true,
  async run(ctx) {
    const keys = ctx.config.encryptionKeys;
    const { db } = await ctx.database();
    const result = await db.asSystem((tx) => reencryptAll(tx, keys, { dryRun: ctx.dryRun }));
    const counts =
      Object.entries(result.before)
        .map(([id, n]) => `${id}: ${n}`)
        .join(", ") || "none stored";
    ctx.print(`Current key: ${keys.currentId}. Sealed credentials per key before: ${counts}.`);
    const verb = ctx.dryRun ? "Would re-encrypt" : "Re-encrypted";
    ctx.print(`${verb} ${result.reencrypted.length} credential(s) under key ${keys.currentId}.`);
    for (const f of result.failures) ctx.print(`  ✗ ${f.provider} of org ${f.orgId}: ${f.error}`);
    if (!result.failures.length && !ctx.dryRun) ctx.print("Every credential now uses the current key: older keys can be removed from ENCRYPTION_KEY.");
    return {
      ok: result.failures.length === 0,
      data: { dryRun: ctx.dryRun, ...result },
      error: result.failures.length ? `${result.failures.length} credential(s) could not be decrypted; they were left as they are.` : undefined,
    };
  },
};
