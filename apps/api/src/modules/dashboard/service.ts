import { PERIOD_PRESET_DAYS_BACK, type ActivityItem, type DashboardStats, type StatsRange } from "@voxanne/contracts";
import type { Db } from "../../db/database";
import { formatPhoneForSpeech } from "../../lib/phone";
import { notFound } from "../../lib/domain-error";
import { dashboardStats, recentActivity, type ActivityRow } from "./queries";

const round1 = (n: number) => Math.round(n * 10) / 10;

function who(r: ActivityRow): string {
  if (r.contact_name) return r.contact_name;
  if (r.phone) return formatPhoneForSpeech(r.phone);
  return "Unknown caller";
}

/** One feed line per call or cancellation, in words a receptionist would use. */
export function toActivityItem(r: ActivityRow): ActivityItem {
  const name = who(r);
  const interest = r.interests?.[0] ?? null;
  let kind: ActivityItem["kind"];
  let title: string;
  if (r.source === "appointment") {
    kind = "appointment_cancelled";
    title = `${name} cancelled ${r.service_name ? `a ${r.service_name} appointment` : "an appointment"}`;
  } else if (r.status !== "ended") {
    kind = "call_live";
    title = r.direction === "outbound" ? `Calling ${name} now` : `Live call from ${name}`;
  } else if (r.is_emergency) {
    kind = "call_emergency";
    title = `Possible emergency: ${name} was told to call emergency services`;
  } else if (r.booking_confirmed) {
    kind = "call_booked";
    title = `${name} booked ${interest ?? "an appointment"}`;
  } else if (r.transferred) {
    kind = "call_transferred";
    title = `${name} was transferred to the front desk`;
  } else if (r.lead_temperature === "hot") {
    kind = "hot_lead";
    title = `Hot lead: ${name}${interest ? ` asked about ${interest}` : ""} — call back`;
  } else if (r.missed) {
    kind = "call_missed";
    title = `Missed call from ${name}`;
  } else {
    kind = "call_completed";
    title = `${r.direction === "outbound" ? "Called" : "Call from"} ${name}${interest ? ` about ${interest}` : ""}`;
  }
  return {
    id: `${r.source}:${r.id}`,
    kind,
    at: new Date(r.at).toISOString(),
    title,
    callId: r.source === "call" ? r.id : null,
    appointmentId: r.source === "appointment" ? r.id : null,
    contactName: r.contact_name,
    phone: r.phone,
    direction: (r.direction as ActivityItem["direction"]) ?? null,
    sentimentLabel: (r.sentiment_label as ActivityItem["sentimentLabel"]) ?? null,
    leadTemperature: (r.lead_temperature as ActivityItem["leadTemperature"]) ?? null,
    value: Number(r.value ?? 0),
  };
}

export async function overviewStats(db: Db, orgId: string, query: { range: StatsRange; from?: string; to?: string }, now: Date): Promise<DashboardStats> {
  const [s, activity] = [
    await dashboardStats(db, orgId, { from: query.from ?? null, to: query.to ?? null, now, presetDays: PERIOD_PRESET_DAYS_BACK[query.range] }),
    await recentActivity(db, orgId),
  ];
  if (!s) throw notFound("Your organization was not found.");
  return {
    range: { from: new Date(s.from_ts).toISOString(), to: new Date(s.to_ts).toISOString(), timezone: s.timezone },
    totalCalls: s.total,
    inboundCalls: s.inbound,
    outboundCalls: s.outbound,
    bookedCalls: s.booked,
    successRate: s.inbound > 0 ? Math.min(100, round1((s.booked_inbound / s.inbound) * 100)) : 0,
    pipelineValue: Number(s.pipeline),
    averageDurationSeconds: Math.round(Number(s.avg_duration)),
    liveCalls: s.live,
    hotLeads: s.hot,
    emergencies: s.emergencies,
    sentiment: { positive: s.positive, neutral: s.neutral, negative: s.negative },
    daily: s.daily.map((d) => ({ ...d, value: Number(d.value) })),
    recentActivity: activity.map(toActivityItem),
  };
}
