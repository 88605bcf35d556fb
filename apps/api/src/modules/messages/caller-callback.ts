import { formatPhoneForSpeech } from "../../lib/phone";

/**
 * The SMS a clinic gets when a caller could not be verified for what they asked (queued by the
 * Vapi tools, sent by jobs/caller-callback.ts): the clinic calls the patient back on the number on
 * file, so a real patient is helped and a stranger learns nothing.
 */
export const CALLER_CALLBACK_JOB = "caller-callback";
export type CallerCallbackData = {
  orgId: string;
  vapiCallId: string;
  /** The number the booking or record is under (E.164). */
  phone: string;
  request: "cancel" | "reschedule" | "lookup";
  callerNumber: string | null;
};

const WHAT: Record<CallerCallbackData["request"], string> = { cancel: "cancel a booking", reschedule: "move a booking", lookup: "hear their record" };

/** ≤ 160 characters: one SMS segment. */
export function callerCallbackText(d: Pick<CallerCallbackData, "phone" | "request" | "callerNumber">): string {
  const from = d.callerNumber ? `from ${formatPhoneForSpeech(d.callerNumber)}` : "without caller ID";
  const text = `Voxanne: a caller ${from} asked to ${WHAT[d.request]} under ${formatPhoneForSpeech(d.phone)} but was not verified. Call the patient back.`;
  return text.length <= 160 ? text : `${text.slice(0, 157)}...`;
}
