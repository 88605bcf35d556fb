import ExcelJS from "exceljs";
import Papa from "papaparse";

/** One data row of an uploaded file: its row number (the header is row 1) and its cells by header. */
export type SheetRow = { row: number; cells: Record<string, string> };
export type Sheet = { headers: string[]; rows: SheetRow[] };

/** Reads a CSV (papaparse) or the first worksheet of an XLSX (exceljs); the first row holds the headers. */
export async function readSpreadsheet(filename: string, content: Buffer): Promise<Sheet> {
  return /\.xlsx$/i.test(filename) ? readXlsx(content) : readCsv(content.toString("utf8"));
}

function readCsv(text: string): Sheet {
  // Blank lines are kept while parsing so each record's index is its line: row numbers match what a
  // spreadsheet app shows (a quoted cell spanning lines shifts the rows after it).
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: false });
  const [header = [], ...body] = parsed.data;
  const headers = header.map((h) => h.trim());
  const rows: SheetRow[] = [];
  body.forEach((values, i) => {
    if (values.every((v) => v.trim() === "")) return;
    rows.push({ row: i + 2, cells: Object.fromEntries(headers.map((h, c) => [h, (values[c] ?? "").trim()])) });
  });
  return { headers, rows };
}

async function readXlsx(content: Buffer): Promise<Sheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return { headers: [], rows: [] };
  const text = (v: ExcelJS.CellValue): string => {
    if (v === null || v === undefined) return "";
    if (typeof v === "object" && "text" in v) return String(v.text);
    if (typeof v === "object" && "result" in v) return String(v.result ?? "");
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    return String(v);
  };
  const headerRow = sheet.getRow(1);
  const headers: string[] = [];
  headerRow.eachCell({ includeEmpty: true }, (cell, col) => {
    headers[col - 1] = text(cell.value).trim();
  });
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number === 1) return;
    const cells = Object.fromEntries(headers.map((h, i) => [h, text(row.getCell(i + 1).value).trim()]));
    if (Object.values(cells).every((v) => v === "")) return;
    rows.push({ row: number, cells });
  });
  return { headers, rows };
}

/** CSV text of rows (papaparse), with a header line; cells that spreadsheet apps would run as formulas are neutralised. */
export function toCsv(columns: string[], rows: (string | number | boolean | null)[][]): string {
  const safe = (v: string | number | boolean | null) => {
    const s = v === null ? "" : String(v);
    return /^[=+\-@\t\r]/.test(s) && !/^[+-]?\d/.test(s) ? `'${s}` : s;
  };
  return `${Papa.unparse({ fields: columns, data: rows.map((r) => r.map(safe)) })}\r\n`;
}
