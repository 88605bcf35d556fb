import type { Clock } from "../lib/clock";
import type { Database } from "../db/database";
import type { Logger } from "../logger";
import { seedSimulatedHistory } from "../simulator/history";
import { seedDemoKnowledge } from "./knowledge";

/** What a demo seed step gets: the demo clinic's ids and the database. */
export type DemoSeedContext = {
  db: Database;
  orgId: string;
  ownerUserId: string;
  staffUserId: string | null;
  /** True when this run created the clinic; false when it already existed. */
  created: boolean;
  clock: Clock;
  logger: Logger;
};

/**
 * One piece of demo data (services, call history, appointments, …). Steps run in order after the
 * clinic and its logins exist, on every `seed-demo` run, so each must be idempotent: check for its
 * own rows first (e.g. by a deterministic id or a marker) and add only what is missing.
 */
export type DemoSeedStep = { name: string; run: (ctx: DemoSeedContext) => Promise<void> };

/**
 * The demo data beyond the clinic itself. EXTEND HERE: append a step (e.g. ~30 days of simulated
 * call history from the post-call pipeline) — `seedDemo()` runs them all, in this order.
 */
export const demoSeedSteps: DemoSeedStep[] = [
  {
    // The post-call pipeline's demo data: the clinic's Vapi assistant + line, and ~30 days of calls
    // played through the simulator (skipped when they exist).
    name: "simulated-call-history",
    run: async (ctx) => {
      await seedSimulatedHistory({ db: ctx.db, orgId: ctx.orgId, logger: ctx.logger, now: ctx.clock.now() });
    },
  },
  {
    // Quick answers (parking, payment, Botox aftercare) for the Knowledge page and searchKnowledgeBase.
    name: "knowledge-quick-answers",
    run: async (ctx) => {
      await seedDemoKnowledge({ db: ctx.db, logger: ctx.logger }, ctx.orgId, ctx.ownerUserId);
    },
  },
];
