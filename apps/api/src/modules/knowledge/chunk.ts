/**
 * Splits a document's text into searchable chunks by its structure: headings start a new section,
 * paragraphs (and list items) are packed into chunks of about CHUNK_TARGET characters, a long
 * paragraph is cut between sentences, and each chunk after the first of a section repeats the
 * previous chunk's last sentence (overlap), so an answer that straddles a cut is still found whole.
 */
import type { KnowledgeSourceType } from "@voxanne/contracts";

export type Chunk = { position: number; heading: string | null; content: string };

export const CHUNK_TARGET = 900;
export const CHUNK_MAX = 1400;
const OVERLAP_MAX = 240;

type Section = { heading: string | null; paragraphs: string[] };

const MARKDOWN_HEADING = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/;
const LIST_ITEM = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+/;
const BOLD_LINE = /^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*$/;

/** A short line without closing punctuation, e.g. "Parking" or "Before your appointment". */
function looksLikeHeading(line: string): boolean {
  const t = line.trim();
  if (t.length < 2 || t.length > 70 || LIST_ITEM.test(t)) return false;
  if (/[.,;!?]$/.test(t)) return false;
  if (t.split(/\s+/).length > 8) return false;
  return /^[\p{Lu}\p{N}]/u.test(t);
}

function sectionsOf(text: string, sourceType: KnowledgeSourceType): Section[] {
  const lines = text.split("\n");
  const sections: Section[] = [{ heading: null, paragraphs: [] }];
  let current = sections[0]!;
  let paragraph: string[] = [];
  // PDFs have no blank lines between paragraphs (one line per text row); Markdown marks headings itself.
  const headingByShape = sourceType === "pdf" || sourceType === "txt";
  const flush = () => {
    const joined = paragraph.join(" ").replace(/\s+/g, " ").trim();
    if (joined) current.paragraphs.push(joined);
    paragraph = [];
  };
  const startSection = (heading: string) => {
    flush();
    current = {
      heading:
        heading
          .replace(/[*_`]+/g, "")
          .trim()
          .slice(0, 300) || null,
      paragraphs: [],
    };
    sections.push(current);
  };
  lines.forEach((line, i) => {
    const md = MARKDOWN_HEADING.exec(line);
    const bold = BOLD_LINE.exec(line);
    const standalone = (i === 0 || !lines[i - 1]!.trim()) && (i === lines.length - 1 || !lines[i + 1]!.trim());
    if (!line.trim()) flush();
    else if (md) startSection(md[1]!);
    else if (bold && standalone && looksLikeHeading(bold[1]!)) startSection(bold[1]!);
    else if (headingByShape && (sourceType === "pdf" || standalone) && looksLikeHeading(line)) startSection(line);
    else if (LIST_ITEM.test(line)) {
      flush();
      paragraph.push(line.trim());
      flush();
    } else paragraph.push(line.trim());
  });
  flush();
  return sections.filter((s) => s.paragraphs.length > 0);
}

/** Sentences, keeping their closing punctuation. */
export function sentencesOf(text: string): string[] {
  return (
    text
      .match(/[^.!?]+(?:[.!?]+["')\]]*|$)\s*/g)
      ?.map((s) => s.trim())
      .filter(Boolean) ?? [text]
  );
}

/** A paragraph longer than CHUNK_MAX, cut between sentences (or hard, for a sentence that long). */
function piecesOf(paragraph: string): string[] {
  if (paragraph.length <= CHUNK_MAX) return [paragraph];
  const pieces: string[] = [];
  let piece = "";
  for (const sentence of sentencesOf(paragraph)) {
    for (let s = sentence; s.length > 0; s = s.slice(CHUNK_MAX)) {
      const part = s.slice(0, CHUNK_MAX);
      if (piece && piece.length + 1 + part.length > CHUNK_TARGET) {
        pieces.push(piece);
        piece = "";
      }
      piece = piece ? `${piece} ${part}` : part;
    }
  }
  if (piece) pieces.push(piece);
  return pieces;
}

function overlapOf(content: string): string {
  const last = sentencesOf(content).at(-1) ?? "";
  return last.length <= OVERLAP_MAX && last.length < content.length ? last : "";
}

export function chunkDocument(text: string, sourceType: KnowledgeSourceType): Chunk[] {
  const chunks: Chunk[] = [];
  for (const section of sectionsOf(text, sourceType)) {
    let content = "";
    let fresh = true; // nothing but overlap in `content` yet
    const emit = () => {
      if (!fresh && content) chunks.push({ position: chunks.length, heading: section.heading, content });
    };
    for (const piece of section.paragraphs.flatMap(piecesOf)) {
      if (!fresh && content.length + 2 + piece.length > CHUNK_TARGET) {
        emit();
        const overlap = overlapOf(content);
        content = overlap;
        fresh = true;
      }
      content = content ? `${content}\n${piece}` : piece;
      fresh = false;
    }
    emit();
  }
  return chunks;
}
