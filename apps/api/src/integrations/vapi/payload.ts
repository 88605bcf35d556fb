import type { VapiMessage } from "@voxanne/contracts";
import type { VapiIdentity } from "../../modules/clinic/types";
import type { CallDirection, CallIdentity, CallTurn, EndOfCallReport, StatusUpdate } from "../../modules/pipeline/call-report";

/**
 * The one reader of Vapi's webhook payloads. Tool calls arrive in several
 * shapes; call reports carry current `artifact.*` / `analysis.*` fields and older top-level
 * mirrors — read the current fields first and fall back to the legacy ones. Everything here is
 * pure: it turns Vapi's wire format into our domain types (modules/pipeline/call-report.ts) and
 * does no I/O and no redaction (the pipeline redacts before storing).
 */

/** Tool arguments as the model sent them (read through the tool's definition, see packages/contracts/src/vapi-tools.ts). */
export type ToolArgs = Record<string, unknown>;

/** One tool call, whatever shape it arrived in. */
export type ParsedToolCall = {
  /** The toolCallId to echo back exactly ("" when Vapi sent none). */
  id: string;
  name: string;
  args: ToolArgs;
  /** Set when the arguments could not be read. */
  argsError?: string;
};

type Loose = Record<string, unknown>;

// Hostile or broken payloads --------------------------------------------------------------------

/** Far deeper than any Vapi payload (structuredData included); deeper values become null. */
export const MAX_PAYLOAD_DEPTH = 48;

export type PayloadRepairs = { nulCharacters: number; tooDeep: number };

function needsRepair(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return true;
    } else if (v !== null && typeof v === "object") {
      if (depth >= MAX_PAYLOAD_DEPTH) return true;
      for (const [k, child] of Object.entries(v)) {
        if (k.includes("\u0000")) return true;
        stack.push([child, depth + 1]);
      }
    }
  }
  return false;
}

function repair(v: unknown, depth: number, counts: PayloadRepairs): unknown {
  if (typeof v === "string") {
    if (!v.includes("\u0000")) return v;
    counts.nulCharacters++;
    return v.replaceAll("\u0000", "");
  }
  if (v === null || typeof v !== "object") return v;
  if (depth >= MAX_PAYLOAD_DEPTH) {
    counts.tooDeep++;
    return null;
  }
  if (Array.isArray(v)) return v.map((item) => repair(item, depth + 1, counts));
  const out: Loose = {};
  for (const [k, child] of Object.entries(v)) {
    // defineProperty: a "__proto__" key stays a plain key.
    Object.defineProperty(out, repair(k, depth, counts) as string, {
      value: repair(child, depth + 1, counts),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * A webhook body PostgreSQL and our readers can take: NUL characters (text and jsonb cannot hold
 * \u0000) are removed from every string and key, and anything nested deeper than
 * MAX_PAYLOAD_DEPTH becomes null, so no recursive walk (redaction, JSON.stringify) overflows the
 * stack. Returns the body unchanged (same object) when there was nothing to repair.
 */
export function repairPayload(body: unknown): { body: unknown; repairs: PayloadRepairs | null } {
  if (!needsRepair(body)) return { body, repairs: null };
  const repairs: PayloadRepairs = { nulCharacters: 0, tooDeep: 0 };
  return { body: repair(body, 0, repairs), repairs };
}

/** What we store of a call: absurd values are dropped (null) rather than failing the report. */
export const REPORT_LIMITS = {
  /** Vapi timestamps outside this window are noise (epoch 0, 1e20, year 0000). */
  earliest: Date.UTC(2000, 0, 1),
  latest: Date.UTC(2100, 0, 1),
  /** call_logs.cost is numeric(12,4). */
  maxCost: 99_999_999,
  /** Longer than any Vapi call (maxDurationSeconds tops out at 12 hours). */
  maxDurationSeconds: 48 * 3600,
  /** call_logs.vapi_call_id is at most 200 characters. */
  maxCallIdLength: 200,
  /** Characters kept of a transcript / summary (a one-hour call is ~60,000); PostgreSQL's tsvector stops at 1 MB. */
  maxTranscriptChars: 200_000,
  maxSummaryChars: 20_000,
  /** Turns kept of a call's messages. */
  maxTurns: 5_000,
} as const;
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
  /**
   * The live call's control URL (`call.monitor.controlUrl`): a secret,
   * not yet checked — see allowedControlUrl() in control.ts. Absent when Vapi sent none.
   */
  controlUrl?: string;
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
    ...(str(call?.monitor?.controlUrl) ? { controlUrl: str(call?.monitor?.controlUrl) } : {}),
  };
}

// Call reports and status updates -------------------------------------------------------------

const plausible = (d: Date): Date | null => {
  const t = d.getTime();
  return Number.isNaN(t) || t < REPORT_LIMITS.earliest || t >= REPORT_LIMITS.latest ? null : d;
};

/**
 * Vapi timestamps: epoch milliseconds (current), epoch seconds, or ISO strings (2024 payloads).
 * Anything outside 2000–2100 is treated as absent.
 */
export function parseVapiTime(v: unknown): Date | null {
  if (v instanceof Date) return plausible(v);
  const n = typeof v === "number" ? v : null;
  if (n !== null) return Number.isFinite(n) ? plausible(new Date(n < 1e11 ? n * 1000 : n)) : null;
  const s = text(v);
  if (!s) return null;
  if (/^\d+(\.\d+)?$/.test(s)) return parseVapiTime(Number(s));
  return plausible(new Date(s));
}

/** A number within [min, max], else null. */
const bounded = (v: unknown, min: number, max: number): number | null => {
  const n = num(v);
  return n !== null && n >= min && n <= max ? n : null;
};

const capped = (s: string | null, max: number): string | null => (s !== null && s.length > max ? s.slice(0, max) : s);

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
  const vapiCallId = text(call.id) ?? text(message.callId);
  return {
    // An id longer than call_logs allows cannot be stored: the message is then "without a call id".
    vapiCallId: vapiCallId && vapiCallId.length <= REPORT_LIMITS.maxCallIdLength ? vapiCallId : null,
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

  let startedAt = parseVapiTime(message.startedAt) ?? parseVapiTime(call.startedAt);
  let endedAt = parseVapiTime(message.endedAt) ?? parseVapiTime(call.endedAt);
  // An end before the start (or a "call" lasting days): one of them is wrong, and we cannot tell which.
  if (startedAt && endedAt && (endedAt < startedAt || endedAt.getTime() - startedAt.getTime() > REPORT_LIMITS.maxDurationSeconds * 1000)) {
    startedAt = null;
    endedAt = null;
  }
  let durationSeconds: number | null = null;
  if (startedAt && endedAt) durationSeconds = Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000));
  else {
    // Not in Vapi's schema, but some payloads carry one.
    const s =
      num(message.durationSeconds) ??
      (num(message.durationMs) !== null ? num(message.durationMs)! / 1000 : null) ??
      (num(message.durationMinutes) !== null ? num(message.durationMinutes)! * 60 : null);
    if (s !== null && s >= 0 && s <= REPORT_LIMITS.maxDurationSeconds) durationSeconds = Math.round(s);
  }

  const allMessages = Array.isArray(artifact.messages) ? artifact.messages : Array.isArray(message.messages) ? message.messages : [];
  const messagesSource = allMessages.slice(0, REPORT_LIMITS.maxTurns);
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
    cost: bounded(message.cost, 0, REPORT_LIMITS.maxCost) ?? bounded(call.cost, 0, REPORT_LIMITS.maxCost),
    transcript: capped(text(artifact.transcript) ?? text(message.transcript), REPORT_LIMITS.maxTranscriptChars),
    turns: turnsOf(messagesSource as unknown[], startedAt),
    summary: capped(text(analysis.summary) ?? text(message.summary), REPORT_LIMITS.maxSummaryChars),
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
    const secondsFromStart = bounded(m.secondsFromStart, 0, REPORT_LIMITS.maxDurationSeconds);
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

// Knowledge-base requests ---------------------------------------------------------------------

/** Longest question a knowledge-base request searches for (the rest is cut). */
export const MAX_KNOWLEDGE_QUERY_CHARS = 500;

/**
 * The question of a `knowledge-base-request`: the last user turn in `message.messages`
 * (`{ role: "user", content }`; content as a string, or as OpenAI-style parts with `text`).
 */
export function knowledgeBaseQuestion(message: VapiMessage): string | null {
  const messages = (message as Loose).messages;
  if (!Array.isArray(messages)) return null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as Loose | null;
    if (!m || typeof m !== "object" || m.role !== "user") continue;
    const content = m.content ?? m.message;
    const text =
      typeof content === "string"
        ? content
        : Array.isArray(content)
          ? content.map((part) => (part && typeof part === "object" && typeof (part as Loose).text === "string" ? (part as Loose).text : "")).join(" ")
          : "";
    const trimmed = String(text).replace(/\s+/g, " ").trim();
    if (trimmed) return trimmed.slice(0, MAX_KNOWLEDGE_QUERY_CHARS);
  }
  return null;
}

