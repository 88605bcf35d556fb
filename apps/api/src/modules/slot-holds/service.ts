import type { DateTime } from "luxon";
import type { Database } from "../../db/database";
import { localDay } from "../../lib/time";
import type { BookingContext } from "../booking/service";
import { lockBookingDays } from "../booking/queries";
import { releaseEndedCallHolds, replaceCallHolds } from "./queries";

/**
 * Holds the times offered to a call (supabase/migrations/20261215000100_slot_holds.sql) and
 * returns the ones it now holds, in order. Takes the booking engine's per-(org, day) locks first,
 * so a hold never races a booking of the same day. Without a call id, or with holds switched off
 * (SLOT_HOLD_MINUTES=0), nothing is held and every offer stands.
 */
export async function holdOffers(ctx: BookingContext, offers: DateTime[], durationMinutes: number, minutes: number): Promise<DateTime[]> {
  if (!ctx.callId || minutes <= 0 || offers.length === 0) return offers;
  const { clinic } = ctx;
  // Sent together (db/database.ts Db.query): the holds statement still starts only once the locks
  // are granted, and so reads the appointments committed before them.
  const [, held] = await Promise.all([
    lockBookingDays(
      ctx.db,
      clinic.orgId,
      offers.map((s) => localDay(s, clinic.timezone).toISODate()!),
    ),
    replaceCallHolds(ctx.db, clinic.orgId, ctx.callId, {
      starts: offers.map((s) => s.toJSDate()),
      durationMinutes,
      bufferBefore: clinic.bufferBeforeMinutes,
      bufferAfter: clinic.bufferAfterMinutes,
      minutes,
    }),
  ]);
  const heldAt = new Set(held.map((d) => d.getTime()));
  return offers.filter((s) => heldAt.has(s.toMillis()));
}

/** An ended call's holds, released at once (status-update "ended") instead of when they expire. */
export async function releaseHoldsOfEndedCall(database: Database, vapiCallId: string): Promise<number> {
  return database.asSystem((db) => releaseEndedCallHolds(db, vapiCallId));
}
