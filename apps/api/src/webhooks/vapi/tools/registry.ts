import type { CountryCode } from "libphonenumber-js";
import type { Db } from "../../../db/database";
import type { Logger } from "../../../logger";
import type { Clinic } from "../../../modules/agents/queries";
import type { ToolArgs } from "../args";

/** Everything a tool may use. `db` is the transaction for this one tool call, scoped to `clinic`. */
export type ToolContext = {
  db: Db;
  clinic: Clinic;
  now: Date;
  callId: string;
  toolCallId: string;
  /** The caller's number in E.164 (caller ID), when known. */
  callerNumber: string | null;
  /** Country for reading numbers given without a country code. */
  defaultCountry: CountryCode;
  log: Logger;
};

/**
 * What a tool answers. `result` is a normal answer, `error` a failure the assistant should
 * recover from (ask again, take a message). `outcome` and `appointmentId` are recorded in
 * tool_invocations for the post-call pipeline.
 */
export type ToolOutcome = ({ result: string; error?: never } | { error: string; result?: never }) & {
  outcome?: string;
  appointmentId?: string | null;
};

export type ToolHandler = (args: ToolArgs, ctx: ToolContext) => Promise<ToolOutcome>;

export type ToolOptions = {
  /** The tool changes nothing but its own tool_invocations record (its commit need not wait for a WAL flush). */
  readOnly?: boolean;
};

const tools = new Map<string, { handler: ToolHandler; options: ToolOptions }>();

/** Adds (or replaces) a tool. Feature modules register theirs, e.g. searchKnowledgeBase. */
export function registerVapiTool(name: string, handler: ToolHandler, options: ToolOptions = {}): void {
  tools.set(name, { handler, options });
}

export function vapiTool(name: string): { handler: ToolHandler; options: ToolOptions } | undefined {
  return tools.get(name);
}

export function vapiToolNames(): string[] {
  return [...tools.keys()];
}
