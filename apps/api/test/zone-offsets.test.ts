import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { localDay } from "../src/lib/time";
import { clinicZone } from "../src/lib/zone";

/**
 * The offset cache (src/lib/zone.ts) must give every instant the offset the zone really has,
 * including the minutes around a DST change, and zones whose offsets or changes are not whole
 * hours. Expected offsets are from the zones' published rules, not from the code.
 */
describe("clinic zone offsets", () => {
  const known: [zone: string, utc: string, minutes: number][] = [
    // New York springs forward at 2026-03-08 02:00 EST (07:00Z) and falls back at 2026-11-01 02:00 EDT (06:00Z).
    ["America/New_York", "2026-03-08T06:59:59.999Z", -300],
    ["America/New_York", "2026-03-08T07:00:00.000Z", -240],
    ["America/New_York", "2026-11-01T05:59:59.999Z", -240],
    ["America/New_York", "2026-11-01T06:00:00.000Z", -300],
    // London: 2026-03-29 01:00Z.
    ["Europe/London", "2026-03-29T00:59:59.999Z", 0],
    ["Europe/London", "2026-03-29T01:00:00.000Z", 60],
    // Lord Howe Island moves by half an hour: +11 until 2026-04-05 02:00 local (15:00Z on the 4th), then +10:30.
    ["Australia/Lord_Howe", "2026-04-04T14:59:59.999Z", 660],
    ["Australia/Lord_Howe", "2026-04-04T15:00:00.000Z", 630],
    // No DST, quarter-hour offsets.
    ["Asia/Kathmandu", "2026-06-01T12:00:00.000Z", 345],
    ["America/St_Johns", "2026-01-15T12:00:00.000Z", -210],
    ["America/St_Johns", "2026-07-15T12:00:00.000Z", -150],
  ];

  it.each(known)("%s at %s is UTC%+d minutes", (zone, utc, minutes) => {
    const ts = Date.parse(utc);
    // Twice: the second answer comes from the cache.
    expect(clinicZone(zone).offset(ts)).toBe(minutes);
    expect(clinicZone(zone).offset(ts)).toBe(minutes);
  });

  it("agrees with luxon's own zone every 37 minutes through a year of transitions", () => {
    for (const name of ["America/New_York", "Australia/Lord_Howe", "America/St_Johns", "Europe/Dublin", "Pacific/Chatham"]) {
      const cached = clinicZone(name);
      const reference = IANAZone.create(name);
      const mismatches: string[] = [];
      for (let ts = Date.parse("2026-01-01T00:00:00Z"); ts < Date.parse("2027-01-01T00:00:00Z"); ts += 37 * 60_000 + 13) {
        if (cached.offset(ts) !== reference.offset(ts)) mismatches.push(new Date(ts).toISOString());
      }
      expect(mismatches, name).toEqual([]);
    }
  });

  it("builds the same local days and wall-clock times as a plain zone name", () => {
    const noon = DateTime.fromObject({ year: 2026, month: 3, day: 8, hour: 12 }, { zone: clinicZone("America/New_York") });
    expect(noon.toISO()).toBe("2026-03-08T12:00:00.000-04:00");
    expect(noon.zoneName).toBe("America/New_York");
    expect(noon.equals(DateTime.fromObject({ year: 2026, month: 3, day: 8, hour: 12 }, { zone: "America/New_York" }))).toBe(true);
    // The day after a 23-hour day starts 23 hours after it.
    const day = localDay(new Date("2026-03-08T15:00:00Z"), "America/New_York");
    expect(day.plus({ days: 1 }).diff(day, "hours").hours).toBe(23);
  });

  it("keeps an unknown zone name invalid", () => {
    expect(DateTime.now().setZone(clinicZone("Mars/Olympus_Mons")).isValid).toBe(false);
  });
});
