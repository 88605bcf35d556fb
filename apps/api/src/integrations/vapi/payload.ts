import type { VapiMessage } from "@voxanne/contracts";
import type { VapiIdentity } from "../../modules/clinic/types";
import type { CallDirection, CallIdentity, CallTurn, EndOfCallReport, StatusUpdate } from "../../modules/pipeline/call-report";

/**
 * The one reader of Vapi's webhook payloads (reference/vapi.md §1). Tool calls arrive in several
 * shapes; call reports carry current `artifact.*` / `analysis.*` fields and older top-level
 * mirrors — read the current fields first and fall back to the legacy ones. Everything here is
 * pure: it turns Vapi's wire format into our domain types (modules/pipeline/call-report.ts) and
 * does no I/O and no redaction (the pipeline redacts before storing).
 */

/** Tool arguments as the model sent them (read through the tool's definition, see packages/contracts/src/vapi-tools.ts). */
export type ToolArgs = Record<string, unknown>;

/** One tool call, whatever shape it arrived in (reference/vapi.md §1.4). */
export type ParsedToolCall = {
  /** The toolCallId to echo back exactly ("" when Vapi sent none). */
  id: string;
  name: string;
  args: ToolArgs;
  /** Set when the arguments could not be read. */
  argsError?: string;
};

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const obj = (v: unknown): Loose | null => (isObject(v) ? v : null);
/** A non-blank string (call reports), else null. */
const text = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const num = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

function parseArgs(raw: unknown): { args: ToolArgs; argsError?: string } {
  if (raw === undefined || raw === null || raw === "") return { args: {} };
  if (isObject(raw)) return { args: raw };
  if (typeof raw === "string") {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isObject(parsed)) return { args: parsed };
    } catch {
      // fall through to the error below
    }
  }
  return { args: {}, argsError: "The tool arguments were not a JSON object. Call the tool again with named arguments." };
}

function parseItem(item: unknown, fallbackName?: string): ParsedToolCall {
  const tc = isObject(item) ? item : {};
  const fn = isObject(tc.function) ? tc.function : {};
  const id = str(tc.id) ?? str(tc.toolCallId) ?? "";
  const name = str(fn.name) ?? str(tc.name) ?? fallbackName ?? "";
  const raw = fn.arguments ?? tc.arguments ?? tc.parameters;
  return { id, name, ...parseArgs(raw) };
}

/**
 * The calls of a `tool-calls` message in order. `toolCallList` and `toolCalls` carry the same
 * items (the first present wins); `toolWithToolCallList[].toolCall` is the fallback, with the
 * name from the tool definition when the call itself lacks one.
 */
export function extractToolCalls(message: VapiMessage): ParsedToolCall[] {
  const list = (message.toolCallList?.length ? message.toolCallList : null) ?? (message.toolCalls?.length ? message.toolCalls : null);
  if (list) return list.map((item) => parseItem(item));
  return (message.toolWithToolCallList ?? []).map((entry) => {
    const e = isObject(entry) ? entry : {};
    const definitionName = isObject(e.function) ? str(e.function.name) : undefined;
    return parseItem(e.toolCall ?? e, definitionName);
  });
}

/** The legacy `function-call` message: `functionCall: { name, parameters }` (parameters usually a JSON string). */
export function extractFunctionCall(message: VapiMessage): ParsedToolCall | null {
  const fc = message.functionCall;
  if (!fc) return null;
  return { id: "", name: str(fc.name) ?? "", ...parseArgs(fc.parameters) };
}

export type CallInfo = VapiIdentity & {
  callId: string;
  /** The caller's number as Vapi reports it (inbound: caller ID). */
  callerNumber: string | null;
};

/** Who the webhook is for, from the trusted envelope only — never from tool arguments. */
export function callInfo(message: VapiMessage): CallInfo {
  const call = message.call ?? undefined;
  return {
    callId: str(call?.id) ?? "",
    assistantId: str(call?.assistantId) ?? str(message.assistant?.id) ?? null,
    phoneNumberId: str(call?.phoneNumberId) ?? str(message.phoneNumber?.id) ?? null,
    phoneNumber: str(message.phoneNumber?.number) ?? null,
    callerNumber: str(message.customer?.number) ?? str(call?.customer?.number) ?? null,
  };
}

// Call reports and status updates -------------------------------------------------------------

