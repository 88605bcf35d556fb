/**
 * Days and times as callers say them, read on the clinic's calendar. The expected values are
 * written by hand from the rules in lib/spoken-time.ts's comments, not computed by the code:
 * an hour without am/pm is the reading inside the clinic's hours (else 7–11 morning, 12–6
 * afternoon), a time without a day is today's if still ahead, "next <weekday>" is that weekday
 * in next week (Monday to Sunday), "the 21st" is the next 21st on or after today.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type BusinessHours, parseDateRequest, parseTimeOfDay } from "../src/lib/time";

const HOURS: BusinessHours = {
  mon: [{ start: "09:00", end: "17:00" }],
  tue: [{ start: "09:00", end: "17:00" }],
  wed: [{ start: "09:00", end: "17:00" }],
  thu: [{ start: "09:00", end: "17:00" }],
  fri: [{ start: "09:00", end: "17:00" }],
  sat: [{ start: "10:00", end: "14:00" }],
};

const ZONES = ["America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Sydney", "America/Los_Angeles"];

/** What the caller said → the clinic-local reading: "yyyy-MM-dd HH:mm" (a time), "yyyy-MM-dd" (a day) or "from..to". */
// The clinic's "now" is Thursday 5 March 2026, 10:00 on its own clock.
const TABLE: [string, string][] = [
  ["at 3", "2026-03-05 15:00"],
  ["at 9", "2026-03-06 09:00"],
  ["at 11", "2026-03-05 11:00"],
  ["at 4", "2026-03-05 16:00"],
  ["at 1", "2026-03-05 13:00"],
  ["at 12", "2026-03-05 12:00"],
  ["tomorrow at 3", "2026-03-06 15:00"],
  ["tomorrow at 10", "2026-03-06 10:00"],
  ["friday at 2:30", "2026-03-06 14:30"],
  ["Friday at half past two", "2026-03-06 14:30"],
  ["half past two tomorrow", "2026-03-06 14:30"],
  ["quarter to four on Friday", "2026-03-06 15:45"],
  ["quarter past nine tomorrow", "2026-03-06 09:15"],
  ["tomorrow at twenty past four", "2026-03-06 16:20"],
  ["Friday at ten to five", "2026-03-06 16:50"],
  ["Monday at noon", "2026-03-09 12:00"],
  ["noon tomorrow", "2026-03-06 12:00"],
  ["Friday at midday", "2026-03-06 12:00"],
  ["the 5th", "2026-03-05"],
  ["the 9th", "2026-03-09"],
  ["on the 21st", "2026-03-21"],
  ["on the twenty-first", "2026-03-21"],
  ["on the twenty first", "2026-03-21"],
  ["the third", "2026-04-03"],
  ["the thirty-first", "2026-03-31"],
  ["the 31st", "2026-03-31"],
  ["on the 30th", "2026-03-30"],
  ["the twelfth at 3", "2026-03-12 15:00"],
  ["the 10th at half past ten", "2026-03-10 10:30"],
  ["the 6th at noon", "2026-03-06 12:00"],
  ["Wednesday the 11th at 2", "2026-03-11 14:00"],
  ["next Tuesday at 3", "2026-03-10 15:00"],
  ["next Friday", "2026-03-13"],
  ["next Monday at 9", "2026-03-09 09:00"],
  ["next Thursday at quarter past two", "2026-03-12 14:15"],
  ["next Wednesday at noon", "2026-03-11 12:00"],
  ["next Saturday at 11", "2026-03-14 11:00"],
  ["Tuesday at 10", "2026-03-10 10:00"],
  ["Tuesday at 5", "2026-03-10 17:00"],
  ["Friday 3", "2026-03-06 15:00"],
  ["3 on Friday", "2026-03-06 15:00"],
  ["two thirty Friday", "2026-03-06 14:30"],
  ["Friday at two", "2026-03-06 14:00"],
  ["3 in the afternoon tomorrow", "2026-03-06 15:00"],
  ["10 in the morning on Monday", "2026-03-09 10:00"],
  ["Friday at 3pm", "2026-03-06 15:00"],
  ["Friday at 9am", "2026-03-06 09:00"],
  ["Friday at 2 p.m.", "2026-03-06 14:00"],
  ["Friday at 15:00", "2026-03-06 15:00"],
  ["March 10 at 3", "2026-03-10 15:00"],
  ["March 21st at 11", "2026-03-21 11:00"],
  ["Saturday at 1", "2026-03-07 13:00"],
  ["Sunday at 3", "2026-03-08 15:00"],
  ["Friday at 8", "2026-03-06 08:00"],
  ["around 2 on Monday", "2026-03-09 14:00"],
  ["Monday at four o'clock", "2026-03-09 16:00"],
  ["four o'clock tomorrow", "2026-03-06 16:00"],
  ["tomorrow", "2026-03-06"],
  ["today", "2026-03-05"],
  ["Friday", "2026-03-06"],
  ["this Friday", "2026-03-06"],
  ["Monday", "2026-03-09"],
  ["March 10", "2026-03-10"],
  ["2026-03-10", "2026-03-10"],
  ["after lunch tomorrow", "2026-03-06"],
  ["next week", "2026-03-09..2026-03-15"],
  ["this week", "2026-03-05..2026-03-08"],
  ["Monday to Wednesday", "2026-03-09..2026-03-11"],
];

