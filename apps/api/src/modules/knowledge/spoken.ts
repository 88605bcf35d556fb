/**
 * What the receptionist says from a knowledge-base passage: the passage without markup, condensed
 * to the sentences closest to the question, on one line of at most MAX_SPOKEN_CHARS. It only ever
 * repeats the clinic's own words; when nothing matched it says so instead of guessing.
 */
import { sentencesOf } from "./chunk";

export const MAX_SPOKEN_CHARS = 400;

export const NO_KNOWLEDGE_MATCH =
  "I don't have that information. Don't guess: tell the caller you don't have that information and offer to take a message so the clinic can call back with the answer.";

/** Markdown and HTML leftovers out, one line. */
export function stripMarkup(text: string): string {
  return text
    .replace(/<[^>]{1,200}>/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(?:#{1,6}|>+)\s*/gm, "")
    .replace(/^\s*(?:[-*+•]|\d{1,3}[.)])\s+/gm, "")
    .replace(/\|/g, ", ")
    .replace(/(\*\*|__|\*|_|`|~~)(?=\S)([\s\S]*?\S)\1/g, "$2")
    .replace(/[*`#>~]+/g, " ")
    .replace(/\\([\\`*_{}[\]()#+.!-])/g, "$1")
    .replace(/\s+/g, " ")
    .replace(/\s+([,.;:!?])/g, "$1")
    .replace(/(,\s*){2,}/g, ", ")
    .trim();
}

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** Query words worth matching (4+ letters), as 4-letter prefixes so "breastfeeding" meets "breastfeed". */
function keysOf(question: string): string[] {
  return [
    ...new Set(
      fold(question)
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length >= 4)
        .map((w) => w.slice(0, 5)),
    ),
  ];
}

/** Cuts at a word boundary and marks the cut. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const space = head.lastIndexOf(" ");
  return `${(space > max * 0.6 ? head.slice(0, space) : head).replace(/[,;:.\s]+$/, "")}…`;
}

/** The passage's sentences most about the question, in their original order, within `budget` characters. */
export function condensePassage(passage: string, question: string, budget: number): string {
  const text = stripMarkup(passage);
  if (text.length <= budget) return text;
  const keys = keysOf(question);
  const sentences = sentencesOf(text).map((s, index) => {
    const words = fold(s).split(/[^\p{L}\p{N}]+/u);
    return { s, index, score: keys.filter((k) => words.some((w) => w.startsWith(k) || (w.length >= 4 && k.startsWith(w)))).length };
  });
  const ranked = [...sentences].sort((a, b) => b.score - a.score || a.index - b.index);
  const chosen: typeof sentences = [];
  let used = 0;
  for (const candidate of ranked) {
    const cost = candidate.s.length + (chosen.length ? 1 : 0);
    if (used + cost > budget) continue;
    chosen.push(candidate);
    used += cost;
  }
  if (chosen.length === 0) return cut(ranked[0]!.s, budget);
  return chosen
    .sort((a, b) => a.index - b.index)
    .map((c) => c.s)
    .join(" ");
}

/** The one line the assistant hears for the best passage. Quick answers are said as written. */
export function spokenAnswer(hit: { documentTitle: string; sourceType: string; content: string } | null, question: string): string {
  if (!hit) return NO_KNOWLEDGE_MATCH;
  if (hit.sourceType === "quick_answer") return cut(condensePassage(hit.content, question, MAX_SPOKEN_CHARS), MAX_SPOKEN_CHARS);
  const lead = `From the clinic's "${cut(stripMarkup(hit.documentTitle), 60)}": `;
  return lead + condensePassage(hit.content, question, MAX_SPOKEN_CHARS - lead.length);
}
