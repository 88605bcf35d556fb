import { isValidPhoneNumber, parsePhoneNumberWithError } from "libphonenumber-js";
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { defineRoute, IsoDateTime } from "./route";

/**
 * The clinic's settings (Settings page, GET/PATCH /api/settings): its profile, weekly hours, date
 * overrides, booking rules, where calls are transferred, and how patients are texted. One schema per section; a PATCH
 * sends any sections it changes, and the booking engine reads the stored values on the next call.
 */

export const CLINIC_TYPES = ["med_spa", "dental", "dermatology", "physiotherapy", "general_practice"] as const;
export const ClinicType = z.enum(CLINIC_TYPES, { message: "Choose one of: med spa, dental, dermatology, physiotherapy, general practice" });
export type ClinicType = z.infer<typeof ClinicType>;
export const CLINIC_TYPE_LABELS: Record<ClinicType, string> = {
  med_spa: "Med spa / aesthetics",
  dental: "Dental",
  dermatology: "Dermatology",
  physiotherapy: "Physiotherapy",
  general_practice: "General practice",
};

export const AFTER_HOURS_MODES = ["take_message", "offer_slots", "transfer"] as const;
export const AfterHoursMode = z.enum(AFTER_HOURS_MODES, { message: "Choose take a message, offer the next slots, or transfer" });
export const AFTER_HOURS_LABELS: Record<(typeof AFTER_HOURS_MODES)[number], string> = {
  take_message: "Take a message",
  offer_slots: "Offer the next free slots",
  transfer: "Transfer to the clinic anyway",
};

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

/** Every ISO 4217 code this runtime knows (Node and current browsers ship the list). */
export function isIso4217(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf("currency").includes(code);
}

export function isIanaZone(tz: string): boolean {
  return IANAZone.isValidZone(tz);
}

/** True for a complete international number written exactly in E.164 (+ and digits only). */
export function isE164(value: string): boolean {
  if (!/^\+[1-9][0-9]{6,14}$/.test(value) || !isValidPhoneNumber(value)) return false;
  try {
    return parsePhoneNumberWithError(value).number === value;
  } catch {
    return false;
  }
}

const E164_MESSAGE = "Enter a full international number in E.164 format: + then country code and number, no spaces (e.g. +12125550123)";
const PhoneE164 = z.string().trim().refine(isE164, { message: E164_MESSAGE });

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
export const TimeRange = z
  .object({
    start: z.string().regex(HHMM, "Use a 24-hour time like 09:00"),
    end: z.string().regex(/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/, "Use a 24-hour time like 17:30 (24:00 for midnight)"),
  })
  .refine((r) => r.start < r.end, { message: "The closing time must be after the opening time", path: ["end"] });
export type TimeRange = z.infer<typeof TimeRange>;

/** One day's opening ranges, in order and not overlapping; empty = closed. */
export const DayHours = z
  .array(TimeRange)
  .max(6, "At most 6 opening ranges a day")
  .superRefine((ranges, ctx) => {
    const sorted = [...ranges].sort((a, b) => a.start.localeCompare(b.start));
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.start < sorted[i - 1]!.end)
        ctx.addIssue({
          code: "custom",
          message: `${sorted[i - 1]!.start}–${sorted[i - 1]!.end} overlaps ${sorted[i]!.start}–${sorted[i]!.end}; make the ranges separate`,
        });
    }
  });

export const BusinessHours = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, DayHours])) as Record<Weekday, typeof DayHours>);
export type BusinessHours = z.infer<typeof BusinessHours>;

export const DateOverride = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-25")
    .refine((d) => DateTime.fromISO(d).isValid, { message: "That date does not exist" }),
  /** Empty: closed all day. Otherwise these hours replace the weekday's on that date. */
  hours: DayHours,
  note: z.string().trim().max(120, "At most 120 characters").nullable(),
});
export type DateOverride = z.infer<typeof DateOverride>;

export const DateOverrides = z
  .array(DateOverride)
  .max(366, "At most 366 date overrides; remove past ones")
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((o, i) => {
      if (seen.has(o.date)) ctx.addIssue({ code: "custom", path: [i, "date"], message: `${o.date} is listed twice; keep one entry per date` });
      seen.add(o.date);
    });
  });

export const ClinicProfile = z.object({
  name: z.string().trim().min(2, "Clinic name must be at least 2 characters").max(120, "Clinic name must be at most 120 characters"),
  timezone: z.string().trim().refine(isIanaZone, { message: "Unknown time zone — use an IANA name like America/New_York or Europe/London" }),
  clinicType: ClinicType,
  currency: z.string().trim().toUpperCase().refine(isIso4217, { message: "Use a three-letter ISO 4217 currency code, like USD, GBP or EUR" }),
  address: z.string().trim().max(300, "At most 300 characters").nullable(),
});
export type ClinicProfile = z.infer<typeof ClinicProfile>;

