import { z } from "zod";

/**
 * The Vapi tools: one definition each (name, description, argument schema, accepted aliases).
 * The same definition parses the handler's arguments (readToolArgs), becomes the tool's
 * `function.parameters` in Vapi (vapiFunctionDefinition), and names what the simulator sends.
 * apps/api/test/vapi-tool-definitions.test.ts proves the three agree.
 *
 * Models paraphrase parameter names ("patientName", "startTime"), so each field also lists the
 * aliases the handler accepts; the published schema shows only the canonical name. A value given
 * is checked against its field's schema (a number becomes a string first): one longer than the
 * field's maximum, or a name that is not made of name characters, is refused and the caller is
 * asked to repeat it (`reask`). The handler, not the schema, decides what a missing field means:
 * it answers with a sentence the assistant can act on ("May I have the patient's full name?").
 */

export type VapiToolDefinition<Shape extends Record<string, z.ZodType> = Record<string, z.ZodType>> = {
  name: string;
  description: string;
  parameters: z.ZodObject<Shape>;
  /** Canonical field → other names the handler also accepts, in order of preference. */
  aliases: { [K in keyof Shape]?: readonly string[] };
  /** Field → what the caller is asked when the value given can't be right (else REASK by field name, else a generic line). */
  reask?: { [K in keyof Shape]?: string };
};

/** What the caller is asked when a field's value is refused, by field name. */
const REASK: Record<string, string> = {
  name: "Sorry, I didn't catch the name. Could you tell me the patient's full name again?",
  phone: "Sorry, I didn't catch that number. Could you repeat it with the area code?",
  email: "Sorry, I didn't catch the email address. Could you spell it again?",
  start: "Sorry, which day and time was that?",
  newStart: "Sorry, which new day and time was that?",
  currentStart: "Sorry, when is the appointment you mean?",
  date: "Sorry, which day was that?",
  endDate: "Sorry, until which day?",
  time: "Sorry, what time was that?",
  timeOfDay: "Would you prefer the morning, the afternoon or the evening?",
  service: "Sorry, which treatment was that?",
  dateOfBirth: "Sorry, could you repeat the date of birth?",
  notes: "Could you give me that note more briefly?",
  reason: "Could you tell me that more briefly?",
};

