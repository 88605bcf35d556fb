import type { DateTime } from "luxon";
import type { Db } from "../../db/database";
import { localDay, openIntervalsOn } from "../../lib/time";
import { isOpenAt, MAX_SEARCH_DAYS } from "../booking/availability";
import { durationFor, searchSlots } from "../booking/service";
import type { Clinic } from "./types";

export type TransferDecision = { kind: "transfer"; number: string } | { kind: "closed"; opensAt: DateTime | null } | { kind: "no_number" };

/** When the front desk opens next (the start of the next opening interval), up to two weeks ahead. */
export function nextOpening(clinic: Clinic, now: Date): DateTime | null {
  const today = localDay(now, clinic.timezone);
  for (let i = 0; i <= MAX_SEARCH_DAYS; i++) {
    for (const interval of openIntervalsOn(today.plus({ days: i }), clinic.businessHours, clinic.dateOverrides)) {
      if (interval.start.toMillis() > now.getTime()) return interval.start;
    }
  }
  return null;
}

/**
 * Whether a caller asking for a person can be put through: during opening hours to the
 * transfer number; after hours only when the clinic chose after_hours_mode = transfer.
 */
export function transferDecision(clinic: Clinic, now: Date): TransferDecision {
  if (!isOpenAt(clinic, now) && clinic.afterHoursMode !== "transfer") return { kind: "closed", opensAt: nextOpening(clinic, now) };
  return clinic.transferNumber ? { kind: "transfer", number: clinic.transferNumber } : { kind: "no_number" };
}

/** The appointments to offer instead of a person: only when the clinic chose after_hours_mode = offer_slots and it is closed. */
export async function slotsInsteadOfTransfer(db: Db, clinic: Clinic, now: Date, decision: TransferDecision): Promise<DateTime[] | null> {
  if (decision.kind !== "closed" || clinic.afterHoursMode !== "offer_slots") return null;
  const fromDay = localDay(now, clinic.timezone);
  return searchSlots(
    { db, clinic, now, callId: null },
    { fromDay, toDay: fromDay.plus({ days: MAX_SEARCH_DAYS }), durationMinutes: durationFor(clinic, null), limit: 3 },
  );
}
