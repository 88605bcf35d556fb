import { z } from "zod";
import { defineRoute, IsoDateTime, Uuid } from "./route";

export const LeadStatus = z.enum(["new", "contacted", "booked", "lost"]);
export type LeadStatus = z.infer<typeof LeadStatus>;
export const LeadTemperature = z.enum(["hot", "warm", "cold"]);
export type LeadTemperature = z.infer<typeof LeadTemperature>;

export const E164PhoneNumber = z.string().regex(/^\+[1-9][0-9]{6,14}$/, { message: "must be a phone number in international format, like +15551234567" });

export const Contact = z.object({
  id: Uuid,
  phone: E164PhoneNumber,
  name: z.string().nullable(),
  email: z.string().nullable(),
  leadStatus: LeadStatus,
  leadScore: z.number().int().min(0).max(100),
  leadTemperature: LeadTemperature,
  serviceInterests: z.array(z.string()),
  lastContactedAt: IsoDateTime.nullable(),
  notes: z.string().nullable(),
  createdAt: IsoDateTime,
});
export type Contact = z.infer<typeof Contact>;

// Front desk: the leads inbox ---------------------------------------------------------------

/** A lead in the inbox: the contact, whether staff have dealt with it since their last call, and whether it needs someone now. */
export const ContactListItem = Contact.extend({
  handled: z.boolean().describe("Staff marked it handled after the last contact"),
  needsAttention: z.boolean().describe("Hot, not handled, not booked or lost: the inbox puts these first"),
  smsOptedOut: z.boolean(),
});
export type ContactListItem = z.infer<typeof ContactListItem>;

export const ContactsQuery = z.object({
  temperature: LeadTemperature.optional(),
  status: z.enum(["new", "contacted", "booked", "lost", "open", "handled"]).optional().describe("open = not handled and not booked or lost"),
  q: z.string().trim().max(100, { message: "Search is limited to 100 characters" }).optional().describe("Name, email or phone digits"),
  cursor: z.string().max(300).optional().describe("nextCursor from the previous page"),
  limit: z.coerce
    .number({ message: "limit must be a number" })
    .int()
    .min(1, { message: "limit must be between 1 and 100" })
    .max(100, { message: "limit must be between 1 and 100" })
    .default(25),
});
export type ContactsQuery = z.input<typeof ContactsQuery>;

export const ContactsPage = z.object({ items: z.array(ContactListItem), nextCursor: z.string().nullable() });
export type ContactsPage = z.infer<typeof ContactsPage>;

/** Named as the clinic's older reports name them. */
export const ContactStats = z.object({
  total_leads: z.number().int(),
  hot_leads: z.number().int(),
  warm_leads: z.number().int(),
  cold_leads: z.number().int(),
});
export type ContactStats = z.infer<typeof ContactStats>;

export const TimelineEntry = z.object({
  kind: z.enum(["call", "appointment", "message", "note"]),
  at: IsoDateTime,
  title: z.string().describe("What happened, in the clinic's words"),
  detail: z.string().nullable(),
  refId: z.string().nullable().describe("The call, appointment or message id"),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const ContactDetail = z.object({ contact: ContactListItem, timeline: z.array(TimelineEntry) });
export type ContactDetail = z.infer<typeof ContactDetail>;

export const UpdateContactBody = z
  .object({
    name: z.string().trim().min(1, { message: "Enter a name, or leave it unchanged" }).max(200).optional(),
    email: z.union([z.literal(""), z.email({ message: "Enter a valid email address, or leave it empty" })]).optional(),
    notes: z.string().max(5000, { message: "Notes are limited to 5,000 characters" }).optional(),
    outcome: z.enum(["handled", "lost", "reopen"]).optional().describe("handled: dealt with; lost: not going to book; reopen: back in the inbox"),
    smsOptOut: z.boolean().optional().describe("The patient asked not to be texted"),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "Change at least one field" });
export type UpdateContactBody = z.input<typeof UpdateContactBody>;

export const CallBackResult = z.object({
  vapiCallId: z.string(),
  status: z.string(),
  to: z.string(),
});

const FRONT_DESK = ["owner", "admin", "staff"] as const;

export const contactRoutes = {
  stats: defineRoute({
    method: "get",
    path: "/api/contacts/stats",
    tag: "contacts",
    summary: "How many leads the clinic has, by temperature",
    response: ContactStats,
    access: FRONT_DESK,
  }),
  list: defineRoute({
    method: "get",
    path: "/api/contacts",
    tag: "contacts",
    summary: "The leads inbox: open hot leads first, then newest contact first; filter by temperature, status, search; keyset pagination",
    query: ContactsQuery,
    response: ContactsPage,
    access: FRONT_DESK,
  }),
  detail: defineRoute({
    method: "get",
    path: "/api/contacts/:id",
    tag: "contacts",
    summary: "One lead with the timeline of their calls, appointments, messages and notes",
    response: ContactDetail,
    access: FRONT_DESK,
  }),
  update: defineRoute({
    method: "patch",
    path: "/api/contacts/:id",
    tag: "contacts",
    summary: "Edit name, email, notes; mark the lead handled, lost or open again; record an SMS opt-out",
    body: UpdateContactBody,
    response: ContactDetail,
    access: FRONT_DESK,
    action: "edit leads",
  }),
  callBack: defineRoute({
    method: "post",
    path: "/api/contacts/:id/call-back",
    tag: "contacts",
    summary: "Have the receptionist call the lead back now (Vapi calls.create); 502 vapi_not_configured when Vapi is not set up",
    response: CallBackResult,
    access: FRONT_DESK,
    action: "call leads back",
  }),
} as const;

// Import and export --------------------------------------------------------------------------

export const MAX_IMPORT_ROWS = 1000;

export const ImportContactsBody = z.object({
  filename: z
    .string()
    .trim()
    .regex(/\.(csv|xlsx)$/i, { message: "Upload a .csv or .xlsx file" })
    .max(200),
  contentBase64: z.string().min(1, { message: "The file is empty" }).max(200_000, { message: "The file is too large: keep it under 140 KB (1,000 rows)" }),
  mode: z
    .enum(["check", "import_all", "import_valid"])
    .default("check")
    .describe("check: report only; import_all: import only if every row is valid; import_valid: import the valid rows, skip the others"),
});
export type ImportContactsBody = z.input<typeof ImportContactsBody>;

export const ImportRowError = z.object({
  row: z.number().int().describe("Row number in the file (the header is row 1)"),
  column: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

export const ImportReport = z.object({
  rows: z.number().int().describe("Data rows read"),
  valid: z.number().int(),
  errors: z.array(ImportRowError),
  duplicatesInFile: z.number().int().describe("Rows merged into an earlier row with the same phone number"),
  imported: z.object({ created: z.number().int(), updated: z.number().int() }).nullable().describe("null when nothing was imported"),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const CsvFile = z.object({ filename: z.string(), content: z.string() });

export const contactFileRoutes = {
  importContacts: defineRoute({
    method: "post",
    path: "/api/contacts/import",
    tag: "contacts",
    summary: "Check or import a CSV/XLSX of contacts (≤ 1,000 rows): phones to E.164, duplicates merged by phone, a per-row error report",
    body: ImportContactsBody,
    response: ImportReport,
    access: ["owner", "admin", "staff"],
    action: "import contacts",
  }),
  exportContacts: defineRoute({
    method: "post",
    path: "/api/contacts/export",
    tag: "contacts",
    summary: "All contacts as a CSV file (audited)",
    response: CsvFile,
    access: ["owner", "admin"],
    action: "export contacts",
  }),
} as const;
