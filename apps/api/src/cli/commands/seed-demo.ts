import { createAuthProvider } from "../../modules/auth";
import { DEMO_OWNER, DEMO_REFUSED_IN_PRODUCTION, DEMO_STAFF, demoLoginLine, seedDemo } from "../../demo/seed";
import type { CliCommand } from "../types";
import { systemClock } from "../../lib/clock";

export const command: CliCommand = {
  name: "seed-demo",
  summary: "Create the demo clinic (Sunrise Aesthetics Clinic) and its logins; safe to run again",
  async run(ctx) {
    // Refused before the database is opened: nothing is created, not even the schema.
    if (ctx.config.NODE_ENV === "production") return { ok: false, error: DEMO_REFUSED_IN_PRODUCTION };
    const { db } = await ctx.database();
    const auth = createAuthProvider({ config: ctx.config, db, clock: systemClock });
    const result = await seedDemo({ db, auth, logger: ctx.logger, production: false });
    ctx.print(result.created ? "Created the demo clinic." : "The demo clinic already exists; added anything missing.");
    ctx.print(demoLoginLine(ctx.config.WEB_ORIGINS[0]));
    return {
      ok: true,
      data: { ...result, ownerEmail: DEMO_OWNER.email, staffEmail: result.staffUserId ? DEMO_STAFF.email : null },
    };
  },
};
