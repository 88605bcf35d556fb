import { IANAZone, type Zone } from "luxon";

/**
 * Luxon computes a zone's UTC offset with `Intl.DateTimeFormat.formatToParts` for every
 * DateTime it builds or moves (`plus`, `startOf`, `set`, `fromObject`), and does not remember
 * it: that lookup was a sixth of a checkAvailability call's CPU (bench/tools.bench.ts). Offsets
 * only change at a zone's transitions, which tzdb places on quarter hours, so this zone
 * remembers the offset of each quarter hour whose start and end agree, and asks Intl directly
 * for the rare quarter hour that contains a transition. Same name and type as luxon's own IANA
 * zone, so DateTimes in either compare and format alike.
 */
class OffsetCachingZone extends IANAZone {
  private readonly offsets = new Map<number, number>();

  override offset(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_HOUR_MS);
    const cached = this.offsets.get(quarter);
    if (cached !== undefined) return cached;
    const start = super.offset(quarter * QUARTER_HOUR_MS);
    const end = super.offset((quarter + 1) * QUARTER_HOUR_MS - 1);
    if (start !== end) return super.offset(ts);
    if (this.offsets.size >= MAX_CACHED_QUARTERS) this.offsets.clear();
    this.offsets.set(quarter, start);
    return start;
  }
}

const QUARTER_HOUR_MS = 15 * 60_000;
// A year of quarter hours per zone: every search a clinic makes stays within a few weeks of now.
const MAX_CACHED_QUARTERS = 366 * 96;
const zones = new Map<string, Zone>();

/** The clinic's IANA zone (e.g. "America/New_York") with its offsets remembered. Pass it where luxon takes a zone. */
export function clinicZone(name: string | Zone): Zone {
  if (typeof name !== "string") return name;
  let zone = zones.get(name);
  if (!zone) {
    // Not a valid IANA name: luxon's own zone, so DateTimes in it are invalid exactly as before.
    if (!IANAZone.isValidZone(name)) return IANAZone.create(name);
    zone = new OffsetCachingZone(name);
    zones.set(name, zone);
  }
  return zone;
}