function reading(text: string, now: Date, zone: string): string | null {
  const r = parseDateRequest(text, now, zone, HOURS);
  if (!r) return null;
  if (r.at) return r.at.setZone(zone).toFormat("yyyy-MM-dd HH:mm");
  const from = r.from.toISODate()!;
  const to = r.to.toISODate()!;
  return from === to ? from : `${from}..${to}`;
}

describe("times and days as callers say them", () => {
  it("the table has at least 60 phrasings", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
  });

  for (const zone of ZONES) {
    const now = DateTime.fromObject({ year: 2026, month: 3, day: 5, hour: 10 }, { zone }).toJSDate();
    it(`reads every phrasing on the clinic's clock in ${zone}`, () => {
      const got = TABLE.map(([text]) => [text, reading(text, now, zone)]);
      expect(got).toEqual(TABLE);
    });
  }

  it("one instant is a different day and hour on each clinic's clock", () => {
    // 15:00 UTC: 10:00 in New York, 15:00 in London, 20:30 in Kolkata, 02:00 on Friday in Sydney.
    const now = new Date("2026-03-05T15:00:00Z");
    const expected: Record<string, [string, string | null][]> = {
      "America/New_York": [
        ["at 3", "2026-03-05 15:00"],
        ["tomorrow", "2026-03-06"],
        ["the 5th", "2026-03-05"],
        ["next Friday", "2026-03-13"],
      ],
      "Europe/London": [
        ["at 3", "2026-03-06 15:00"],
        ["tomorrow", "2026-03-06"],
        ["the 5th", "2026-03-05"],
        ["next Friday", "2026-03-13"],
      ],
      "Asia/Kolkata": [
        ["at 3", "2026-03-06 15:00"],
        ["tomorrow", "2026-03-06"],
        ["the 5th", "2026-03-05"],
        ["next Friday", "2026-03-13"],
      ],
      "Australia/Sydney": [
        ["at 3", "2026-03-06 15:00"],
        ["tomorrow", "2026-03-07"],
        ["the 5th", "2026-04-05"],
        ["next Friday", "2026-03-13"],
      ],
    };
    for (const [zone, rows] of Object.entries(expected)) {
      expect(
        rows.map(([text]) => [text, reading(text, now, zone)]),
        zone,
      ).toEqual(rows);
    }
  });

  it("after lunch is the afternoon from 1 PM; lunchtime is noon", () => {
    expect(parseTimeOfDay("after lunch tomorrow")).toBe("after-lunch");
    expect(parseTimeOfDay("in the afternoon")).toBe("afternoon");
    expect(reading("Friday at lunchtime", new Date("2026-03-05T15:00:00Z"), "America/New_York")).toBe("2026-03-06 12:00");
  });
});
