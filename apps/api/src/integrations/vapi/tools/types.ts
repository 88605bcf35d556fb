import { readToolArgs, type ToolArgsOf, type VapiToolDefinition } from "@voxanne/contracts";
import type { CountryCode } from "libphonenumber-js";
import type { Db } from "../../../db/database";
import type { JobQueue } from "../../../lib/job-queue";
import type { Logger } from "../../../logger";
import type { CalendarBusy } from "../../../modules/booking/service";
import type { Clinic } from "../../../modules/clinic/types";

/** Everything a tool may use. `db` is the transaction for this one tool call, scoped to `clinic`. */
export type ToolContext = {
  db: Db;
  clinic: Clinic;
  now: Date;
  callId: string;
  toolCallId: string;
  /** The caller's number in E.164 (caller ID), when known. */
  callerNumber: string | null;
  /** Country for reading numbers (and dates) given without a country code: the clinic line's, else the caller's. */
  defaultCountry: CountryCode;
  log: Logger;
  /** Enqueue follow-up work inside this tool call's transaction (absent in processes without a job runner). */
  jobs?: JobQueue;
  /** The clinic's own calendar's busy times (Google), bounded in time; absent without a calendar. */
  calendarBusy?: CalendarBusy;
};

/**
 * What a tool answers. `result` is a normal answer, `error` a failure the assistant should
 * recover from (ask again, take a message). `outcome` and `appointmentId` are recorded in
 * tool_invocations: the post-call pipeline reads what happened from them, never from the text.
 */
export type ToolOutcome = ({ result: string; error?: never } | { error: string; result?: never }) & {
  outcome?: string;
  appointmentId?: string | null;
};

/** A tool the assistant can call: its definition (packages/contracts) and how we answer it. */
export type VapiTool = {
  definition: VapiToolDefinition;
  /** The tool changes nothing but its own tool_invocations record (its commit need not wait for a WAL flush). */
  readOnly: boolean;
  run: (rawArgs: Record<string, unknown>, ctx: ToolContext) => Promise<ToolOutcome>;
};

/** Pairs a definition with its handler; the handler gets the arguments read through the definition (aliases, lengths). */
export function toolHandler<T extends VapiToolDefinition>(
  definition: T,
  handle: (args: ToolArgsOf<T>, ctx: ToolContext) => Promise<ToolOutcome>,
  options: { readOnly?: boolean } = {},
): VapiTool {
  return { definition, readOnly: options.readOnly ?? false, run: (raw, ctx) => handle(readToolArgs(definition, raw), ctx) };
}

/** The tools one app answers, by name. */
export type ToolSet = ReadonlyMap<string, VapiTool>;

export function toolSet(tools: readonly VapiTool[]): ToolSet {
  return new Map(tools.map((t) => [t.definition.name, t]));
}
