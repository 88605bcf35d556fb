import { rotateCredentialKeys } from "../../modules/credentials/service";
import { startProgress } from "../progress";
import type { CliCommand } from "../types";

export const command: CliCommand = {
  name: "rotate-encryption-key",
  summary: "Re-encrypt every stored provider credential under the current key (the first in ENCRYPTION_KEY); resumable",
  usage: "[--limit <n>]",
  options: { limit: { type: "string" } },
  dryRun: true,
  async run(ctx, { values }) {
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      return { ok: false, error: "--limit must be a whole number of credentials, 1 or more." };
    const keys = ctx.config.encryptionKeys;
    const { db } = await ctx.database();
    // Ctrl-C stops after the credential in hand: each is its own transaction, so the run can be resumed.
    let interrupted = false;
    const onSignal = () => {
      interrupted = true;
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    let bar: ReturnType<typeof startProgress> | null = null;
    try {
      const result = await rotateCredentialKeys(db, keys, {
        dryRun: ctx.dryRun,
        limit,
        shouldStop: () => interrupted,
        onRow: (_done, total) => {
          bar ??= startProgress(ctx, "Re-encrypting", total);
          bar.tick();
        },
      });
      (bar as ReturnType<typeof startProgress> | null)?.stop();
      const counts =
        Object.entries(result.before)
          .map(([id, n]) => `${id}: ${n}`)
          .join(", ") || "none stored";
      ctx.print(`Current key: ${keys.currentId}. Sealed credentials per key before: ${counts}.`);
      const verb = ctx.dryRun ? "Would re-encrypt" : "Re-encrypted";
      ctx.print(`${verb} ${result.reencrypted.length} credential(s) under key ${keys.currentId}.`);
      for (const f of result.failures) ctx.print(`  ✗ ${f.provider} of org ${f.orgId}: ${f.error}`);
      const left = result.remaining - result.failures.length;
      if (!ctx.dryRun && result.stopped && left > 0)
        ctx.print(`Stopped with ${left} credential(s) still under an older key; every one still decrypts. Run the command again to finish.`);
      else if (!result.failures.length && !ctx.dryRun) ctx.print("Every credential now uses the current key: older keys can be removed from ENCRYPTION_KEY.");
      return {
        ok: result.failures.length === 0,
        data: { dryRun: ctx.dryRun, ...result },
        error: result.failures.length ? `${result.failures.length} credential(s) could not be decrypted; they were left as they are.` : undefined,
      };
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
};
