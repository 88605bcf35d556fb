import { z } from "zod";
import { insertOperatorAudit } from "../../modules/admin/queries";
import { findProfileByEmail, setOperatorFlag } from "../../modules/operations/queries";
import type { CliCommand } from "../types";

export const command: CliCommand = {
  name: "set-operator",
  summary: "Make a user a Voxanne platform operator (the Admin page), or --revoke it; takes effect at their next sign-in or token refresh",
  usage: "--email <address> [--revoke]",
  options: { email: { type: "string" }, revoke: { type: "boolean", default: false } },
  dryRun: true,
  async run(ctx, { values }) {
    const email = z.email().safeParse(values.email);
    if (!email.success) return { ok: false, error: "--email <address> is required: the user's sign-in email." };
    const operator = !values.revoke;
    const { db } = await ctx.database();
    const profile = await db.asSystem((tx) => findProfileByEmail(tx, email.data));
    if (!profile) return { ok: false, error: `No user signs in as ${email.data}.` };
    if (profile.is_operator === operator) {
      ctx.print(`${profile.email} is ${operator ? "already" : "not"} an operator: nothing to do.`);
      return { ok: true, data: { dryRun: ctx.dryRun, email: profile.email, operator, changed: false } };
    }
    if (!ctx.dryRun) {
      await db.asSystem(async (tx) => {
        await setOperatorFlag(tx, profile.user_id, operator);
        await insertOperatorAudit(tx, {
          orgId: profile.org_id,
          actorUserId: null,
          action: operator ? "operator.granted" : "operator.revoked",
          targetType: "users",
          targetId: profile.user_id,
          data: { email: profile.email },
        });
      });
    }
    ctx.print(`${ctx.dryRun ? "Would make" : "Made"} ${profile.email} ${operator ? "an operator" : "a clinic member only"} (from their next sign-in).`);
    return { ok: true, data: { dryRun: ctx.dryRun, email: profile.email, operator, changed: true } };
  },
};
