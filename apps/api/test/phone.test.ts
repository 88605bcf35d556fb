import { describe, expect, it } from "vitest";
import { countryOf, toE164 } from "../src/lib/phone";

// Expected values written from the numbering plans, not from the code.
const E164: [input: string, country: "US" | "GB" | "AU", expected: string | null][] = [
  ["(212) 555-0123", "US", "+12125550123"],
  ["212.555.0123", "US", "+12125550123"],
  ["+1 212 555 0123", "GB", "+12125550123"],
  ["020 7946 0958", "GB", "+442079460958"],
  ["+44 20 7946 0958", "US", "+442079460958"],
  ["(02) 9374 4000", "AU", "+61293744000"],
  ["0412 345 678", "AU", "+61412345678"],
  ["12", "US", null],
  ["   ", "US", null],
  ["call me maybe", "US", null],
  [`+1 212 555 0123${" ".repeat(30)}x`, "US", null],
];

describe("phone numbers", () => {
  it("reads a number in the default country unless it carries its own code", () => {
    for (const [input, country, expected] of E164) expect({ input, country, e164: toE164(input, country) }).toEqual({ input, country, e164: expected });
  });

  it("answers the same on every call, and a number read in another country is read again", () => {
    // Remembered answers are keyed by the default country too: "020 7946 0958" is a London
    // number only when the clinic is in the UK.
    expect(toE164("020 7946 0958", "GB")).toBe("+442079460958");
    expect(toE164("020 7946 0958", "GB")).toBe("+442079460958");
    expect(toE164("020 7946 0958", "AU")).not.toBe("+442079460958");
    expect(toE164(" (212) 555-0123 ", "US")).toBe("+12125550123");
    expect(toE164(null)).toBeNull();
    expect(toE164(undefined)).toBeNull();
  });

  it("knows the country of an E.164 number", () => {
    expect(countryOf("+442079460958")).toBe("GB");
    expect(countryOf("+12125550123")).toBe("US");
    expect(countryOf("+61293744000")).toBe("AU");
    expect(countryOf("+442079460958")).toBe("GB");
    expect(countryOf("")).toBeUndefined();
    expect(countryOf(null)).toBeUndefined();
  });
});
