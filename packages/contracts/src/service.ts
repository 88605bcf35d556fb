import { z } from "zod";
import { defineRoute, IsoDateTime, Uuid } from "./route";

/**
 * The clinic's price list (Services page). A new clinic's services come from the template for its
 * type (supabase/migrations/20261212000100_clinic_setup.sql, service_template()); prices are in the
 * clinic's currency (ClinicProfile.currency).
 */
export const Service = z.object({
  id: Uuid,
  name: z.string().min(1).max(120),
  description: z.string().nullable(),
  price: z.number().nonnegative(),
  durationMinutes: z.number().int().min(5).max(480),
  keywords: z.array(z.string()),
  active: z.boolean(),
  isDefault: z.boolean(),
  /** Set when the service was removed while appointments ahead still used it. */
  archivedAt: IsoDateTime.nullable(),
  /** Booked or confirmed appointments that have not ended yet. */
  upcomingAppointments: z.number().int().nonnegative(),
});
export type Service = z.infer<typeof Service>;

export const ServiceInput = z.object({
  name: z.string().trim().min(1, "Give the service a name").max(120, "At most 120 characters"),
  description: z.string().trim().max(1000, "At most 1,000 characters").nullable().default(null),
  price: z
    .number({ message: "Enter a price as a number, like 150" })
    .nonnegative("A price cannot be negative")
    .max(99_999_999, "At most 99,999,999")
    .refine((p) => Math.round(p * 100) === p * 100 || Math.abs(Math.round(p * 100) - p * 100) < 1e-6, { message: "At most two decimal places" }),
  durationMinutes: z
    .number({ message: "Enter the length in minutes" })
    .int("Whole minutes only")
    .min(5, "At least 5 minutes")
    .max(480, "At most 480 minutes (8 hours)"),
  keywords: z
    .array(z.string().trim().min(1, "Remove the empty keyword").max(60, "Each keyword at most 60 characters"))
    .max(30, "At most 30 keywords")
    .default([])
    .describe("Words callers use for it (matched case-insensitively), e.g. nose job"),
  active: z.boolean().default(true).describe("Inactive services are not quoted or booked by the receptionist"),
});
export type ServiceInput = z.input<typeof ServiceInput>;

export const ServicePatch = z
  .object({
    name: ServiceInput.shape.name,
    description: z.string().trim().max(1000, "At most 1,000 characters").nullable(),
    price: ServiceInput.shape.price,
    durationMinutes: ServiceInput.shape.durationMinutes,
    keywords: z.array(z.string().trim().min(1, "Remove the empty keyword").max(60, "Each keyword at most 60 characters")).max(30, "At most 30 keywords"),
    active: z.boolean(),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: "Nothing to change: send at least one field" });
export type ServicePatch = z.infer<typeof ServicePatch>;

export const ServicesResponse = z.object({
  services: z.array(Service),
  currency: z.string(),
  /** When the clinic last added, changed or removed a service (null: still its sign-up template). */
  changedAt: IsoDateTime.nullable(),
});
export type ServicesResponse = z.infer<typeof ServicesResponse>;

export const ServiceRemoved = z.discriminatedUnion("result", [
  z.object({ result: z.literal("deleted"), id: Uuid }),
  z.object({ result: z.literal("archived"), service: Service }),
]);
export type ServiceRemoved = z.infer<typeof ServiceRemoved>;

export const servicesRoutes = {
  list: defineRoute({
    method: "get",
    path: "/api/services",
    tag: "services",
    summary: "The clinic's services (archived ones last) and the currency their prices are in",
    response: ServicesResponse,
    access: ["owner", "admin", "staff"],
  }),
  create: defineRoute({
    method: "post",
    path: "/api/services",
    tag: "services",
    summary: "Add a service",
    body: ServiceInput,
    response: Service,
    status: 201,
    access: ["owner", "admin"],
    action: "add a service",
  }),
  get: defineRoute({
    method: "get",
    path: "/api/services/:id",
    tag: "services",
    summary: "One service",
    response: Service,
    access: ["owner", "admin", "staff"],
  }),
  update: defineRoute({
    method: "patch",
    path: "/api/services/:id",
    tag: "services",
    summary: "Change a service (name, price, duration, keywords, active)",
    body: ServicePatch,
    response: Service,
    access: ["owner", "admin"],
    action: "change a service",
  }),
  remove: defineRoute({
    method: "delete",
    path: "/api/services/:id",
    tag: "services",
    summary: "Delete a service; one with upcoming appointments is archived instead (inactive, kept for those bookings)",
    response: ServiceRemoved,
    access: ["owner", "admin"],
    action: "remove a service",
  }),
} as const;