/** Letters (any script), combining marks, apostrophes, hyphens, periods and spaces: "Zoë O'Brien-Nguyễn Jr.". */
const NAME_CHARACTERS = /^[\p{L}\p{M}][\p{L}\p{M}'’. -]*$/u;
/** A person's name as a caller gives it: at most 100 characters, made of name characters. */
const personName = z
  .string()
  .max(100)
  .refine((v) => NAME_CHARACTERS.test(v), "a name is made of letters, spaces, hyphens and apostrophes");

function defineTool<const Shape extends Record<string, z.ZodType>>(tool: VapiToolDefinition<Shape>): VapiToolDefinition<Shape> {
  return tool;
}

const PHONE = ["phoneNumber", "phone_number", "patientPhone", "callerPhone", "customerPhone", "mobile", "number"] as const;
const NAME = ["patientName", "patient_name", "customerName", "customer_name", "fullName", "full_name", "callerName"] as const;
const SERVICE = ["serviceName", "service_name", "serviceType", "treatment", "procedure", "appointmentType", "keyword"] as const;
const START = ["startTime", "start_time", "dateTime", "datetime", "slot", "slotStart", "appointmentTime", "appointmentStart"] as const;
const CURRENT_START = ["appointmentStart", "currentTime", "oldStart", "existingStart", "appointmentDate", "appointmentTime", "date"] as const;
const DATE = ["day", "when", "dateRange", "date_range", "preferredDate", "startDate", "start_date", "range"] as const;
const TIME = ["appointmentTime", "timeSlot"] as const;
const REASON = ["cancellationReason", "why", "summary"] as const;
const DATE_OF_BIRTH = ["dob", "DOB", "birthDate", "birth_date", "date_of_birth", "birthday", "dateOfBirthSpoken"] as const;

const dateOfBirth = z
  .string()
  .max(60)
  .optional()
  .describe("The patient's date of birth as they said it, e.g. March 14, 1985 — only when the tool asks for it to verify the caller");

/**
 * Arguments that are verification secrets: never stored or logged as given (the tool-call record
 * and the call transcript keep "[REDACTED]" in their place).
 */
export const SENSITIVE_TOOL_ARGUMENTS: ReadonlySet<string> = new Set(["dateOfBirth", ...DATE_OF_BIRTH]);

const phone = z.string().max(40).describe("The patient's phone number if different from the number they are calling from");
/** How a cancel or reschedule names a booking made under another number (modules/booking/caller-verification.ts). */
const bookedUnder = {
  phone: z.string().max(40).optional().describe("The number the appointment was booked under, if not the calling number"),
  name: personName.optional().describe("The patient's full name as it was booked"),
  dateOfBirth,
};

export const vapiTools = {
  checkAvailability: defineTool({
    name: "checkAvailability",
    description: "Finds free appointment times at the clinic. Call it before booking; offer the caller the times it returns.",
    parameters: z.object({
      date: z
        .string()
        .max(120)
        .optional()
        .describe('The day or range the caller asked for, in their words: "tomorrow", "next Tuesday", "March 10", "this week". Omit for the next open times.'),
      endDate: z.string().max(120).optional().describe("The last day of the range, when the caller gave one"),
      timeOfDay: z.string().max(40).optional().describe('"morning", "afternoon" or "evening" when the caller has a preference'),
      service: z.string().max(120).optional().describe("The treatment the caller wants, e.g. Botox or consultation"),
    }),
    aliases: { date: DATE, endDate: ["end_date", "toDate", "until"], timeOfDay: ["time_of_day", "preferredTime", "partOfDay"], service: SERVICE },
  }),
  bookClinicAppointment: defineTool({
    name: "bookClinicAppointment",
    description: "Books an appointment at a start time that checkAvailability offered. Ask for the patient's full name first.",
    parameters: z.object({
      name: personName.describe("The patient's full name"),
      start: z.string().max(120).describe("The start exactly as checkAvailability gave it, e.g. 2026-03-10T14:00:00-04:00"),
      date: z.string().max(80).optional().describe("Only if the start was split: the day"),
      time: z.string().max(40).optional().describe("Only if the start was split: the time"),
      service: z.string().max(120).optional().describe("The treatment, e.g. Botox; defaults to a consultation"),
      phone: phone.optional(),
      email: z.string().max(320).optional(),
      notes: z.string().max(1000).optional(),
      dateOfBirth: dateOfBirth.describe("The patient's date of birth, if they give it (kept on file to verify them on later calls)"),
    }),
    aliases: {
      name: NAME,
      start: START,
      date: DATE,
      time: TIME,
      service: SERVICE,
      phone: PHONE,
      email: ["emailAddress", "patientEmail"],
      notes: ["note", "message", "comments"],
      dateOfBirth: DATE_OF_BIRTH,
    },
  }),
  rescheduleAppointment: defineTool({
    name: "rescheduleAppointment",
    description: "Moves the caller's upcoming appointment to a new start that checkAvailability offered.",
    parameters: z.object({
      newStart: z.string().max(120).describe("The new start exactly as checkAvailability gave it"),
      currentStart: z.string().max(120).optional().describe("When the existing appointment is, if the caller has several"),
      date: z.string().max(80).optional().describe("Only if the new start was split: the day"),
      time: z.string().max(40).optional().describe("Only if the new start was split: the time"),
      ...bookedUnder,
    }),
    aliases: {
      newStart: ["new_start", "newStartTime", "newTime", "newDateTime", "newSlot", "start", "startTime", "dateTime"],
      currentStart: CURRENT_START,
      date: DATE,
      time: TIME,
      phone: PHONE,
      name: NAME,
      dateOfBirth: DATE_OF_BIRTH,
    },
  }),
  cancelAppointment: defineTool({
    name: "cancelAppointment",
    description: "Cancels the caller's upcoming appointment.",
    parameters: z.object({
      currentStart: z.string().max(120).optional().describe("When the appointment to cancel is, if the caller has several"),
      ...bookedUnder,
      reason: z.string().max(500).optional().describe("Why the caller is cancelling"),
    }),
    aliases: { currentStart: CURRENT_START, phone: PHONE, name: NAME, dateOfBirth: DATE_OF_BIRTH, reason: REASON },
  }),
  lookupCaller: defineTool({
    name: "lookupCaller",
    description:
      "Recognises a returning caller by the number they are calling from: name, last visit and upcoming appointments. Without caller ID it needs the phone number, full name and date of birth.",
    parameters: z.object({
      phone: z.string().max(40).optional().describe("Only when the call has no caller ID"),
      name: personName.optional().describe("Only when the call has no caller ID: the patient's full name"),
      dateOfBirth,
    }),
    aliases: { phone: PHONE, name: NAME, dateOfBirth: DATE_OF_BIRTH },
  }),
  getServicePrice: defineTool({
    name: "getServicePrice",
    description: "Quotes the price and length of one of the clinic's treatments.",
    parameters: z.object({
      service: z.string().max(200).describe('The treatment or the caller\'s words for it, e.g. "nose job"'),
    }),
    aliases: { service: [...SERVICE, "query"] },
  }),
  searchKnowledgeBase: defineTool({
    name: "searchKnowledgeBase",
    description:
      "Looks up the clinic's own answers (parking, hours, payment, aftercare, treatment information) in its knowledge base. Use it for any question about the clinic or a treatment; say only what it returns, never guess.",
    parameters: z.object({
      query: z.string().max(500).describe('The caller\'s question in their words, e.g. "Is Botox safe while breastfeeding?"'),
    }),
    aliases: { query: ["question", "q", "search", "searchQuery", "search_query", "topic", "text", "input"] },
  }),
  transferCall: defineTool({
    name: "transferCall",
    description: "Asks whether the caller can be put through to the front desk now; follow its answer.",
    parameters: z.object({
      reason: z.string().max(500).optional().describe("Why the caller wants a person"),
    }),
    aliases: { reason: REASON },
  }),
} as const;

export type VapiToolName = keyof typeof vapiTools;
export const VAPI_TOOL_NAMES = Object.keys(vapiTools) as VapiToolName[];

/** The arguments a handler gets: every field optional, already trimmed and checked against its schema. */
export type ToolArgsOf<T extends VapiToolDefinition> = { [K in keyof T["parameters"]["shape"]]?: string };

/** A field whose value was refused, and what to ask the caller. */
export type RefusedToolArgument = { field: string; reask: string };

function innerSchema(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}

/**
 * The arguments as the handler reads them: for each field, the first non-empty string (or finite
 * number, as text) under its name or one of its aliases, trimmed, and checked against the field's
 * schema. A value the schema refuses (too long, not a name) is left out and listed in `refused`.
 */
export function checkToolArgs<T extends VapiToolDefinition>(tool: T, raw: Record<string, unknown>): { args: ToolArgsOf<T>; refused: RefusedToolArgument[] } {
  const out: Record<string, string> = {};
  const refused: RefusedToolArgument[] = [];
  for (const [field, schema] of Object.entries(tool.parameters.shape)) {
    for (const key of [field, ...(tool.aliases[field] ?? [])]) {
      const v = raw[key];
      const text = typeof v === "string" && v.trim() ? v.trim() : typeof v === "number" && Number.isFinite(v) ? String(v) : null;
      if (text === null) continue;
      if (innerSchema(schema as z.ZodType).safeParse(text).success) out[field] = text;
      else refused.push({ field, reask: tool.reask?.[field] ?? REASK[field] ?? "Sorry, I didn't catch that. Could you say it again?" });
      break;
    }
  }
  return { args: out as ToolArgsOf<T>, refused };
}

/** The accepted arguments only (checkToolArgs without the refusals). */
export function readToolArgs<T extends VapiToolDefinition>(tool: T, raw: Record<string, unknown>): ToolArgsOf<T> {
  return checkToolArgs(tool, raw).args;
}

/** What Vapi's tool API takes as `function`: name, description and a JSON schema of the canonical fields. */
export function vapiFunctionDefinition(tool: VapiToolDefinition): { name: string; description: string; parameters: Record<string, unknown> } {
  const { $schema: _, ...parameters } = z.toJSONSchema(tool.parameters) as Record<string, unknown>;
  return { name: tool.name, description: tool.description, parameters };
}

/**
 * What a tool answers, sent to Vapi as one line of JSON in `result` / `error`: `say` is what the
 * caller may hear, `instructions` what the assistant should do (never read out), `slots` the
 * offered times as said with the exact start to book with (apps/api/src/integrations/vapi/speech.ts).
 */
export const toolReplySchema = z.object({
  say: z.string(),
  instructions: z.string().optional(),
  slots: z.array(z.object({ time: z.string(), start: z.string() })).optional(),
});
export type ToolReply = z.infer<typeof toolReplySchema>;

/** A tool result read back into its parts; text that is not a reply is all `say`. */
export function parseToolReply(text: string): ToolReply {
  try {
    const parsed = toolReplySchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON
  }
  return { say: text };
}
