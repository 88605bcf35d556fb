import type { CallDirection, CallListItem, CallStatus, SentimentLabel } from "@voxanne/contracts";
import { Badge, type BadgeTone } from "@/components/ui/badge";

/** The fields the outcome depends on; both the REST rows and live events carry them. */
type OutcomeFields = Pick<CallListItem, "status" | "isEmergency" | "bookingConfirmed" | "durationSeconds" | "analyzed"> & {
  transferred?: boolean;
  endedReason?: string | null;
};

export type CallOutcome = { label: string; tone: BadgeTone; live: boolean };

const NOT_ANSWERED = new Set(["customer-did-not-answer", "customer-busy", "voicemail", "twilio-failed-to-connect-call"]);
const LIVE_LABELS: Partial<Record<CallStatus, string>> = {
  scheduled: "Scheduled",
  queued: "Queued",
  ringing: "Ringing",
  "in-progress": "In progress",
  forwarding: "Transferring",
};

/**
 * One word for how a call went, in the same order of precedence as the API's status filter and
 * activity feed: live, emergency, booked, transferred, missed (ended within 10 s or never
 * answered), completed.
 */
export function callOutcome(call: OutcomeFields): CallOutcome {
  if (call.status !== "ended") return { label: LIVE_LABELS[call.status] ?? "Live", tone: "brand", live: true };
  if (call.isEmergency) return { label: "Emergency", tone: "danger", live: false };
  if (call.bookingConfirmed) return { label: "Booked", tone: "success", live: false };
  if (call.transferred) return { label: "Transferred", tone: "brand", live: false };
  if ((call.durationSeconds ?? 0) < 10 || (call.endedReason && NOT_ANSWERED.has(call.endedReason))) {
    return { label: "Missed", tone: "warning", live: false };
  }
  return { label: call.analyzed ? "Completed" : "Ended", tone: "neutral", live: false };
}

export function OutcomeBadge({ call }: { call: OutcomeFields }) {
  const outcome = callOutcome(call);
  return (
    <Badge tone={outcome.tone} dot pulse={outcome.live}>
      {outcome.label}
    </Badge>
  );
}

const sentimentLook: Record<SentimentLabel, { label: string; tone: BadgeTone }> = {
  positive: { label: "Positive", tone: "success" },
  neutral: { label: "Neutral", tone: "neutral" },
  negative: { label: "Negative", tone: "danger" },
};

export function SentimentBadge({ sentiment }: { sentiment: SentimentLabel | null }) {
  if (!sentiment) return <span className="text-sm text-fg-subtle">—</span>;
  const { label, tone } = sentimentLook[sentiment];
  return <Badge tone={tone}>{label}</Badge>;
}

export function sentimentLabel(sentiment: SentimentLabel): string {
  return sentimentLook[sentiment].label;
}

export const directionLabels: Record<CallDirection, string> = { inbound: "Inbound", outbound: "Outbound", web: "Web" };
