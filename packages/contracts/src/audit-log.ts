import { z } from "zod";
import { AUDIT_ACTIONS } from "./audit";
import { defineRoute, IsoDateTime } from "./route";

export const AuditActorType = z.enum(["user", "system", "operator", "vapi", "twilio"]);

export const AuditEvent = z.object({
  id: z.uuid(),
  createdAt: IsoDateTime,
  action: z.string().describe("One of AUDIT_ACTIONS (older rows may hold an action no longer in the list)"),
  actorType: AuditActorType,
  actor: z.object({ userId: z.uuid(), name: z.string().nullable(), email: z.string().nullable() }).nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

const DateOnly = z.iso.date({ message: "must be a date like 2026-12-01" });

/** Filters shared by the list and the CSV export. Dates are days in the clinic's time zone, both ends included. */
export const AuditFilters = z.object({
  actor: z.uuid({ message: "Choose a person from the list" }).optional().describe("user id of the person who acted"),
  action: z.enum(AUDIT_ACTIONS, { message: "Choose an action from the list" }).optional(),
  from: DateOnly.optional().describe("first day (clinic time zone), inclusive"),
  to: DateOnly.optional().describe("last day (clinic time zone), inclusive"),
});
export type AuditFilters = z.infer<typeof AuditFilters>;

export const AuditListQuery = AuditFilters.extend({
  cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const AuditPage = z.object({
  events: z.array(AuditEvent),
  nextCursor: z.string().nullable(),
  /** Everyone who appears in the clinic's trail or team, for the person filter. */
  people: z.array(z.object({ userId: z.uuid(), name: z.string().nullable(), email: z.string().nullable() })),
});
export type AuditPage = z.infer<typeof AuditPage>;

export const auditRoutes = {
  list: defineRoute({
    method: "get",
    path: "/api/audit",
    tag: "audit",
    summary: "The clinic's audit trail, newest first, filtered by person, action and dates",
    query: AuditListQuery,
    response: AuditPage,
    access: ["owner", "admin"],
    action: "read the audit log",
  }),
  exportCsv: defineRoute({
    method: "get",
    path: "/api/audit/export.csv",
    tag: "audit",
    summary: "The filtered audit trail as a CSV file (text/csv)",
    query: AuditFilters,
    response: z.string().describe("CSV: time, person, email, action, target type, target id, IP, details"),
    access: ["owner", "admin"],
    action: "export the audit log",
  }),
} as const;
