import { z } from "zod";
import { IsoDateTime, Uuid } from "./route";

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
