import type { VapiMessage } from "@voxanne/contracts";
import type { VapiIdentity } from "../../modules/agents/queries";
import type { ToolArgs } from "./args";

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