const Minutes = () => z.number({ message: "Enter a number of minutes" });
export const BookingRules = z.object({
  slotMinutes: Minutes().int("Whole minutes only").min(5, "Slots are at least 5 minutes").max(480, "Slots are at most 480 minutes (8 hours)"),
  bufferBeforeMinutes: Minutes().int("Whole minutes only").min(0, "Cannot be negative").max(240, "At most 240 minutes"),
  bufferAfterMinutes: Minutes().int("Whole minutes only").min(0, "Cannot be negative").max(240, "At most 240 minutes"),
  minBookingNoticeMinutes: Minutes().int("Whole minutes only").min(0, "Cannot be negative").max(43200, "At most 30 days (43,200 minutes)"),
  minCancelNoticeMinutes: Minutes().int("Whole minutes only").min(0, "Cannot be negative").max(43200, "At most 30 days (43,200 minutes)"),
});
export type BookingRules = z.infer<typeof BookingRules>;

export const TransferSettings = z.object({
  transferNumber: PhoneE164.nullable(),
  afterHoursMode: AfterHoursMode,
  hotLeadAlertNumber: PhoneE164.nullable(),
  /** What callers are told to dial in an emergency; null = the clinic's country's number. */
  emergencyNumber: z
    .string()
    .trim()
    .regex(/^[0-9]{2,6}$/, "Enter the local emergency number as digits only, like 911, 999 or 112")
    .nullable(),
});
export type TransferSettings = z.infer<typeof TransferSettings>;

/** At most this many reminder texts per appointment, each 15 minutes to 7 days before it. */
export const SMS_REMINDERS_MAX = 3;
export const SMS_REMINDER_MIN_MINUTES = 15;
export const SMS_REMINDER_MAX_MINUTES = 7 * 24 * 60;

/** Patient texts: quiet hours, the hourly cap, the booking confirmation and the reminders. */
export const SmsSettings = z.object({
  /** Texts due between quietStart and quietEnd (clinic time) wait until quietEnd; equal times = no quiet hours. */
  quietStart: z.string().regex(HHMM, "Use a 24-hour time like 21:00"),
  quietEnd: z.string().regex(HHMM, "Use a 24-hour time like 08:00"),
  hourlyLimit: z
    .number({ message: "Enter a number of texts" })
    .int("Whole numbers only")
    .min(1, "Allow at least 1 text an hour")
    .max(500, "At most 500 texts an hour"),
  bookingConfirmation: z.boolean({ message: "Choose whether a booking is confirmed by text" }),
  reminderOffsetsMinutes: z
    .array(
      Minutes()
        .int("Whole minutes only")
        .min(SMS_REMINDER_MIN_MINUTES, "A reminder goes at least 15 minutes before the appointment")
        .max(SMS_REMINDER_MAX_MINUTES, "A reminder goes at most 7 days (10,080 minutes) before the appointment"),
    )
    .max(SMS_REMINDERS_MAX, "At most 3 reminders per appointment")
    .refine((list) => new Set(list).size === list.length, { message: "Each reminder time only once: remove the repeated one" }),
});
export type SmsSettings = z.infer<typeof SmsSettings>;

export const ClinicSettings = z.object({
  profile: ClinicProfile,
  hours: BusinessHours,
  dateOverrides: z.array(DateOverride),
  booking: BookingRules,
  transfer: TransferSettings,
  sms: SmsSettings,
  /** When the clinic last saved its settings (null: still what sign-up gave it). */
  savedAt: IsoDateTime.nullable(),
  updatedAt: IsoDateTime,
});
export type ClinicSettings = z.infer<typeof ClinicSettings>;

export const SettingsPatch = z
  .object({
    profile: ClinicProfile.partial().strict(),
    hours: BusinessHours.strict(),
    dateOverrides: DateOverrides,
    booking: BookingRules.partial().strict(),
    transfer: TransferSettings.partial().strict(),
    sms: SmsSettings.partial().strict(),
  })
  .partial()
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: "Nothing to change: send at least one section (profile, hours, dateOverrides, booking, transfer, sms)",
  });
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const settingsRoutes = {
  get: defineRoute({
    method: "get",
    path: "/api/settings",
    tag: "settings",
    summary: "The clinic's settings: profile, weekly hours, date overrides, booking rules, transfer and alerts, text messages",
    response: ClinicSettings,
    access: ["owner", "admin", "staff"],
  }),
  update: defineRoute({
    method: "patch",
    path: "/api/settings",
    tag: "settings",
    summary: "Change any sections of the clinic's settings; audited, and used by the next call at once",
    body: SettingsPatch,
    response: ClinicSettings,
    access: ["owner", "admin"],
    action: "change the clinic's settings",
  }),
} as const;
