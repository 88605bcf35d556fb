import { describe, expect, it } from "vitest";
import { callSignals, matchServices, nextLeadStatus, temperatureOf, wantsHotLeadAlert, type ServiceCatalogEntry } from "../src/modules/pipeline/lead-scoring";
import { analyzeSentiment, lexiconSentiment, structuredSentiment } from "../src/modules/pipeline/sentiment";

const catalog: ServiceCatalogEntry[] = [
  { id: "s1", name: "Botox", price: 400, keywords: ["botox", "wrinkle", "crow's feet"] },
  { id: "s2", name: "Facelift", price: 8000, keywords: ["facelift", "face lift"] },
  { id: "s3", name: "Rhinoplasty", price: 6000, keywords: ["rhinoplasty", "nose job"] },
  { id: "s4", name: "Fillers", price: 500, keywords: ["filler", "fillers", "lip filler"] },
];

describe("sentiment", () => {
  it("the lexicon model reads the caller's lines: happy, upset and matter-of-fact calls", () => {
    const happy = lexiconSentiment(["Hi! I'd love to book Botox.", "Perfect, thank you so much, that's really helpful!"]);
    expect(happy.label).toBe("positive");
    expect(happy.score).toBeGreaterThan(0.2);
    expect(happy.source).toBe("lexicon");

    const upset = lexiconSentiment(["I've been on hold forever, this is ridiculous.", "My lips are swollen and it hurts, I'm really upset and angry."]);
    expect(upset.label).toBe("negative");
    expect(upset.score).toBeLessThan(-0.2);

    expect(lexiconSentiment(["What time do you open on Saturday?", "Okay."]).label).toBe("neutral");
    // Negation is understood ("not happy").
    expect(lexiconSentiment(["I'm not happy with how my filler looks."]).label).not.toBe("positive");
    // Scores stay within −1…1 however long the call.
    expect(lexiconSentiment(Array(50).fill("Wonderful, amazing, perfect, thank you!")).score).toBeLessThanOrEqual(1);
  });

  it("Vapi's structuredData wins when it carries a sentiment, in the forms analysis prompts use", () => {
    expect(structuredSentiment({ sentiment: "Negative" })).toMatchObject({ label: "negative", source: "vapi" });
    expect(structuredSentiment({ sentimentScore: 8 })).toMatchObject({ label: "positive", score: 0.6 });
    expect(structuredSentiment({ sentiment_score: -0.9 })).toMatchObject({ label: "negative", score: -0.9 });
    expect(structuredSentiment({ intent: "book" })).toBeNull();
    const result = analyzeSentiment({ structuredData: { sentiment: "positive" }, callerUtterances: ["This is terrible and I hate it."] });
    expect(result).toMatchObject({ label: "positive", source: "vapi" });
    expect(analyzeSentiment({ structuredData: null, callerUtterances: ["This is terrible and I hate it."] }).source).toBe("lexicon");
  });
});

describe("lead scoring (docs/LEAD_SCORING.md; worked examples in lead-labels.test.ts)", () => {
  it("matches services by name and keyword, priciest first, without partial-word matches", () => {
    expect(matchServices(["How much is a nose job? And botox?"], catalog).map((s) => s.name)).toEqual(["Rhinoplasty", "Botox"]);
    expect(matchServices(["I'd like a facelift"], catalog).map((s) => s.name)).toEqual(["Facelift"]);
    expect(matchServices(["Do you do fillerz or botoxx?"], catalog)).toEqual([]);
  });

  it("temperature bands and the hot-lead rule", () => {
    expect([0, 39, 40, 69, 70, 100].map(temperatureOf)).toEqual(["cold", "cold", "warm", "warm", "hot", "hot"]);
    expect(wantsHotLeadAlert({ score: 69, temperature: "warm", reasons: [] }, { booked: false, emergencyAlerted: false })).toBe(false);
    expect(wantsHotLeadAlert({ score: 70, temperature: "hot", reasons: [] }, { booked: false, emergencyAlerted: false })).toBe(true);
  });

  it("signals: emergencies, urgency and disinterest", () => {
    expect(callSignals(["My throat is closing after the filler"], false)).toMatchObject({ emergency: "anaphylaxis", urgency: "high" });
    expect(callSignals(["Can I come in tomorrow?"], false)).toMatchObject({ emergency: null, urgency: "high", bookingIntent: true });
    expect(callSignals(["Just looking, no rush"], false).urgency).toBe("low");
    expect(callSignals(["Sorry, wrong number"], false).notInterested).toBe(true);
    expect(callSignals(["hello"], true).emergency).not.toBeNull();
  });

  it("lead status: new → contacted → booked / lost", () => {
    const none = { booked: false, cancelledWithoutRebooking: false, notInterested: false };
    expect(nextLeadStatus(null, none)).toBe("contacted");
    expect(nextLeadStatus("new", none)).toBe("contacted");
    expect(nextLeadStatus("contacted", { ...none, booked: true })).toBe("booked");
    expect(nextLeadStatus("booked", none)).toBe("booked");
    expect(nextLeadStatus("booked", { ...none, cancelledWithoutRebooking: true })).toBe("lost");
    expect(nextLeadStatus("contacted", { ...none, notInterested: true })).toBe("lost");
    expect(nextLeadStatus("lost", none)).toBe("contacted");
  });
});
