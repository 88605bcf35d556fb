/**
 * Contacts from a clinic's spreadsheet (CSV or XLSX, ≤ 1,000 rows): phones normalised to E.164 in
 * the clinic's country, rows with the same phone merged, and a report of every problem by row and
 * column. Nothing is written unless the clinic chose to: `import_all` only when every row is valid,
 * `import_valid` to skip the bad rows. One transaction: all chosen rows, or none.
 */
import { type ImportReport, type ImportRowError, MAX_IMPORT_ROWS } from "@voxanne/contracts";
import { z } from "zod";
import type { Db } from "../../db/database";
import { invalid } from "../../lib/domain-error";
import { countryForTimezone, toE164 } from "../../lib/phone";
import { type Actor, insertAudit } from "../audit/queries";
import { clinicById } from "../clinic/queries";
import { upsertImportedContacts } from "./queries";
import { readSpreadsheet } from "./spreadsheet";

/** Header names a clinic's file may use for each field (case and spacing ignored). */
const COLUMNS = {
  phone: ["phone", "phone number", "mobile", "cell", "telephone", "tel", "number"],
  name: ["name", "full name", "patient", "patient name", "contact", "contact name"],
  email: ["email", "e-mail", "email address"],
  notes: ["notes", "note", "comments"],
} as const;
type Field = keyof typeof COLUMNS;

const norm = (h: string) =>
  h
    .toLowerCase()
    .replace(/[_\s]+/g, " ")
    .trim();
const Email = z.email();

export type ImportedContact = { phone: string; name: string | null; email: string | null; notes: string | null };

export async function importContacts(
  db: Db,
  actor: Actor,
  body: { filename: string; contentBase64: string; mode: "check" | "import_all" | "import_valid" },
): Promise<ImportReport> {
  const clinic = await clinicById(db, actor.orgId);
  const country = countryForTimezone(clinic?.timezone ?? "") ?? "US";
  let sheet: Awaited<ReturnType<typeof readSpreadsheet>>;
  try {
    sheet = await readSpreadsheet(body.filename, Buffer.from(body.contentBase64, "base64"));
  } catch {
    throw invalid(
      `${body.filename} could not be read as a ${/\.xlsx$/i.test(body.filename) ? "XLSX workbook" : "CSV file"}. Save it again from your spreadsheet app and retry.`,
      "unreadable_file",
    );
  }
  const column = Object.fromEntries(
    (Object.keys(COLUMNS) as Field[]).map((f) => [f, sheet.headers.find((h) => (COLUMNS[f] as readonly string[]).includes(norm(h))) ?? null]),
  ) as Record<Field, string | null>;
  if (!column.phone)
    throw invalid(`No phone column found. Name one column "Phone" (found: ${sheet.headers.filter(Boolean).join(", ") || "no headers"}).`, "no_phone_column");
  if (sheet.rows.length === 0) throw invalid("The file has a header row but no contacts.", "empty_file");
  if (sheet.rows.length > MAX_IMPORT_ROWS)
    throw invalid(`The file has ${sheet.rows.length} rows; import at most ${MAX_IMPORT_ROWS} at a time.`, "too_many_rows");

  const errors: ImportRowError[] = [];
  const byPhone = new Map<string, ImportedContact>();
  let duplicates = 0;
  let valid = 0;
  for (const { row, cells } of sheet.rows) {
    const rowErrors: ImportRowError[] = [];
    const rawPhone = cells[column.phone] ?? "";
    const phone = toE164(rawPhone, country);
    if (!rawPhone) rowErrors.push({ row, column: column.phone, message: "Phone number is missing" });
    else if (!phone) rowErrors.push({ row, column: column.phone, message: `"${rawPhone.slice(0, 40)}" is not a phone number` });
    const name = column.name ? cells[column.name] || null : null;
    if (name && name.length > 200) rowErrors.push({ row, column: column.name!, message: "Name is longer than 200 characters" });
    const email = column.email ? cells[column.email] || null : null;
    if (email && !Email.safeParse(email).success) rowErrors.push({ row, column: column.email!, message: `"${email.slice(0, 60)}" is not an email address` });
    const notes = column.notes ? cells[column.notes] || null : null;
    if (notes && notes.length > 5000) rowErrors.push({ row, column: column.notes!, message: "Notes are longer than 5,000 characters" });
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    valid++;
    const earlier = byPhone.get(phone!);
    if (earlier) {
      duplicates++;
      byPhone.set(phone!, { phone: phone!, name: name ?? earlier.name, email: email?.toLowerCase() ?? earlier.email, notes: notes ?? earlier.notes });
    } else byPhone.set(phone!, { phone: phone!, name, email: email?.toLowerCase() ?? null, notes });
  }

  const report = { rows: sheet.rows.length, valid, errors, duplicatesInFile: duplicates };
  const write = body.mode === "import_valid" || (body.mode === "import_all" && errors.length === 0);
  if (!write) return { ...report, imported: null };
  const imported = await upsertImportedContacts(db, actor.orgId, [...byPhone.values()]);
  await insertAudit(db, actor, {
    action: "contacts.imported",
    targetType: "contacts",
    targetId: null,
    data: { filename: body.filename, rows: report.rows, created: imported.created, updated: imported.updated, skipped: report.rows - valid },
  });
  return { ...report, imported };
}
