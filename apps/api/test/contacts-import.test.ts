/**
 * Contacts import (CSV and XLSX through maintained parsers) with a per-row error report, nothing
 * written unless the clinic chose so; CSV export of contacts and calls, audited.
 */
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { createTestApp } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { listen } from "./helpers/http";

const t = await createTestApp();
const http = await listen(t.app);

// Rows 3, 5 and 7 are bad (the header is row 1); rows 2 and 6 are the same person (merged).
const CSV = [
  "Name,Phone,Email,Notes",
  "Olivia Bennett,(212) 555-0101,olivia@example.com,Prefers mornings",
  "No Phone,,nophone@example.com,",
  "Noah Kim,+1 212 555 0102,,",
  "Bad Email,212-555-0103,not-an-email,",
  "Olivia B.,212.555.0101,,Second line of notes",
  "Wrong Number,12345,,",
  "Ava Stone,2125550104,AVA@EXAMPLE.COM,",
].join("\n");

const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const contacts = async (orgId: string) =>
  (await t.admin.query("select phone, name, email, notes, lead_status from contacts where org_id = $1 order by phone", [orgId])).rows;
const post = (user: TestUser, body: object) => http.request("POST", "/api/contacts/import", { headers: user.bearer, body });

describe("import", () => {
  it("a CSV with 3 bad rows reports exactly those rows and columns, and writes nothing until asked", async () => {
    const owner = await signUpClinic(t, { timezone: "America/New_York" });
    const check = await post(owner, { filename: "patients.csv", contentBase64: b64(CSV) });
    expect(check.status).toBe(200);
    expect(check.body).toEqual({
      rows: 7,
      valid: 4,
      duplicatesInFile: 1,
      errors: [
        { row: 3, column: "Phone", message: "Phone number is missing" },
        { row: 5, column: "Email", message: '"not-an-email" is not an email address' },
        { row: 7, column: "Phone", message: '"12345" is not a phone number' },
      ],
      imported: null,
    });
    expect(await contacts(owner.orgId)).toEqual([]);

    // "Import only if everything is valid" refuses to half-import.
    const all = await post(owner, { filename: "patients.csv", contentBase64: b64(CSV), mode: "import_all" });
    expect(all.body.imported).toBeNull();
    expect(await contacts(owner.orgId)).toEqual([]);

    const some = await post(owner, { filename: "patients.csv", contentBase64: b64(CSV), mode: "import_valid" });
    expect(some.body.imported).toEqual({ created: 3, updated: 0 });
    expect(await contacts(owner.orgId)).toEqual([
      { phone: "+12125550101", name: "Olivia B.", email: "olivia@example.com", notes: "Second line of notes", lead_status: "new" },
      { phone: "+12125550102", name: "Noah Kim", email: null, notes: null, lead_status: "new" },
      { phone: "+12125550104", name: "Ava Stone", email: "ava@example.com", notes: null, lead_status: "new" },
    ]);
    const audit = (await t.admin.query("select data from audit_events where org_id = $1 and action = 'contacts.imported'", [owner.orgId])).rows;
    expect(audit).toEqual([{ data: { filename: "patients.csv", rows: 7, created: 3, updated: 0, skipped: 3 } }]);
  });

  it("an XLSX workbook imports, merging into existing contacts by phone", async () => {
    const owner = await signUpClinic(t, { timezone: "America/New_York" });
    await t.admin.query("insert into contacts (org_id, phone, name, lead_status) values ($1, '+12125550201', 'Maria L', 'booked')", [owner.orgId]);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Patients");
    sheet.addRow(["Patient name", "Mobile", "E-mail"]);
    sheet.addRow(["Maria Lopez", "(212) 555-0201", "maria@example.com"]);
    sheet.addRow(["Liam Chen", 2125550202, null]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await post(owner, { filename: "Patients.xlsx", contentBase64: b64(file), mode: "import_all" });
    expect(res.body).toMatchObject({ rows: 2, valid: 2, errors: [], imported: { created: 1, updated: 1 } });
    expect(await contacts(owner.orgId)).toEqual([
      { phone: "+12125550201", name: "Maria Lopez", email: "maria@example.com", notes: null, lead_status: "booked" },
      { phone: "+12125550202", name: "Liam Chen", email: null, notes: null, lead_status: "new" },
    ]);
  });

  it("says what is wrong with the file itself", async () => {
    const owner = await signUpClinic(t);
    const noPhone = await post(owner, { filename: "x.csv", contentBase64: b64("Name,Email\nA,a@example.com") });
    expect(noPhone.status).toBe(400);
    expect(noPhone.body.error.message).toBe('No phone column found. Name one column "Phone" (found: Name, Email).');
    const tooMany = await post(owner, { filename: "x.csv", contentBase64: b64(`Phone\n${"2125550100\n".repeat(1001)}`) });
    expect(tooMany.body.error.message).toBe("The file has 1001 rows; import at most 1000 at a time.");
    const notXlsx = await post(owner, { filename: "x.xlsx", contentBase64: b64("not a workbook") });
    expect(notXlsx.status).toBe(400);
    expect(notXlsx.body.error.code).toBe("unreadable_file");
    const pdf = await post(owner, { filename: "x.pdf", contentBase64: b64("x") });
    expect(pdf.body.error.fields).toEqual([{ path: "filename", message: "Upload a .csv or .xlsx file" }]);
  });
});

describe("export", () => {
  it("contacts and calls as CSV a spreadsheet reads back, audited; formulas are neutralised", async () => {
    const owner = await signUpClinic(t, { timezone: "America/New_York" });
    await t.admin.query("insert into contacts (org_id, phone, name, notes) values ($1, '+12125550301', '=HYPERLINK(\"x\")', 'a, \"quoted\" note')", [
      owner.orgId,
    ]);
    await t.admin.query(
      `insert into call_logs (org_id, vapi_call_id, direction, status, from_number, started_at, duration_seconds, booking_confirmed, financial_value, summary)
       values ($1, 'exp-1', 'inbound', 'ended', '+12125550301', now() - interval '1 day', 95, true, 400, 'Booked Botox')`,
      [owner.orgId],
    );
    const res = await http.request("POST", "/api/contacts/export", { headers: owner.bearer });
    expect(res.status).toBe(200);
    expect(res.body.filename).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
    const parsed = Papa.parse<Record<string, string>>(res.body.content.trim(), { header: true }).data;
    expect(parsed).toEqual([expect.objectContaining({ Name: '\'=HYPERLINK("x")', Phone: "+12125550301", Notes: 'a, "quoted" note' })]);

    const calls = await http.request("POST", "/api/calls-dashboard/export", { headers: owner.bearer, body: {} });
    const rows = Papa.parse<Record<string, string>>(calls.body.content.trim(), { header: true }).data;
    expect(rows).toEqual([expect.objectContaining({ From: "+12125550301", "Duration (s)": "95", Outcome: "Booked", Value: "400", Summary: "Booked Botox" })]);
    const audit = (await t.admin.query("select action from audit_events where org_id = $1 and action like '%.exported' order by action", [owner.orgId])).rows;
    expect(audit.map((a) => a.action)).toEqual(["calls.exported", "contacts.exported"]);
  });
});
