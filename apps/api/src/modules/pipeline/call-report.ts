/**
 * What a call report says, in our own terms. integrations/vapi/payload.ts reads Vapi's wire
 * format into these types; the pipeline (service.ts) works only with them. Pure: no I/O.
 */
import type { CallTranscriptMessage } from "@voxanne/contracts";

export type CallDirection = "inbound" | "outbound" | "web";

export type CallIdentity = {
  vapiCallId: string | null;
  direction: CallDirection;
  /** The patient's number (caller for inbound, callee for outbound). */
  customerNumber: string | null;
  /** The clinic's line. */
  clinicNumber: string | null;
  customerName: string | null;
};

/** One step of the conversation, in order: something said, a tool the assistant called, or what the tool answered. */
export type CallTurn =
  | { kind: "speech"; role: "assistant" | "user"; text: string; secondsFromStart: number | null }
  | { kind: "tool_call"; id: string | null; name: string; args: Record<string, unknown>; at: Date | null; secondsFromStart: number | null }
  | { kind: "tool_result"; toolCallId: string | null; name: string | null; result: string; isError: boolean; secondsFromStart: number | null };

export type ToolCallTurn = Extract<CallTurn, { kind: "tool_call" }>;
export type ToolResultTurn = Extract<CallTurn, { kind: "tool_result" }>;

export type EndOfCallReport = CallIdentity & {
  startedAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  endedReason: string | null;
  cost: number | null;
  transcript: string | null;
  turns: CallTurn[];
  summary: string | null;
  structuredData: unknown;
  recordingUrl: string | null;
  stereoRecordingUrl: string | null;
  /** A recording exists but has no URL yet (upload still running). */
  recordingInProgress: boolean;
  destination: { to: string | null; reason: string | null } | null;
  timestamp: Date | null;
};

export type StatusUpdate = CallIdentity & {
  status: string;
  endedReason: string | null;
  at: Date | null;
  startedAt: Date | null;
  destination: { to: string | null; reason: string | null } | null;
};

export const toolCallsOf = (turns: CallTurn[]): ToolCallTurn[] => turns.filter((t): t is ToolCallTurn => t.kind === "tool_call");
export const toolResultsOf = (turns: CallTurn[]): ToolResultTurn[] => turns.filter((t): t is ToolResultTurn => t.kind === "tool_result");

/** The stored, display-ready conversation. */
export function transcriptMessages(turns: CallTurn[]): CallTranscriptMessage[] {
  return turns.map((t): CallTranscriptMessage => {
    if (t.kind === "speech") return { role: t.role, text: t.text, secondsFromStart: t.secondsFromStart, toolName: null };
    if (t.kind === "tool_call")
      return { role: "tool_call", text: `${t.name}(${JSON.stringify(t.args)})`, secondsFromStart: t.secondsFromStart, toolName: t.name };
    return { role: "tool_result", text: t.result, secondsFromStart: t.secondsFromStart, toolName: t.name };
  });
}

const CALLER_LINE = /^\s*(?:user|customer|caller|patient)\s*:\s*(.*)$/i;

/** What the caller said: user messages, or "User:" lines of a legacy transcript. */
export function callerUtterances(messages: CallTranscriptMessage[], transcript: string | null): string[] {
  const fromMessages = messages.filter((m) => m.role === "user").map((m) => m.text);
  if (fromMessages.length > 0 || !transcript) return fromMessages;
  return transcript
    .split(/\r?\n/)
    .map((line) => CALLER_LINE.exec(line)?.[1]?.trim() ?? "")
    .filter(Boolean);
}