/** Vapi timestamps: epoch milliseconds (current), epoch seconds, or ISO strings (2024 payloads). */
export function parseVapiTime(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  const n = typeof v === "number" ? v : null;
  if (n !== null) {
    const d = new Date(n < 1e11 ? n * 1000 : n);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const s = text(v);
  if (!s) return null;
  if (/^\d+(\.\d+)?$/.test(s)) return parseVapiTime(Number(s));
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function directionOf(callType: unknown): CallDirection {
  if (callType === "outboundPhoneCall") return "outbound";
  if (callType === "webCall" || callType === "vapi.websocketCall") return "web";
  return "inbound";
}

export function callIdentity(message: Loose): CallIdentity {
  const call = obj(message.call) ?? {};
  const direction = directionOf(call.type);
  const customer = obj(call.customer) ?? obj(message.customer) ?? {};
  const phoneNumber = obj(message.phoneNumber) ?? obj(call.phoneNumber) ?? {};
  return {
    vapiCallId: text(call.id) ?? text(message.callId),
    direction,
    customerNumber: text(customer.number),
    clinicNumber: text(phoneNumber.number),
    customerName: text(customer.name),
  };
}

function argsObject(v: unknown): Loose {
  if (typeof v === "string") {
    try {
      return obj(JSON.parse(v)) ?? {};
    } catch {
      return {};
    }
  }
  return obj(v) ?? {};
}

export function parseEndOfCallReport(message: Loose): EndOfCallReport {
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
    const s =
      num(message.durationSeconds) ??
      (num(message.durationMs) !== null ? num(message.durationMs)! / 1000 : null) ??
      (num(message.durationMinutes) !== null ? num(message.durationMinutes)! * 60 : null);
    if (s !== null) durationSeconds = Math.max(0, Math.round(s));
  }

  const messagesSource = Array.isArray(artifact.messages) ? artifact.messages : Array.isArray(message.messages) ? message.messages : [];
  const recordingUrl = text(artifact.recordingUrl) ?? text(mono.combinedUrl) ?? text(message.recordingUrl);
  const stereoRecordingUrl = text(artifact.stereoRecordingUrl) ?? text(recording.stereoUrl) ?? text(message.stereoRecordingUrl);

  const dest = obj(message.destination);
  const transfers = Array.isArray(artifact.transfers) ? (artifact.transfers.map(obj).filter(Boolean) as Loose[]) : [];
  const firstTransfer = transfers[0] ? (obj(transfers[0].destination) ?? transfers[0]) : null;
  const destSource = dest ?? firstTransfer;
  const destination = destSource
    ? {
        to: text(destSource.number) ?? text(destSource.sipUri) ?? text(destSource.assistantName),
        reason: text(destSource.description) ?? text(destSource.reason) ?? null,
      }
    : null;

  return {
    ...identity,
    startedAt,
    endedAt,
    durationSeconds,
    endedReason: text(message.endedReason) ?? text(call.endedReason),
    cost: num(message.cost) ?? num(call.cost),
    transcript: text(artifact.transcript) ?? text(message.transcript),
    turns: turnsOf(messagesSource as unknown[], startedAt),
    summary: text(analysis.summary) ?? text(message.summary),
    structuredData: analysis.structuredData ?? null,
    recordingUrl,
    stereoRecordingUrl,
    recordingInProgress: !recordingUrl && !stereoRecordingUrl && Object.keys(recording).length > 0,
    destination,
    timestamp: parseVapiTime(message.timestamp),
  };
}

const SPEAKER: Record<string, "assistant" | "user"> = { bot: "assistant", assistant: "assistant", user: "user" };

/** Vapi artifact messages (roles bot/assistant/user/system/tool_calls/tool_call_result) → turns; the system prompt is left out. */
export function turnsOf(messages: unknown[], callStart: Date | null): CallTurn[] {
  const out: CallTurn[] = [];
  for (const raw of messages) {
    const m = obj(raw);
    if (!m) continue;
    const secondsFromStart = num(m.secondsFromStart);
    if (m.role === "tool_calls") {
      if (!Array.isArray(m.toolCalls)) continue;
      const at = parseVapiTime(m.time) ?? (callStart && secondsFromStart !== null ? new Date(callStart.getTime() + secondsFromStart * 1000) : null);
      for (const item of m.toolCalls) {
        const tc = obj(item);
        if (!tc) continue;
        const fn = obj(tc.function) ?? {};
        const name = text(fn.name) ?? text(tc.name);
        if (!name) continue;
        out.push({ kind: "tool_call", id: text(tc.id), name, args: argsObject(fn.arguments ?? tc.arguments ?? tc.parameters), at, secondsFromStart });
      }
    } else if (m.role === "tool_call_result") {
      const result = typeof m.result === "string" ? m.result : m.result !== undefined ? JSON.stringify(m.result) : (text(m.error) ?? "");
      out.push({
        kind: "tool_result",
        toolCallId: text(m.toolCallId),
        name: text(m.name),
        result,
        isError: m.error !== undefined && m.error !== null,
        secondsFromStart,
      });
    } else {
      const role = SPEAKER[String(m.role)];
      const said = text(m.message) ?? text(m.content);
      if (role && said) out.push({ kind: "speech", role, text: said, secondsFromStart });
    }
  }
  return out;
}

export function parseStatusUpdate(message: Loose): StatusUpdate {
  const identity = callIdentity(message);
  const call = obj(message.call) ?? {};
  const dest = obj(message.destination);
  return {
    ...identity,
    status: text(message.status) ?? text(call.status) ?? "",
    endedReason: text(message.endedReason) ?? text(call.endedReason),
    at: parseVapiTime(message.timestamp),
    startedAt: parseVapiTime(call.startedAt),
    destination: dest ? { to: text(dest.number) ?? text(dest.sipUri), reason: text(dest.description) ?? text(dest.message) } : null,
  };
}
