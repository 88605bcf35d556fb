/** The SMS a clinic gets about a hot lead that did not book (queued by the pipeline, sent by jobs/hot-lead-alert.ts). */
export const HOT_LEAD_ALERT_JOB = "hot-lead-alert";
export type HotLeadAlertData = { orgId: string; callLogId: string };

const money = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;

/** ≤ 160 characters: one SMS segment. */
export function hotLeadAlertText(input: {
  name: string | null;
  phone: string | null;
  score: number;
  interests: string[];
  value: number;
  emergency?: boolean;
}): string {
  const who = [input.name, input.phone].filter(Boolean).join(" ") || "A caller";
  // An emergency is hot because someone must follow up now, not because it is a sale (docs/LEAD_SCORING.md).
  if (input.emergency) return `Voxanne URGENT: ${who} described a medical emergency on a call. Please call them back now.`.slice(0, 160);
  const what = input.interests.length ? ` asked about ${input.interests.slice(0, 2).join(" & ")}` : "";
  const value = input.value > 0 ? ` (${money(input.value)})` : "";
  const text = `Voxanne hot lead ${input.score}/100: ${who}${what}${value}, not booked. Call back soon.`;
  return text.length <= 160 ? text : `${text.slice(0, 157)}...`;
}
