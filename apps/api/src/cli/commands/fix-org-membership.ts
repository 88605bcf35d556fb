import { insertOperatorAudit } from "../../modules/admin/queries";
import { membershipMismatches, resyncUserClaims } from "../../modules/operations/queries";
import { startProgress } from "../progress";
import type { CliCommand } from "../types";

export const command: CliCommand = {
  name: "fix-org-membership",
  summary: "Repair users whose token claims (org_id, role, operator) disagree with their profile; the profile is the truth",
  dryRun: true,
  async run(ctx) {
    const { db } = await ctx.database();
    const rows = await db.asSystem((tx) => membershipMismatches(tx));
    const fixable = rows.filter((r) => r.profile_org_id !== null);
    const noProfile = rows.filter((r) => r.profile_org_id === null);
    const fixed: { userId: string; email: string | null; from: Record<string, unknown>; to: Record<string, unknown> }[] = [];
    const bar = startProgress(ctx, "Users", fixable.length);
    for (const r of fixable) {
      bar.tick(r.email ?? r.user_id);
      const change = {
        userId: r.user_id,
        email: r.email,
        from: { orgId: r.token_org_id, role: r.token_role, operator: r.token_operator ?? false, orgExists: r.token_org_exists },
        to: { orgId: r.profile_org_id, role: r.profile_role, operator: r.profile_operator },
      };
      if (!ctx.dryRun) {
        await db.asSystem(async (tx) => {
          await resyncUserClaims(tx, r.user_id);
          await insertOperatorAudit(tx, {
            orgId: r.profile_org_id!,
            actorUserId: null,
            action: "membership.claims_repaired",
            targetType: "users",
            targetId: r.user_id,
            data: { from: change.from, to: change.to },
          });
        });
      }
      fixed.push(change);
    }
    bar.stop();
    const verb = ctx.dryRun ? "Would repair" : "Repaired";
    for (const f of fixed)
      ctx.print(
        `  ${verb} ${f.email ?? f.userId}: token org ${f.from.orgId ?? "none"} / ${f.from.role ?? "no role"} → profile org ${f.to.orgId} / ${f.to.role}`,
      );
    for (const r of noProfile)
      ctx.print(`  ✗ ${r.email ?? r.user_id} has no profile, so no clinic to belong to. Fix: invite them again from Team, or delete the user.`);
    if (rows.length === 0) ctx.print("  ✓ every user's token claims match their profile: nothing to do");
    else if (!ctx.dryRun && fixed.length) ctx.print("The repaired users get the right clinic at their next sign-in or token refresh.");
    return {
      ok: noProfile.length === 0,
      data: { dryRun: ctx.dryRun, repaired: fixed, withoutProfile: noProfile.map((r) => ({ userId: r.user_id, email: r.email })) },
      error: noProfile.length ? `${noProfile.length} user(s) have no profile and cannot be repaired automatically (listed above).` : undefined,
    };
  },
};
