import { z } from "zod";
import { defineRoute, IsoDateTime, Uuid } from "./route";

export const AppointmentStatus = z.enum(["booked", "confirmed", "cancelled", "completed", "no_show"]);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

/** Statuses that hold a time slot (the database exclusion constraint covers exactly these). */
export const ACTIVE_APPOINTMENT_STATUSES = ["booked", "confirmed"] as const satisfies readonly AppointmentStatus[];

export const Appointment = z.object({
  id: Uuid,
  contactId: Uuid.nullable(),
  serviceId: Uuid.nullable(),
  vapiCallId: z.string().nullable().describe("The Vapi call that booked it"),
  provider: z.string().nullable(),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  status: AppointmentStatus,
  bufferBeforeMinutes: z.number().int(),
  bufferAfterMinutes: z.number().int(),
  googleEventId: z.string().nullable(),
  googleSyncStatus: z
    .enum(["pending", "synced", "failed"])
    .nullable()
    .describe("The Google Calendar event: null without a connected calendar; failed = the last write failed and is retried"),
  googleSyncError: z.string().nullable(),
  confirmationSent: z.boolean(),
  reminderSentAt: IsoDateTime.nullable(),
  source: z.enum(["voice", "dashboard", "import"]),
  notes: z.string().nullable(),
  cancelledAt: IsoDateTime.nullable(),
  cancellationReason: z.string().nullable(),
  rescheduledFrom: Uuid.nullable(),
  createdAt: IsoDateTime,
});
export type Appointment = z.infer<typeof Appointment>;

// Front desk: the appointments page ------------------------------------------------------------

/** One appointment as the calendar and list show it. */
export const AppointmentItem = z.object({
  id: Uuid,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  status: AppointmentStatus,
  source: z.enum(["voice", "dashboard", "import"]),
  service: z.object({ id: Uuid, name: z.string() }).nullable(),
  contact: z.object({ id: Uuid, name: z.string().nullable(), phone: z.string(), email: z.string().nullable() }).nullable(),
  notes: z.string().nullable(),
  confirmationSent: z.boolean(),
  vapiCallId: z.string().nullable(),
  rescheduledFrom: Uuid.nullable(),
  cancellationReason: z.string().nullable(),
});
export type AppointmentItem = z.infer<typeof AppointmentItem>;

