import { z } from "zod";
import { Uuid } from "./route";

export const Service = z.object({
  id: Uuid,
  name: z.string().min(1).max(120),
  description: z.string().nullable(),
  price: z.number().nonnegative(),
  durationMinutes: z.number().int().min(5).max(480),
  keywords: z.array(z.string()),
  active: z.boolean(),
  isDefault: z.boolean(),
});
export type Service = z.infer<typeof Service>;

/** The services every new clinic starts with (seeded by a database trigger; keep in step with the migration). */
export const DEFAULT_SERVICES = [
  { name: "Botox", price: 400, durationMinutes: 30 },
  { name: "Facelift", price: 8000, durationMinutes: 60 },
  { name: "Rhinoplasty", price: 6000, durationMinutes: 60 },
  { name: "Breast Augmentation", price: 7500, durationMinutes: 60 },
  { name: "Liposuction", price: 5000, durationMinutes: 60 },
  { name: "Fillers", price: 500, durationMinutes: 45 },
  { name: "Consultation", price: 150, durationMinutes: 30 },
] as const;
