/**
 * Reading Vapi call messages (reference/vapi.md §1.2, §1.3, §1.7, §8.3). Current payloads carry
 * `artifact.*` and `analysis.*`; older ones mirror transcript, messages, summary and recording
 * URLs at the top level — read the current fields first and fall back to the legacy ones.
 * Everything here is pure: no I/O, no redaction (the caller redacts before storing).
 */
import type { CallTranscriptMessage } from "@voxanne/contracts";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const num = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/** Vapi timestamps: epoch milliseconds (current), epoch seconds, or ISO strings (2024 payloads). */
export function parseVapiTime(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  const n = typeof v === "number" ? v : null;
  if (n !== null) {
    const d = new Date(n < 1e11 ? n * 1000 : n);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const s = str(v);
  if (!s) return null;
  if (/^\d+(\.\d+)?$/.test(s)) return parseVapiTime(Number(s));
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

export type CallDirection = "inbound" | "outbound" | "web";

export function directionOf(callType: unknown): CallDirection {
  if (callType === "outboundPhoneCall") return "outbound";
  if (callType === "webCall" || callType === "vapi.websocketCall") return "web";
  return "inbound";
}

export type CallIdentity = {
  vapiCallId: string | null;
  direction: CallDirection;
  /** The patient's number (caller for inbound, callee for outbound). */
  customerNumber: string | null;
  /** The clinic's line. */
  clinicNumber: string | null;
  customerName: string | null;
};

export function callIdentity(message: Obj): CallIdentity {
  const call = obj(message.call) ?? {};
  const direction = directionOf(call.type);
  const customer = obj(call.customer) ?? obj(message.customer) ?? {};
  const phoneNumber = obj(message.phoneNumber) ?? obj(call.phoneNumber) ?? {};
  return {
    vapiCallId: str(call.id) ?? str(message.callId),
    direction,
    customerNumber: str(customer.number),
    clinicNumber: str(phoneNumber.number),
    customerName: str(customer.name),
  };
}

/** A Vapi artifact message as it arrives (roles bot/assistant/user/system/tool_calls/tool_call_result). */
export type RawVapiMessage = Obj;

export type ToolCallInfo = { id: string | null; name: string; args: Obj; at: Date | null; secondsFromStart: number | null };
export type ToolResultInfo = { toolCallId: string | null; name: string | null; result: string; isError: boolean };

function parseArgs(v: unknown): Obj {
  if (typeof v === "string") {
    try {
      return obj(JSON.parse(v)) ?? {};
    } catch {
      return {};
    }
  }
  return obj(v) ?? {};
}

export type EndOfCallReport = CallIdentity & {
  startedAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  endedReason: string | null;
  cost: number | null;
  transcript: string | null;
  messages: RawVapiMessage[];
  summary: string | null;
  structuredData: unknown;
  recordingUrl: string | null;
  stereoRecordingUrl: string | null;
  /** Vapi says a recording exists but has no URL yet (upload still running). */
  recordingInProgress: boolean;
  destination: { to: string | null; reason: string | null } | null;
  timestamp: Date | null;
};

export function parseEndOfCallReport(message: Obj): EndOfCallReport {
  const identity = callIdentity(message);
  const call = obj(message.call) ?? {};
  const artifact = obj(message.artifact) ?? {};
  const analysis = obj(message.analysis) ?? {};
  const recording = obj(artifact.recording) ?? {};
  const mono = obj(recording.mono) ?? {};

  const startedAt = parseVapiTime(message.startedAt) ?? parseVapiTime(call.startedAt);
  const endedAt = parseVapiTime(message.endedAt) ?? parseVapiTime(call.endedAt);
  let durationSeconds: number | null = null;
  if (startedAt && endedAt) durationSeconds = Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000));
  else {
    // Not in Vapi's schema, but some payloads carry one (reference/vapi.md §1.7).
    const s = num(message.durationSeconds) ?? (num(message.durationMs) !== null ? num(message.durationMs)! / 1000 : null) ?? (num(message.durationMinutes) !== null ? num(message.durationMinutes)! * 60 : null);
    if (s !== null) durationSeconds = Math.max(0, Math.round(s));
  }

  const messagesSource = Array.isArray(artifact.messages) ? artifact.messages : Array.isArray(message.messages) ? message.messages : [];
  const recordingUrl = str(artifact.recordingUrl) ?? str(mono.combinedUrl) ?? str(message.recordingUrl);
  const stereoRecordingUrl = str(artifact.stereoRecordingUrl) ?? str(recording.stereoUrl) ?? str(message.stereoRecordingUrl);

  const dest = obj(message.destination);
  const transfers = Array.isArray(artifact.transfers) ? artifact.transfers.map(obj).filter(Boolean) as Obj[] : [];
  const firstTransfer = transfers[0] ? obj(transfers[0].destination) ?? transfers[0] : null;
  const destSource = dest ?? firstTransfer;
  const destination = destSource
    ? {
        to: str(destSource.number) ?? str(destSource.sipUri) ?? str(destSource.assistantName),
        reason: str(destSource.description) ?? str(destSource.reason) ?? null,
      }
    : null;

  return {
    ...identity,
    startedAt,
    endedAt,
    durationSeconds,
    endedReason: str(message.endedReason) ?? str(call.endedReason),
    cost: num(message.cost) ?? num(call.cost),
    transcript: str(artifact.transcript) ?? str(message.transcript),
    messages: (messagesSource as unknown[]).map(obj).filter((m): m is Obj => m !== null),
    summary: str(analysis.summary) ?? str(message.summary),
    structuredData: analysis.structuredData ?? null,
    recordingUrl,
    stereoRecordingUrl,
    recordingInProgress: !recordingUrl && !stereoRecordingUrl && Object.keys(recording).length > 0,
    destination,
    timestamp: parseVapiTime(message.timestamp),
  };
}

