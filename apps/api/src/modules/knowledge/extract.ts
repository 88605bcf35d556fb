/**
 * Reads the text out of an uploaded file with maintained parsers: unpdf (pdf.js) for PDF, mammoth
 * + turndown for DOCX (headings kept as Markdown), UTF-8 for TXT and Markdown. Every refusal is a
 * DomainError a clinic can act on; the upload route stores nothing when one is thrown.
 */
import { extname } from "node:path";
import { KNOWLEDGE_MAX_UPLOAD_BYTES, type KnowledgeSourceType } from "@voxanne/contracts";
import { DomainError } from "../../lib/domain-error";

export type UploadedFile = { filename: string; bytes: Buffer };
export type ExtractedDocument = { sourceType: Exclude<KnowledgeSourceType, "quick_answer">; title: string; text: string };

/** Fewer readable characters than this is "no text" (a scanned PDF, a blank page). */
const MIN_TEXT_CHARS = 20;
const MAX_TEXT_CHARS = 2_000_000;

const refuse = (code: string, message: string) => new DomainError("invalid", code, message);

const TYPE_BY_EXTENSION: Record<string, ExtractedDocument["sourceType"]> = {
  ".pdf": "pdf",
  ".docx": "docx",
  ".txt": "txt",
  ".md": "markdown",
  ".markdown": "markdown",
};

const startsWith = (bytes: Buffer, magic: number[]) => magic.every((b, i) => bytes[i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** Office files saved with a password are OLE compound files, not ZIPs. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** "Aftercare guide.pdf" → "Aftercare guide". */
function titleOf(filename: string): string {
  const base = filename
    .replace(/\.[^.]+$/, "")
    .replace(/[_]+/g, " ")
    .trim();
  return (base || "Untitled document").slice(0, 200);
}

export function sourceTypeOf(filename: string): ExtractedDocument["sourceType"] {
  const type = TYPE_BY_EXTENSION[extname(filename).toLowerCase()];
  if (!type)
    throw refuse("unsupported_file_type", `"${filename.slice(0, 100)}" is not a PDF, DOCX, TXT or Markdown file. Save it as one of those and upload it again.`);
  return type;
}

async function pdfText(bytes: Buffer): Promise<string> {
  if (!bytes.subarray(0, 1024).includes("%PDF-"))
    throw refuse("corrupt_file", "This file is named .pdf but is not a PDF. Export it as a PDF again and upload that.");
  // Parsers load on the first upload, not with every process that imports this module (the CLI, jobs).
  const { extractText, getDocumentProxy } = await import("unpdf");
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false });
    try {
      const { text } = await extractText(pdf, { mergePages: false });
      return text.join("\n\n");
    } finally {
      await pdf.destroy();
    }
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    if (name === "PasswordException") throw refuse("encrypted_file", "This PDF is password-protected. Save a copy without a password and upload that.");
    if (err instanceof DomainError) throw err;
    throw refuse("corrupt_file", "This PDF could not be read: it looks damaged or incomplete. Export it again and upload the new copy.");
  }
}

async function docxText(bytes: Buffer): Promise<string> {
  if (startsWith(bytes, OLE))
    throw refuse(
      "encrypted_file",
      "This Word document is password-protected (or an old .doc file). Save it as a .docx without a password and upload it again.",
    );
  if (!startsWith(bytes, ZIP)) throw refuse("corrupt_file", "This file is named .docx but is not a Word document. Save it as .docx and upload it again.");
  const [{ default: mammoth }, { default: TurndownService }] = await Promise.all([import("mammoth"), import("turndown")]);
  try {
    const { value: html } = await mammoth.convertToHtml({ buffer: bytes });
    return new TurndownService({ headingStyle: "atx", bulletListMarker: "-" }).turndown(html);
  } catch {
    throw refuse("corrupt_file", "This Word document could not be read: it looks damaged. Open it in Word, save it again as .docx and upload the new copy.");
  }
}

function plainText(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw refuse("not_utf8_text", "This text file is not UTF-8 (or not text at all). Save it as UTF-8 text and upload it again.");
  }
  if (text.includes("\u0000")) throw refuse("not_utf8_text", "This file contains binary data, not text. Upload a PDF, DOCX, TXT or Markdown file.");
  return text.replace(/^\uFEFF/, "");
}

/** The file's text, or a DomainError saying what is wrong with it (size, type, damage, password, no text). */
export async function extractDocument(file: UploadedFile): Promise<ExtractedDocument> {
  if (file.bytes.length > KNOWLEDGE_MAX_UPLOAD_BYTES) {
    throw new DomainError(
      "invalid",
      "file_too_large",
      `The file is larger than ${KNOWLEDGE_MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split it into smaller files and upload them one by one.`,
    );
  }
  const sourceType = sourceTypeOf(file.filename);
  if (file.bytes.length === 0) throw refuse("empty_file", "The file is empty. Choose the file again and upload it.");
  const raw = sourceType === "pdf" ? await pdfText(file.bytes) : sourceType === "docx" ? await docxText(file.bytes) : plainText(file.bytes);
  // NUL cannot be stored in text columns; other control characters are noise for search and speech.
  const text = raw
    .replace(/\p{Cc}/gu, (c) => (c === "\n" || c === "\t" || c === "\r" ? c : " "))
    .replace(/\r\n?/g, "\n")
    .trim();
  if (text.replace(/\s+/g, "").length < MIN_TEXT_CHARS) {
    throw refuse(
      "no_text",
      sourceType === "pdf"
        ? "We found no text in this PDF. If it is a scan, export it with text recognition (OCR) and upload it again."
        : "We found no text in this file. Add the clinic's information and upload it again.",
    );
  }
  if (text.length > MAX_TEXT_CHARS) throw refuse("too_much_text", "This file has more than 2 million characters of text. Split it into smaller files.");
  return { sourceType, title: titleOf(file.filename), text };
}
