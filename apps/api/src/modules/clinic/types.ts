import type { BusinessHours, DateOverrides } from "../../lib/time";

/** What a Vapi webhook tells us about who it is for. Never taken from tool arguments. */
export type VapiIdentity = {
  assistantId?: string | null;
  phoneNumberId?: string | null;
  /** The clinic line (phoneNumber.number), E.164. */
  phoneNumber?: string | null;
};

export type AfterHoursMode = "take_message" | "offer_slots" | "transfer";

/** The tenant a webhook belongs to, with the settings the booking engine needs. */
export type Clinic = {
  orgId: string;
  name: string;
  timezone: string;
  businessHours: BusinessHours;
  /** Holidays and special hours by local date; they replace the weekday's hours. */
  dateOverrides: DateOverrides;
  /** ISO 4217 code prices are quoted in. */
  currency: string;
  /** The emergency number callers are told to dial, when the clinic set one (else by country). */
  emergencyNumber: string | null;
  slotMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minBookingNoticeMinutes: number;
  minCancelNoticeMinutes: number;
  /** Where a transfer goes (the agent's number, else the org's); null when transfers are off. */
  transferNumber: string | null;
  afterHoursMode: AfterHoursMode;
  status: "active" | "suspended";
  agentId: string | null;
  /** What a booking that names no service gets: the clinic's consultation, if it has one. */
  defaultService: { id: string; name: string; price: number; durationMinutes: number } | null;
};

export type ResolvedClinic = Clinic & {
  /** The stored answer when this (call, toolCallId) was already handled. */
  prior: { result: string | null; error: string | null } | null;
};
