import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  callSignals,
  callValue,
  type LeadInputs,
  leadTemperature,
  matchServices,
  scoreLead,
  type ServiceCatalogEntry,
  wantsHotLeadAlert,
} from "../src/modules/pipeline/lead-scoring";

/**
 * docs/LEAD_SCORING.md's worked examples, played through the rules. The expected numbers are the
 * ones in the document (read from its table), so the document and the code cannot drift apart.
 */
const catalog: ServiceCatalogEntry[] = [
  { id: "s1", name: "Botox", price: 400, keywords: ["botox"] },
  { id: "s2", name: "Facelift", price: 8000, keywords: ["facelift", "face lift"] },
  { id: "s4", name: "Fillers", price: 500, keywords: ["filler", "fillers", "lip filler"] },
];
const positive = { score: 0.6, label: "positive" as const, source: "lexicon" as const };
const neutral = { score: 0, label: "neutral" as const, source: "lexicon" as const };
const negative = { score: -0.6, label: "negative" as const, source: "lexicon" as const };

type Example = { said: string[]; booked?: boolean; cancelled?: boolean; seconds: number; sentiment: LeadInputs["sentiment"]; returning?: boolean };

/** One call per row of the document's table, keyed by the row's first column. */
const calls: Record<string, Example> = {
  "New patient books Botox ($400), 2 min, friendly": {
    said: ["Hi! I'd like Botox, do you have anything available?", "Perfect, thanks!"],
    booked: true,
    seconds: 120,
    sentiment: positive,
  },
  "Asks facelift ($8,000) price and availability, 1 min, friendly, will call back": {
    said: ["How much is a facelift?", "Do you have availability for a consultation?"],
    seconds: 75,
    sentiment: positive,
  },
  "Asks filler price ($500), 2 min, neutral": { said: ["What's the price of lip filler?"], seconds: 120, sentiment: neutral },
  "Returning patient cancels, does not rebook, 1 min": {
    said: ["I need to cancel my appointment"],
    cancelled: true,
    seconds: 60,
    sentiment: neutral,
    returning: true,
  },
  "Returning patient cancels their Botox, does not rebook, 1 min": {
    said: ["I need to cancel my Botox appointment"],
    cancelled: true,
    seconds: 60,
    sentiment: neutral,
    returning: true,
  },
  "Lips swelling after filler, 1 min, upset (emergency)": {
    said: ["I had filler yesterday and now my lips are swelling, I'm scared."],
    seconds: 70,
    sentiment: negative,
  },
  "Hangs up after 8 s": { said: ["hello?"], seconds: 8, sentiment: neutral },
};

function play(example: Example) {
  const signals = callSignals(example.said, false);
  const interests = matchServices(example.said, catalog);
  const booked = example.booked ?? false;
  const cancelledWithoutRebooking = example.cancelled ?? false;
  const lead = scoreLead({
    signals,
    interests,
    booked,
    cancelledWithoutRebooking,
    durationSeconds: example.seconds,
    sentiment: example.sentiment,
    returningCaller: example.returning ?? false,
  });
  const value = callValue({
    booked,
    emergency: signals.emergency !== null,
    cancelledWithoutRebooking,
    bookedPrices: booked ? interests.map((i) => i.price).slice(0, 1) : [],
    interests,
    consultationPrice: 150,
  });
  return { score: lead.score, temperature: lead.temperature, value, alert: wantsHotLeadAlert(lead, { booked, emergencyAlerted: false }) ? "yes" : "no" };
}

function documentedExamples(): { call: string; score: number; temperature: string; value: number; alert: string }[] {
  const doc = readFileSync(new URL("../../../docs/LEAD_SCORING.md", import.meta.url), "utf8");
  const section = doc.slice(doc.indexOf("## Worked examples"));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| call") && !line.startsWith("| ---"))
    .map((line) => {
      const [call, , score, temperature, value, alert] = line
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim());
      return { call: call!, score: Number(score), temperature: temperature!, value: Number(value), alert: alert! };
    });
}

describe("lead labels (docs/LEAD_SCORING.md, worked examples)", () => {
  const rows = documentedExamples();

  it("the document has a call here for every example row, and no more", () => {
    expect(rows.map((r) => r.call).sort()).toEqual(Object.keys(calls).sort());
  });

  for (const row of rows) {
    it(row.call, () => {
      expect(play(calls[row.call]!)).toEqual({ score: row.score, temperature: row.temperature, value: row.value, alert: row.alert });
    });
  }
});

describe("labels that agree", () => {
  it("a booked call is never a hot lead to call back, however high it scores", () => {
    for (const score of [70, 85, 100]) expect(leadTemperature(score, { booked: true, emergency: false })).toBe("warm");
    expect(leadTemperature(55, { booked: true, emergency: false })).toBe("warm");
    expect(leadTemperature(20, { booked: true, emergency: false })).toBe("cold");
    expect(wantsHotLeadAlert({ score: 100, temperature: "warm", reasons: [] }, { booked: true, emergencyAlerted: false })).toBe(false);
  });

  it("an emergency is hot (someone calls back now) and worth nothing to the pipeline", () => {
    for (const score of [0, 30, 69]) expect(leadTemperature(score, { booked: false, emergency: true })).toBe("hot");
    const value = callValue({
      booked: false,
      emergency: true,
      cancelledWithoutRebooking: false,
      bookedPrices: [],
      interests: [{ id: "s4", name: "Fillers", price: 500 }],
      consultationPrice: 150,
    });
    expect(value).toBe(0);
  });

  it("a cancellation adds no pipeline value; a reschedule (rebooked) keeps the new booking's", () => {
    const interests = [{ id: "s1", name: "Botox", price: 400 }];
    const base = { emergency: false, interests, consultationPrice: 150 };
    expect(callValue({ ...base, booked: false, cancelledWithoutRebooking: true, bookedPrices: [] })).toBe(0);
    expect(callValue({ ...base, booked: true, cancelledWithoutRebooking: false, bookedPrices: [400] })).toBe(400);
  });
});