/** Tool calls the assistant made, from `tool_calls` artifact messages. */
export function toolCallsOf(messages: RawVapiMessage[], callStart: Date | null): ToolCallInfo[] {
  const out: ToolCallInfo[] = [];
  for (const m of messages) {
    if (m.role !== "tool_calls" || !Array.isArray(m.toolCalls)) continue;
    for (const raw of m.toolCalls) {
      const tc = obj(raw);
      if (!tc) continue;
      const fn = obj(tc.function) ?? {};
      const name = str(fn.name) ?? str(tc.name);
      if (!name) continue;
      const secondsFromStart = num(m.secondsFromStart);
      const at = parseVapiTime(m.time) ?? (callStart && secondsFromStart !== null ? new Date(callStart.getTime() + secondsFromStart * 1000) : null);
      out.push({ id: str(tc.id), name, args: parseArgs(fn.arguments ?? tc.arguments ?? tc.parameters), at, secondsFromStart });
    }
  }
  return out;
}

/** Results we returned to those tool calls, from `tool_call_result` artifact messages. */
export function toolResultsOf(messages: RawVapiMessage[]): ToolResultInfo[] {
  const out: ToolResultInfo[] = [];
  for (const m of messages) {
    if (m.role !== "tool_call_result") continue;
    const result = typeof m.result === "string" ? m.result : m.result !== undefined ? JSON.stringify(m.result) : str(m.error) ?? "";
    out.push({ toolCallId: str(m.toolCallId), name: str(m.name), result, isError: m.error !== undefined && m.error !== null });
  }
  return out;
}

const ROLE_MAP: Record<string, CallTranscriptMessage["role"]> = {
  bot: "assistant",
  assistant: "assistant",
  user: "user",
  system: "system",
  tool_calls: "tool_call",
  tool_call_result: "tool_result",
};

/** Vapi artifact messages → the stored, display-ready conversation (system prompt left out). */
export function normalizeMessages(messages: RawVapiMessage[]): CallTranscriptMessage[] {
  const out: CallTranscriptMessage[] = [];
  for (const m of messages) {
    const role = ROLE_MAP[String(m.role)];
    if (!role || role === "system") continue;
    const secondsFromStart = num(m.secondsFromStart);
    if (role === "tool_call") {
      for (const call of toolCallsOf([m], null)) {
        out.push({ role, text: `${call.name}(${JSON.stringify(call.args)})`, secondsFromStart, toolName: call.name });
      }
      continue;
    }
    if (role === "tool_result") {
      const [r] = toolResultsOf([m]);
      out.push({ role, text: r?.result ?? "", secondsFromStart, toolName: r?.name ?? null });
      continue;
    }
    const text = str(m.message) ?? str(m.content) ?? "";
    if (!text) continue;
    out.push({ role, text, secondsFromStart, toolName: null });
  }
  return out;
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

export type StatusUpdate = CallIdentity & {
  status: string;
  endedReason: string | null;
  at: Date | null;
  startedAt: Date | null;
  destination: { to: string | null; reason: string | null } | null;
};

export function parseStatusUpdate(message: Obj): StatusUpdate {
  const identity = callIdentity(message);
  const call = obj(message.call) ?? {};
  const dest = obj(message.destination);
  return {
    ...identity,
    status: str(message.status) ?? str(call.status) ?? "",
    endedReason: str(message.endedReason) ?? str(call.endedReason),
    at: parseVapiTime(message.timestamp),
    startedAt: parseVapiTime(call.startedAt),
    destination: dest ? { to: str(dest.number) ?? str(dest.sipUri), reason: str(dest.description) ?? str(dest.message) } : null,
  };
}
