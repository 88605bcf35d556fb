import { systemClock, type Clock } from "../lib/clock";
import type { Database } from "../db/database";
import type { Logger } from "../logger";
import type { AuthProvider } from "../modules/auth/provider";
import { applyDemoClinicSettings } from "./queries";
import { demoSeedSteps, type DemoSeedContext, type DemoSeedStep } from "./steps";

export type { DemoSeedContext, DemoSeedStep } from "./steps";

/** The demo clinic. Its logins are documented in README.md and printed on every start. */
export const DEMO_CLINIC = {
  name: "Sunrise Aesthetics Clinic",
  timezone: "America/New_York",
  transferNumber: "+12125550147",
  hotLeadAlertNumber: "+12125550148",
  businessHours: {
    mon: [{ start: "09:00", end: "18:00" }],
    tue: [{ start: "09:00", end: "18:00" }],
    wed: [{ start: "09:00", end: "18:00" }],
    thu: [{ start: "09:00", end: "20:00" }],
    fri: [{ start: "09:00", end: "17:00" }],
    sat: [{ start: "10:00", end: "14:00" }],
    sun: [],
  },
} as const;

/** Fixed, documented credentials: this account exists only on development databases. */
export const DEMO_PASSWORD = "sunrise-demo-2026";
export const DEMO_OWNER = { email: "demo@voxanne.local", fullName: "Dana Rivera", role: "owner" as const };
export const DEMO_STAFF = { email: "staff@voxanne.local", fullName: "Sam Patel", role: "staff" as const };

export const DEMO_REFUSED_IN_PRODUCTION =
  "The demo clinic is never created in production (NODE_ENV=production): its logins are public. Seed it on a development database instead.";

export type DemoSeedResult = { orgId: string; ownerUserId: string; staffUserId: string | null; created: boolean };

async function findProfile(db: Database, email: string): Promise<{ user_id: string; org_id: string } | null> {
  return db.asSystem(async (tx) => {
    const { rows } = await tx.query<{ user_id: string; org_id: string }>("select user_id, org_id from public.profiles where lower(email) = lower($1)", [email]);
    return rows[0] ?? null;
  });
}

/**
 * Creates the demo clinic through the normal sign-up path (so the trigger, org and owner profile
 * are exactly what a real clinic gets), then the staff login, then runs the demo seed steps.
 * Idempotent: an existing demo clinic is reused and its settings are left as the user changed them.
 */
export async function seedDemo(
  deps: { db: Database; auth: AuthProvider; logger: Logger; clock?: Clock; production: boolean },
  options: { steps?: DemoSeedStep[]; withStaff?: boolean } = {},
): Promise<DemoSeedResult> {
  // Its logins are published in README.md: on a production database they would be a door anyone can open.
  if (deps.production) throw new Error(DEMO_REFUSED_IN_PRODUCTION);
  const { db, auth, logger } = deps;
  const clock = deps.clock ?? systemClock;
  let created = false;
  let owner = await findProfile(db, DEMO_OWNER.email);
  if (!owner) {
    try {
      const session = await auth.signUp({
        email: DEMO_OWNER.email,
        password: DEMO_PASSWORD,
        clinicName: DEMO_CLINIC.name,
        fullName: DEMO_OWNER.fullName,
        timezone: DEMO_CLINIC.timezone,
      });
      owner = { user_id: session.auth.userId, org_id: session.auth.orgId };
      created = true;
    } catch (err) {
      // Another process seeded it at the same moment.
      owner = await findProfile(db, DEMO_OWNER.email);
      if (!owner) throw err;
    }
  }
  const orgId = owner.org_id;

  if (created) {
    await applyDemoClinicSettings(db, orgId, DEMO_CLINIC);
  }

  let staffUserId: string | null = (await findProfile(db, DEMO_STAFF.email))?.user_id ?? null;
  if (!staffUserId && options.withStaff !== false && auth.mode === "local") {
    try {
      staffUserId = (await auth.createMember({ email: DEMO_STAFF.email, password: DEMO_PASSWORD, fullName: DEMO_STAFF.fullName, orgId, role: DEMO_STAFF.role }))
        .userId;
    } catch (err) {
      staffUserId = (await findProfile(db, DEMO_STAFF.email))?.user_id ?? null;
      if (!staffUserId) throw err;
    }
  }

  const ctx: DemoSeedContext = { db, orgId, ownerUserId: owner.user_id, staffUserId, created, clock, logger };
  for (const step of options.steps ?? demoSeedSteps) {
    logger.debug({ step: step.name }, "demo seed step");
    await step.run(ctx);
  }
  return { orgId, ownerUserId: owner.user_id, staffUserId, created };
}

/** The one line printed on start so a person can sign in to the demo clinic. */
export function demoLoginLine(webOrigin: string | undefined): string {
  const where = webOrigin ? ` at ${webOrigin}` : "";
  return `Demo clinic "${DEMO_CLINIC.name}": sign in${where} as ${DEMO_OWNER.email} (owner) or ${DEMO_STAFF.email} (staff), password ${DEMO_PASSWORD}`;
}

/**
 * Server start: a database without any organization gets the demo clinic (never in production),
 * and the demo login is printed whenever the demo clinic exists.
 */
export async function prepareDemoOnStart(deps: {
  db: Database;
  auth: AuthProvider;
  logger: Logger;
  production: boolean;
  webOrigin?: string;
}): Promise<DemoSeedResult | null> {
  const { db, logger } = deps;
  if (deps.production) {
    logger.info("production: the demo clinic is not created (its logins are public)");
    return null;
  }
  const orgCount = await db.asSystem(async (tx) => (await tx.query<{ n: number }>("select count(*)::int as n from public.organizations")).rows[0]!.n);
  let result: DemoSeedResult | null = null;
  if (orgCount === 0) {
    result = await seedDemo(deps);
    logger.info({ orgId: result.orgId }, "new database: created the demo clinic");
  } else {
    const owner = await findProfile(db, DEMO_OWNER.email);
    if (owner) {
      const staff = await findProfile(db, DEMO_STAFF.email);
      result = { orgId: owner.org_id, ownerUserId: owner.user_id, staffUserId: staff?.user_id ?? null, created: false };
    }
  }
  if (result) logger.info(demoLoginLine(deps.webOrigin));
  return result;
}
