/**
 * Medical-emergency phrases in what the caller told the assistant (tool arguments are the
 * caller's words paraphrased by the model). Deliberately biased towards false positives: telling
 * someone with a headache to call 911 is cheap; booking a stroke into next Tuesday is not.
 */
const EMERGENCY_PATTERNS: { label: string; pattern: RegExp }[] = [
  { label: "chest pain", pattern: /\bchest (pain|pains|tightness|pressure)\b|\bpain in (my|his|her|their) chest\b|\bheart attack\b/i },
  {
    label: "trouble breathing",
    pattern: /\b(can ?not|can'?t|cannot|could ?n'?t|unable to|struggling to|hard to) (breathe|breath)\b|\b(not|stopped) breathing\b|\b(trouble|difficulty|difficult) breathing\b|\bchoking\b/i,
  },
  {
    label: "severe bleeding",
    pattern: /\b(severe|heavy|heavily|uncontrolled|profuse|profusely|massive) bleed(ing)?\b|\bbleeding (heavily|a lot|badly|profusely|everywhere)\b|\bwon'?t stop bleeding\b|\bbleeding (that )?(won'?t|will not) stop\b/i,
  },
  { label: "unconscious", pattern: /\bunconscious\b|\bunresponsive\b|\bpassed out\b|\bnot waking up\b|\bwon'?t wake up\b|\bcollapsed\b/i },
  { label: "overdose", pattern: /\boverdos(e|ed|ing)\b|\btook too many (pills|tablets)\b/i },
  { label: "suicidal", pattern: /\bsuicid(e|al)\b|\bkill (my|him|her)self\b|\bend (my|his|her) life\b|\bwant to die\b|\bself[- ]harm\b/i },
  {
    label: "stroke signs",
    pattern: /\bstroke\b|\bface (is )?droop(ing|s)?\b|\bdrooping face\b|\bslurred speech\b|\bslurring (my|his|her)? ?words\b|\bsudden (numbness|weakness)\b/i,
  },
  {
    label: "anaphylaxis",
    pattern: /\banaphyla(xis|ctic)\b|\bthroat (is )?(closing|swelling|swollen)\b|\b(tongue|lips?) (is |are )?swelling\b|\bsevere allergic reaction\b/i,
  },
  { label: "seizure", pattern: /\bseizure\b|\bconvuls(ing|ion|ions)\b/i },
];

/** The first emergency found in the texts, as a short label ("chest pain"), or null. */
export function detectEmergency(texts: string[]): string | null {
  for (const text of texts) {
    for (const { label, pattern } of EMERGENCY_PATTERNS) if (pattern.test(text)) return label;
  }
  return null;
}

export function emergencyAdvice(label: string, dialNumber: string, transferNumber: string | null): string {
  const transfer = transferNumber ? ` If they cannot hang up, transfer them to the clinic at ${transferNumber}.` : "";
  return `Possible medical emergency (${label}). Tell the caller to hang up now and dial ${dialNumber} for emergency services; do not book or give medical advice.${transfer}`;
}