// Live transcript -----------------------------------------------------------------------------

export type LiveTranscriptPayload = { vapiCallId: string; kind: "line" | "history"; lines: { role: "assistant" | "user"; text: string }[] };

const speaker = (role: unknown): "assistant" | "user" | null => (role === "user" ? "user" : role === "assistant" || role === "bot" ? "assistant" : null);

/**
 * A `transcript` message: only `final` lines count; partials are many and
 * get revised, so they are null here.
 */
export function parseTranscriptMessage(message: VapiMessage): LiveTranscriptPayload | null {
  const m = message as Record<string, unknown>;
  if (m.transcriptType !== "final") return null;
  const role = speaker(m.role);
  const text = str(m.transcript);
  const vapiCallId = str(message.call?.id);
  if (!role || !text || !vapiCallId) return null;
  return { vapiCallId, kind: "line", lines: [{ role, text }] };
}

/**
 * A `conversation-update`: the whole committed history. `messages[]` uses Vapi's roles
 * (bot/user/system/tool_calls…) with `message`; `messagesOpenAIFormatted[]` uses
 * assistant/user/system/tool with `content`. Only what was said aloud is kept.
 */
export function parseConversationUpdate(message: VapiMessage): LiveTranscriptPayload | null {
  const m = message as Record<string, unknown>;
  const vapiCallId = str(message.call?.id);
  if (!vapiCallId) return null;
  const source = Array.isArray(m.messages) ? m.messages : Array.isArray(m.messagesOpenAIFormatted) ? m.messagesOpenAIFormatted : null;
  if (!source) return null;
  const lines: LiveTranscriptPayload["lines"] = [];
  for (const item of source) {
    if (!item || typeof item !== "object") continue;
    const it = item as Record<string, unknown>;
    const role = speaker(it.role);
    const text = str(it.message) ?? str(it.content);
    if (role && text) lines.push({ role, text });
  }
  return { vapiCallId, kind: "history", lines };
}
