import { z } from "zod";
import { CallDirection, SentimentLabel } from "./calls";
import { LeadTemperature } from "./contact";
import { defineRoute, IsoDateTime, Uuid } from "./route";

export const StatsRange = z.enum(["today", "7d", "30d", "90d"]);
export type StatsRange = z.infer<typeof StatsRange>;

/** How many days before today (in the clinic's time zone) each preset period starts: "7d" is today and the 6 days before. */
export const PERIOD_PRESET_DAYS_BACK: Readonly<Record<StatsRange, number>> = { today: 0, "7d": 6, "30d": 29, "90d": 89 };

export const StatsQuery = z
  .object({
    range: StatsRange.default("30d").describe("Preset window ending now; days are the clinic's own (its time zone)"),
    from: IsoDateTime.optional().describe("Explicit start (overrides range; give to as well)"),
    to: IsoDateTime.optional().describe("Explicit end (exclusive)"),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: "Give both from and to, or neither", path: ["from"] })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: "from must be before to", path: ["from"] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, {
    message: "The window can be at most 400 days",
    path: ["to"],
  });
export type StatsQuery = z.input<typeof StatsQuery>;

export const ActivityKind = z.enum([
  "call_live",
  "call_booked",
  "call_completed",
  "call_missed",
  "call_transferred",
  "call_emergency",
  "hot_lead",
  "appointment_cancelled",
]);
export type ActivityKind = z.infer<typeof ActivityKind>;

export const ActivityItem = z.object({
  id: z.string().describe("Stable key for lists: call:<uuid> or appointment:<uuid>"),
  kind: ActivityKind,
  at: IsoDateTime,
  title: z.string().describe('A sentence for the feed, e.g. "Maria Lopez booked Botox"'),
  callId: Uuid.nullable(),
  appointmentId: Uuid.nullable(),
  contactName: z.string().nullable(),
  phone: z.string().nullable(),
  direction: CallDirection.nullable(),
  sentimentLabel: SentimentLabel.nullable(),
  leadTemperature: LeadTemperature.nullable(),
  value: z.number().describe("Financial value attached to the event (0 when none)"),
});
export type ActivityItem = z.infer<typeof ActivityItem>;

export const DailyCalls = z.object({
  day: z.string().describe("YYYY-MM-DD in the clinic's time zone"),
  calls: z.number().int(),
  inbound: z.number().int(),
  outbound: z.number().int(),
  booked: z.number().int(),
  value: z.number(),
});

export const DashboardStats = z.object({
  range: z.object({ from: IsoDateTime, to: IsoDateTime, timezone: z.string() }),
  totalCalls: z.number().int(),
  inboundCalls: z.number().int(),
  outboundCalls: z.number().int(),
  bookedCalls: z.number().int(),
  /** Percentage 0–100 with one decimal: booked inbound calls ÷ inbound calls (0 when there are none). */
  successRate: z.number().min(0).max(100),
  /** Sum of the calls' financial_value in the window. */
  pipelineValue: z.number(),
  /** Mean duration of ended calls that have one; 0 when none. */
  averageDurationSeconds: z.number(),
  liveCalls: z.number().int().describe("Calls not ended yet (right now, whatever the window)"),
  hotLeads: z.number().int().describe("Calls in the window scored hot"),
  emergencies: z.number().int(),
  sentiment: z.object({ positive: z.number().int(), neutral: z.number().int(), negative: z.number().int() }),
  daily: z.array(DailyCalls).describe("One entry per day of the window, oldest first, zero-filled"),
  recentActivity: z.array(ActivityItem).max(10).describe("The last 10 events, newest first (not limited to the window)"),
});
export type DashboardStats = z.infer<typeof DashboardStats>;

export const dashboardRoutes = {
  stats: defineRoute({
    method: "get",
    path: "/api/dashboard/stats",
    tag: "dashboard",
    summary: "Overview KPIs: calls, success rate (booked ÷ inbound), pipeline value, average duration, daily series, recent activity",
    query: StatsQuery,
    response: DashboardStats,
    access: ["owner", "admin", "staff"],
  }),
} as const;
