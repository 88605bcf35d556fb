import { z } from "zod";
import { defineRoute, IsoDateTime } from "./route";

/**
 * Platform admin: Voxanne operators (profiles.is_operator) see every clinic with its usage and
 * health, and suspend or resume one with a reason. Clinic members get 403 on every route here.
 */

export const UsageTotals = z.object({
  calls: z.number().int(),
  minutes: z.number().describe("Billed minutes (seconds / 60, two decimals)"),
  cost: z.number().describe("Provider cost in USD"),
});
export type UsageTotals = z.infer<typeof UsageTotals>;

export const AgentSyncHealth = z.object({
  agents: z.number().int(),
  synced: z.number().int(),
  failed: z.number().int().describe("Agents whose last sync to Vapi failed"),
  lastError: z.string().nullable(),
});

export const IntegrationHealth = z.object({
  provider: z.string(),
  status: z.string().describe("active, needs_reconnect, failed or revoked"),
});

export const AdminClinic = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(["active", "suspended"]),
  suspendedReason: z.string().nullable(),
  suspendedAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
  today: UsageTotals.describe("Today in the clinic's time zone"),
  month: UsageTotals.describe("This calendar month in the clinic's time zone"),
  agentSync: AgentSyncHealth,
  integrations: z.array(IntegrationHealth),
  lastCallAt: IsoDateTime.nullable(),
});
export type AdminClinic = z.infer<typeof AdminClinic>;

export const AdminUsageDay = z.object({ day: z.iso.date(), calls: z.number().int(), minutes: z.number(), cost: z.number() });

export const AdminClinicDetail = AdminClinic.extend({
  timezone: z.string(),
  members: z.array(z.object({ email: z.string(), role: z.string(), operator: z.boolean() })),
  usageDays: z.array(AdminUsageDay).describe("The last 31 days with calls, newest first"),
  auditEvents: z.array(z.object({ action: z.string(), actorType: z.string(), createdAt: IsoDateTime, data: z.record(z.string(), z.unknown()) })),
});
export type AdminClinicDetail = z.infer<typeof AdminClinicDetail>;

export const SuspendClinicBody = z
  .object({
    reason: z.string().trim().min(3, "Give the reason the clinic will read (at least 3 characters).").max(500, "Keep the reason under 500 characters."),
  })
  .strict();
export type SuspendClinicBody = z.infer<typeof SuspendClinicBody>;

export const UsageExportQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "month is YYYY-MM, e.g. 2026-12")
    .optional()
    .describe("Defaults to the current month (UTC)"),
});

export const adminRoutes = {
  clinics: defineRoute({
    method: "get",
    path: "/api/admin/clinics",
    tag: "admin",
    summary: "Every clinic with usage today and this month, agent sync health, integration health and last call",
    response: z.object({ clinics: z.array(AdminClinic) }),
    access: "operator",
  }),
  clinic: defineRoute({
    method: "get",
    path: "/api/admin/clinics/:orgId",
    tag: "admin",
    summary: "One clinic: usage per day, members, recent audit events",
    response: AdminClinicDetail,
    access: "operator",
  }),
  suspend: defineRoute({
    method: "post",
    path: "/api/admin/clinics/:orgId/suspend",
    tag: "admin",
    summary: "Suspend a clinic with a reason: its assistant says it is unavailable and books nothing; its dashboard is read-only",
    body: SuspendClinicBody,
    response: AdminClinicDetail,
    access: "operator",
  }),
  resume: defineRoute({
    method: "post",
    path: "/api/admin/clinics/:orgId/resume",
    tag: "admin",
    summary: "Resume a suspended clinic",
    response: AdminClinicDetail,
    access: "operator",
  }),
  usageCsv: defineRoute({
    method: "get",
    path: "/api/admin/usage.csv",
    tag: "admin",
    summary: "Usage per clinic and day for one month, as CSV (org_id, clinic, day, calls, minutes, cost)",
    query: UsageExportQuery,
    response: z.string().describe("text/csv"),
    access: "operator",
  }),
} as const;
