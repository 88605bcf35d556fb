import { DateTime } from "luxon";
import type { EmergencyTransferStatus } from "../call-control/queries";

/** The SMS a clinic gets when a caller describes an emergency (queued by the tool call that flagged it, sent by jobs/emergency-alert.ts). */
export const EMERGENCY_ALERT_JOB = "emergency-alert";
/** `transferTo`: where the call was to be transferred (null when no transfer number is set). */
export type EmergencyAlertData = { orgId: string; vapiCallId: string; phrase: string; at: string; transferTo: string | null };
/** Longer than the control request's timeout (integrations/vapi/control.ts), so the text knows how the transfer went. */
export const EMERGENCY_ALERT_DELAY_SECONDS = 5;

const TRANSFER: Record<EmergencyTransferStatus, (to: string | null) => string> = {
  transferred: (to) => `Transferred to ${to}.`,
  failed: (to) => `Transfer to ${to} failed: call them back now.`,
  requested: () => "Transfer requested; call them back if it did not reach you.",
  not_possible: () => "Not transferred (no transfer number is set): call them back now.",
};

/** "Emergency call from +12125557001 at 3:42 PM: chest pain. Transferred to +12125550100." (≤ 160 characters). */
export function emergencyAlertText(input: {
  from: string | null;
  at: Date;
  timezone: string;
  reason: string;
  transfer: EmergencyTransferStatus | null;
  transferTo: string | null;
}): string {
  const time = DateTime.fromJSDate(input.at, { zone: input.timezone }).setLocale("en-US").toFormat("h:mm a");
  const next = input.transfer ? TRANSFER[input.transfer](input.transferTo) : "Call them back now.";
  const text = `Emergency call from ${input.from ?? "an unknown number"} at ${time}: ${input.reason}. ${next}`;
  return text.length <= 160 ? text : `${text.slice(0, 157)}...`;
}
