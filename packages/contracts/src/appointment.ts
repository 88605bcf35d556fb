import { z } from "zod";
import { IsoDateTime, Uuid } from "./route";

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
