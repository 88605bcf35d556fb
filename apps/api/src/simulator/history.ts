import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DateTime } from "luxon";
import { createApp } from "../app";
import { loadConfig } from "../config";
import type { Database } from "../db/database";
import { generateEncryptionKey } from "../modules/credentials/crypto";
import type { Logger } from "../logger";
import { virtualClock } from "./engine";
import { ensureDemoVapiIdentity } from "../demo/queries";
import { DEMO_IDENTITY, seededRandom, simCaller } from "./identity";
import { scenarios } from "./scenarios";
import { httpTransport } from "./transport";

type Slot = { at: DateTime; scenario: string };

/** Whole-day schedule: busier on weekdays, a few evening calls, quiet Sundays. */
function planDay(day: DateTime, random: () => number): Slot[] {
  const weekday = day.weekday; // 1 = Monday … 7 = Sunday
  const count = weekday === 7 ? Math.floor(random() * 2) : weekday === 6 ? 1 + Math.floor(random() * 3) : 3 + Math.floor(random() * 5);
  const mix: [string, number][] = [
    ["new-patient-books", 34],
    ["price-question", 18],
    ["returning-patient-reschedules", 10],
    ["cancellation", 8],
    ["transfer", 12],
    ["emergency", 3],
    ["race", 4],
  ];
  const total = mix.reduce((s, [, w]) => s + w, 0);
  const slots: Slot[] = [];
  for (let i = 0; i < count; i++) {
    if (random() < 0.12) {
      slots.push({ at: day.set({ hour: 19 + Math.floor(random() * 3), minute: Math.floor(random() * 60) }), scenario: "after-hours" });
      continue;
    }
    let r = random() * total;
    const scenario =
      mix.find(([, w]) => {
        r -= w;
        return r < 0;
      })?.[0] ?? "new-patient-books";
    slots.push({ at: day.set({ hour: 9 + Math.floor(random() * 8), minute: Math.floor(random() * 60) }), scenario });
  }
  return slots.sort((a, b) => a.at.toMillis() - b.at.toMillis());
}

/**
 * ~30 days of believable call history for the demo clinic, made by the simulator itself: each call
 * goes through the real webhook and tool endpoints of an in-process app whose clock is set to the
 * call's time, so availability, bookings, the pipeline and usage all behave as they did "then".
 * Deterministic (seeded) and idempotent: skipped when simulated calls already exist.
 */
export async function seedSimulatedHistory(deps: {
  db: Database;
  orgId: string;
  logger: Logger;
  now: Date;
  days?: number;
}): Promise<{ calls: number; skipped: boolean }> {
  const { db, orgId } = deps;
  const existing = await db.asService(
    orgId,
    async (tx) =>
      (await tx.query<{ n: number }>("select count(*)::int as n from public.call_logs where org_id = $1 and vapi_call_id like 'sim-%'", [orgId])).rows[0]!.n,
  );
  if (existing > 0) return { calls: existing, skipped: true };
  await ensureDemoVapiIdentity(db, orgId);
  const timezone = await db.asService(
    orgId,
    async (tx) => (await tx.query<{ timezone: string }>("select timezone from public.organizations where id = $1", [orgId])).rows[0]!.timezone,
  );

  const secret = randomBytes(24).toString("hex");
  // A private replay app: its own throwaway secrets (nothing read from the environment or written to
  // DATA_DIR), development mode so every response is checked against its contract.
  const config = loadConfig({
    NODE_ENV: "development",
    LOG_LEVEL: "error",
    JWT_SECRET: randomBytes(32).toString("hex"),
    VAPI_WEBHOOK_SECRET: secret,
    ENCRYPTION_KEY: generateEncryptionKey(),
  } as NodeJS.ProcessEnv);
  const clock = virtualClock(deps.now);
  const quiet = deps.logger.child({ component: "demo-history" }, { level: "error" });
  const server = createServer(createApp({ config, logger: quiet, db, clock }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const transport = httpTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, secret, secretHeader: config.VAPI_SECRET_HEADER });

  const random = seededRandom(20261123);
  let played = 0;
  let nextCaller = 0;
  try {
    const today = DateTime.fromJSDate(deps.now, { zone: timezone }).startOf("day");
    for (let back = deps.days ?? 30; back >= 1; back--) {
      for (const slot of planDay(today.minus({ days: back }), random)) {
        clock.set(slot.at.toJSDate());
        // New patients get fresh callers; other calls often come from people who called before.
        const fresh = ["new-patient-books", "returning-patient-reschedules", "cancellation", "race"].includes(slot.scenario) || nextCaller < 5;
        const callerIndex = fresh ? nextCaller++ : Math.floor(random() * nextCaller);
        if (slot.scenario === "race") nextCaller++;
        const result = await scenarios[slot.scenario]!.run({
          transport,
          clock,
          identity: DEMO_IDENTITY,
          caller: simCaller(callerIndex),
          otherCaller: simCaller(callerIndex + 1),
          random,
          liveTranscript: false,
        });
        played += result.calls.length;
      }
    }
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
  deps.logger.info({ orgId, calls: played }, "demo clinic: simulated call history created");
  return { calls: played, skipped: false };
}
