import { checkToolArgs, type ToolArgsOf, type VapiToolDefinition } from "@voxanne/contracts";
import type { CountryCode } from "libphonenumber-js";
import type { Config } from "../../../config";
import type { Db } from "../../../db/database";
import type { JobQueue } from "../../../lib/job-queue";
import type { Logger } from "../../../logger";
import type { CalendarBusy } from "../../../modules/booking/service";
import type { Clinic } from "../../../modules/clinic/types";
import type { Reply } from "../speech";

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
  /** The app's configuration (providers a tool may call, e.g. the knowledge base's embedding provider). */
  config?: Config;
  /** How long the times offered to this call stay held for it (0 = no holds). */
  slotHoldMinutes: number;
  /** The clinic's own calendar's busy times (Google), bounded in time; absent without a calendar. */
  calendarBusy?: CalendarBusy;
};

/**
 * What a tool answers. `result` is a normal answer, `error` a failure the assistant should
 * recover from (ask again, take a message); each is a Reply (speech.ts: what is said, kept apart
 * from instructions and machine hints). `outcome` and `appointmentId` are recorded in
 * tool_invocations: the post-call pipeline reads what happened from them, never from the text.
 */
export type ToolOutcome = ({ result: Reply; error?: never } | { error: Reply; result?: never }) & {
  outcome?: string;
  appointmentId?: string | null;
};

/** A tool the assistant can call: its definition (packages/contracts) and how we answer it. */
export type VapiTool = {
  definition: VapiToolDefinition;
  /**
   * The tool changes nothing that must survive a crash — its own tool_invocations record, slot
   * holds that expire in minutes anyway — so its commit need not wait for a WAL flush.
   */
  readOnly: boolean;
  run: (rawArgs: Record<string, unknown>, ctx: ToolContext) => Promise<ToolOutcome>;
};

/**
 * Pairs a definition with its handler; the handler gets the arguments read and checked through the
 * definition (aliases, lengths, name characters). A refused value is answered here, before the
 * handler runs: the caller is asked to repeat it.
 */
export function toolHandler<T extends VapiToolDefinition>(
  definition: T,
  handle: (args: ToolArgsOf<T>, ctx: ToolContext) => Promise<ToolOutcome>,
  options: { readOnly?: boolean } = {},
): VapiTool {
  return {
    definition,
    readOnly: options.readOnly ?? false,
    run: async (raw, ctx) => {
      const { args, refused } = checkToolArgs(definition, raw);
      const first = refused[0];
      if (first) {
        return {
          error: {
            say: first.reask,
            instructions: `The ${first.field} given could not be right (too long, or not what a ${first.field} looks like). Ask again, then call ${definition.name} again.`,
          },
          outcome: "invalid_arguments",
        };
      }
      return handle(args, ctx);
    },
  };
}

/** The tools one app answers, by name. */
export type ToolSet = ReadonlyMap<string, VapiTool>;

export function toolSet(tools: readonly VapiTool[]): ToolSet {
  return new Map(tools.map((t) => [t.definition.name, t]));
}
