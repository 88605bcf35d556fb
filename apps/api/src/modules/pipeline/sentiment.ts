import Sentiment from "sentiment";

export type SentimentResult = { score: number; label: "positive" | "neutral" | "negative"; source: "vapi" | "lexicon" };

// AFINN-165 (the `sentiment` package) plus a few words that carry a clear valence on a clinic's
// phone line but are missing from the general-purpose list.
const CLINIC_EXTRAS: Record<string, number> = {
  expensive: -1,
  overpriced: -2,
  pricey: -1,
  rude: -2,
  unacceptable: -3,
  swollen: -2,
  swelling: -1,
  bleeding: -2,
  infection: -2,
  perfect: 3,
  lovely: 3,
  wonderful: 4,
  appreciate: 2,
  helpful: 2,
  excited: 3,
};

const analyzer = new Sentiment();
const LABEL_THRESHOLD = 0.2;

const labelFor = (score: number): SentimentResult["label"] => (score >= LABEL_THRESHOLD ? "positive" : score <= -LABEL_THRESHOLD ? "negative" : "neutral");

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const clamp1 = (n: number) => Math.max(-1, Math.min(1, n));

/**
 * The caller's sentiment from what they said (assistant lines are polite by design and would
 * drown the signal). AFINN sums word valences; tanh squashes the sum into −1…1 so a long
 * friendly call does not grow without bound.
 */
export function lexiconSentiment(callerUtterances: string[]): SentimentResult {
  let total = 0;
  for (const utterance of callerUtterances) {
    if (!utterance.trim()) continue;
    total += analyzer.analyze(utterance, { extras: CLINIC_EXTRAS }).score;
  }
  const score = round3(Math.tanh(total / 6));
  return { score, label: labelFor(score), source: "lexicon" };
}

const LABEL_KEYS = ["sentiment", "sentimentLabel", "sentiment_label", "callSentiment", "customerSentiment", "overallSentiment"];
const SCORE_KEYS = ["sentimentScore", "sentiment_score", "score"];

/** Vapi's analysis.structuredData, when the assistant's analysis plan extracts a sentiment. */
export function structuredSentiment(structuredData: unknown): SentimentResult | null {
  if (!structuredData || typeof structuredData !== "object") return null;
  const data = structuredData as Record<string, unknown>;
  let label: SentimentResult["label"] | null = null;
  for (const key of LABEL_KEYS) {
    const v = data[key];
    if (typeof v !== "string") continue;
    const s = v.trim().toLowerCase();
    if (/^(?:(?:very\s+)?positive|happy|satisfied)$/.test(s)) label = "positive";
    else if (/^(?:(?:very\s+)?negative|angry|upset|frustrated|unhappy)$/.test(s)) label = "negative";
    else if (/^(neutral|mixed)$/.test(s)) label = "neutral";
    if (label) break;
  }
  let score: number | null = null;
  for (const key of SCORE_KEYS) {
    const v = data[key];
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    if (!Number.isFinite(n)) continue;
    // Analysis prompts use −1…1, 0…10 or 0…100; bring them all to −1…1.
    score = n >= -1 && n <= 1 ? n : n > 1 && n <= 10 ? (n - 5) / 5 : n > 10 && n <= 100 ? (n - 50) / 50 : null;
    if (score !== null) break;
  }
  if (label === null && score === null) return null;
  const finalScore = score ?? (label === "positive" ? 0.6 : label === "negative" ? -0.6 : 0);
  return { score: round3(clamp1(finalScore)), label: label ?? labelFor(finalScore), source: "vapi" };
}

export function analyzeSentiment(input: { structuredData: unknown; callerUtterances: string[] }): SentimentResult {
  return structuredSentiment(input.structuredData) ?? lexiconSentiment(input.callerUtterances);
}