export const AppointmentsQuery = z
  .object({
    from: IsoDateTime.describe("Appointments that start at or after this instant"),
    to: IsoDateTime.describe("Appointments that start before this instant"),
    status: z
      .enum(["active", "booked", "confirmed", "cancelled", "completed", "no_show", "all"])
      .default("active")
      .describe("active = booked or confirmed (the ones holding a slot)"),
    q: z.string().trim().max(100, { message: "Search is limited to 100 characters" }).optional().describe("Patient name, phone digits or service"),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: "from must be before to", path: ["from"] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 62 * 86_400_000, { message: "Ask for at most 62 days at a time", path: ["to"] });
export type AppointmentsQuery = z.input<typeof AppointmentsQuery>;

export const AppointmentsList = z.object({ items: z.array(AppointmentItem), timezone: z.string().describe("The clinic's IANA time zone") });
export type AppointmentsList = z.infer<typeof AppointmentsList>;

export const CreateAppointmentBody = z.object({
  name: z.string().trim().min(1, { message: "Enter the patient's name" }).max(200, { message: "Names are limited to 200 characters" }),
  phone: z
    .string()
    .trim()
    .min(1, { message: "Enter the patient's phone number" })
    .max(40, { message: "That is too long for a phone number" })
    .describe("Any common format; stored as E.164 in the clinic's country"),
  email: z.union([z.literal(""), z.email({ message: "Enter a valid email address, or leave it empty" })]).optional(),
  serviceId: Uuid.optional().describe("Default: the clinic's consultation"),
  start: IsoDateTime.describe("A start from GET /api/appointments/slots"),
  notes: z.string().trim().max(1000, { message: "Notes are limited to 1,000 characters" }).optional(),
});
export type CreateAppointmentBody = z.input<typeof CreateAppointmentBody>;

export const RescheduleAppointmentBody = z.object({ start: IsoDateTime.describe("The new start") });
export const CancelAppointmentBody = z.object({ reason: z.string().trim().max(500, { message: "Reasons are limited to 500 characters" }).optional() });
export const SendReminderBody = z.object({ method: z.enum(["sms", "email"]).default("sms") });

/** Where a message went, or why it did not (the messages table's row). */
export const MessageOutcome = z.object({
  id: Uuid.nullable().describe("The messages row; null when nothing could be recorded (e.g. email not available)"),
  method: z.enum(["sms", "email"]),
  status: z.enum(["queued", "sent", "delivered", "failed", "not_sent"]),
  reason: z.string().nullable().describe("Why it was not sent, in words a clinic can act on"),
  recipient: z.string().nullable(),
});
export type MessageOutcome = z.infer<typeof MessageOutcome>;

export const AppointmentChanged = z.object({ appointment: AppointmentItem });
export const ReminderResult = z.object({ appointment: AppointmentItem, message: MessageOutcome });
export type ReminderResult = z.infer<typeof ReminderResult>;

export const SlotsQuery = z.object({
  day: z.iso.date({ message: "day must be a date like 2026-03-10" }).describe("The clinic-local day"),
  serviceId: Uuid.optional(),
  excludeAppointmentId: Uuid.optional().describe("When moving an appointment: its own time is not busy"),
});
export const BookableService = z.object({ id: Uuid, name: z.string(), durationMinutes: z.number().int(), price: z.number() });
export const Slots = z.object({
  day: z.string(),
  timezone: z.string(),
  slots: z.array(IsoDateTime).describe("Free starts that day, in order"),
  services: z.array(BookableService).describe("The clinic's active services, for the picker"),
});
export type Slots = z.infer<typeof Slots>;

const FRONT_DESK = ["owner", "admin", "staff"] as const;

export const appointmentRoutes = {
  list: defineRoute({
    method: "get",
    path: "/api/appointments",
    tag: "appointments",
    summary: "Appointments starting in a range (at most 62 days): by status and search",
    query: AppointmentsQuery,
    response: AppointmentsList,
    access: FRONT_DESK,
  }),
  slots: defineRoute({
    method: "get",
    path: "/api/appointments/slots",
    tag: "appointments",
    summary: "Free starts on one clinic-local day for a service (the booking engine's rules), and the services to pick from",
    query: SlotsQuery,
    response: Slots,
    access: FRONT_DESK,
  }),
  create: defineRoute({
    method: "post",
    path: "/api/appointments",
    tag: "appointments",
    summary: "Book by hand through the booking engine; 409 with the next free starts (error.alternatives) when the slot is taken",
    body: CreateAppointmentBody,
    response: AppointmentChanged,
    status: 201,
    access: FRONT_DESK,
    action: "book appointments",
  }),
  reschedule: defineRoute({
    method: "patch",
    path: "/api/appointments/:id",
    tag: "appointments",
    summary: "Move an appointment (a new booking replaces it atomically); 409 with the next free starts when taken",
    body: RescheduleAppointmentBody,
    response: AppointmentChanged,
    access: FRONT_DESK,
    action: "reschedule appointments",
  }),
  cancel: defineRoute({
    method: "post",
    path: "/api/appointments/:id/cancel",
    tag: "appointments",
    summary: "Cancel an appointment (frees its slot)",
    body: CancelAppointmentBody,
    response: AppointmentChanged,
    access: FRONT_DESK,
    action: "cancel appointments",
  }),
  sendReminder: defineRoute({
    method: "post",
    path: "/api/appointments/:appointmentId/send-reminder",
    tag: "appointments",
    summary: "Send the patient a reminder by SMS or email and mark confirmation_sent; says why when it cannot be sent",
    body: SendReminderBody,
    response: ReminderResult,
    access: FRONT_DESK,
    action: "send reminders",
  }),
} as const;
