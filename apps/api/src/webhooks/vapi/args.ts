/** Tool arguments as the model sent them; models paraphrase parameter names, so each field has aliases. */
export type ToolArgs = Record<string, unknown>;

export const ALIASES = {
  name: ["name", "patientName", "patient_name", "customerName", "customer_name", "fullName", "full_name", "callerName"],
  phone: ["phone", "phoneNumber", "phone_number", "patientPhone", "callerPhone", "customerPhone", "mobile", "number"],
  email: ["email", "emailAddress", "patientEmail"],
  service: ["service", "serviceName", "service_name", "serviceType", "treatment", "procedure", "appointmentType", "keyword"],
  start: ["start", "startTime", "start_time", "dateTime", "datetime", "slot", "slotStart", "appointmentTime", "appointmentStart"],
  time: ["time", "appointmentTime", "timeSlot"],
  newStart: ["newStart", "new_start", "newStartTime", "newTime", "newDateTime", "newSlot", "start", "startTime", "dateTime"],
  currentStart: ["currentStart", "appointmentStart", "currentTime", "oldStart", "existingStart", "appointmentDate", "appointmentTime", "date"],
  date: ["date", "day", "when", "dateRange", "date_range", "preferredDate", "startDate", "start_date", "range"],
  endDate: ["endDate", "end_date", "toDate", "until"],
  timeOfDay: ["timeOfDay", "time_of_day", "preferredTime", "partOfDay"],
  notes: ["notes", "note", "message", "comments"],
  reason: ["reason", "cancellationReason", "why", "summary"],
} as const;

/** The first non-empty string (or number) among the aliases of `field`. */
export function argString(args: ToolArgs, field: keyof typeof ALIASES, max = 500): string | undefined {
  for (const key of ALIASES[field]) {
    const v = args[key];
    if (typeof v === "string" && v.trim()) return v.trim().slice(0, max);
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
  }
  return undefined;
}

/** Every string in the arguments, however nested, for the emergency screen. */
export function allStrings(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 5) return out;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out, depth + 1);
  else if (value && typeof value === "object") for (const v of Object.values(value)) allStrings(v, out, depth + 1);
  return out;
}
