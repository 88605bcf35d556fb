import type { VapiMessage, VapiToolCallResult } from "@voxanne/contracts";
import type { CountryCode } from "libphonenumber-js";
import type { Db } from "../../db/database";
import type { Config } from "../../config";
import { DatabaseBusy, isDatabaseBusy } from "../../db/errors";
import type { AppDeps } from "../../deps";
import { countryOf, toE164 } from "../../lib/phone";
import type { Logger } from "../../logger";
import { SlotTakenAfterCheck } from "../../modules/booking/service";
import { resolveClinic } from "../../modules/clinic/queries";
import type { Clinic } from "../../modules/clinic/types";
import { type EmergencyTransferPlan, flagEmergency, transferEmergencyCall } from "../../modules/call-control/service";
import { detectEmergency, emergencyNumberForCall, screenedTexts } from "../../modules/emergency/detect";
import { maskSensitiveArguments, redactDeep, redactText } from "../../modules/pipeline/redaction";
import { ClinicGate } from "./clinic-gate";
import { allowedControlUrl, vapiControlSender } from "./control";
import { callInfo, extractFunctionCall, extractToolCalls, type CallInfo, type ParsedToolCall } from "./payload";
import { emergencyReply, renderReply } from "./speech";
import type { ToolContext, ToolOutcome, ToolSet } from "./tools/types";
import { recordEmergencyFlag, storeToolInvocationAndCommit } from "./queries";

const controlSender = vapiControlSender();

const TAKE_MESSAGE = "Offer to take a message and have the clinic call back.";
export const UNKNOWN_CLINIC = renderReply({ say: "Sorry, I can't reach this clinic's booking system right now.", instructions: TAKE_MESSAGE });
export const CLINIC_SUSPENDED = renderReply({
  say: "Sorry, this clinic's phone assistant is unavailable right now. Please call back later.",
});
const TOOL_FAILED = renderReply({ say: "Sorry, I couldn't complete that just now.", instructions: TAKE_MESSAGE });
/** A lock or statement timeout: the transaction rolled back, so nothing changed. */
export const TOOL_BUSY = renderReply({
  say: "Sorry, the booking system is busy right now and nothing was changed.",
  instructions: "Try once more, or offer to take a message.",
});
/** The clinic already has its maximum of tool calls in progress (ClinicGate). */
export const CLINIC_BUSY = renderReply({
  say: "Sorry, the clinic's booking system is very busy right now and nothing was changed.",
  instructions: TAKE_MESSAGE,
});
/** The tool call passed its deadline: answered now, and its transaction rolls back. */
export const TOOL_TIMED_OUT = renderReply({ say: "Sorry, that took too long and nothing was changed.", instructions: TAKE_MESSAGE });

/** The country for reading phone numbers without a country code: the clinic line's, else the caller's. */
function defaultCountryFor(info: CallInfo): CountryCode {
  return countryOf(info.phoneNumber) ?? countryOf(info.callerNumber) ?? "US";
}

type Answer = { result?: string; error?: string };

/**
 * Records the answer for replay and commits the tool call's transaction; a replay racing the
 * original gets the answer that was stored first.
 */
async function storeInvocationAndCommit(
  db: Db,
  clinic: Clinic,
  info: CallInfo,
  call: ParsedToolCall,
  answer: Answer,
  outcome: ToolOutcome | null,
  emergency: boolean,
  durationMs: number,
): Promise<Answer> {
  const stored = await storeToolInvocationAndCommit(db, {
    orgId: clinic.orgId,
    callId: info.callId,
    toolCallId: call.id,
    toolName: call.name.slice(0, 100),
    // Callers read card numbers and birth dates into free-text fields; store them redacted.
    args: redactDeep(maskSensitiveArguments(call.args)),
    // Answers can repeat what the caller said (a name with a birth date, a card read back): redacted
    // too. A replay of this toolCallId hears the redacted answer.
    result: answer.result === undefined ? null : redactText(answer.result),
    error: answer.error === undefined ? null : redactText(answer.error),
    outcome: outcome?.outcome ?? null,
    emergency,
    appointmentId: outcome?.appointmentId ?? null,
    durationMs: Math.round(durationMs),
  });
  if (stored === "inserted") return answer;
  return stored.result !== null ? { result: stored.result } : { error: stored.error ?? TOOL_FAILED };
}

/**
 * How long a tool call may take and how many of one clinic's may run at once (config.ts:
 * VAPI_TOOL_DEADLINE_MS, VAPI_TOOL_LOCK_TIMEOUT_MS, VAPI_TOOL_STATEMENT_TIMEOUT_MS,
 * CLINIC_MAX_CONCURRENT_TOOL_CALLS, CLINIC_QUEUE_TIMEOUT_MS).
 */
export type ToolCallPolicy = {
  /** Answer within this much of the request's arrival; Vapi gives up after 20 s by default. */
  deadlineMs: number;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  /** The longest a call waits in line for its clinic's slot. */
  queueTimeoutMs: number;
  gate: ClinicGate;
  /** How long offered times stay held for the call (SLOT_HOLD_MINUTES; 0 = none). */
  slotHoldMinutes: number;
};

export function toolCallPolicy(config: Config): ToolCallPolicy {
  return {
    deadlineMs: config.VAPI_TOOL_DEADLINE_MS,
    lockTimeoutMs: config.VAPI_TOOL_LOCK_TIMEOUT_MS,
    statementTimeoutMs: config.VAPI_TOOL_STATEMENT_TIMEOUT_MS,
    queueTimeoutMs: config.CLINIC_QUEUE_TIMEOUT_MS,
    gate: new ClinicGate(config.CLINIC_MAX_CONCURRENT_TOOL_CALLS),
    slotHoldMinutes: config.SLOT_HOLD_MINUTES,
  };
}

export type ToolCallDeps = Pick<AppDeps, "db" | "clock" | "jobs" | "googleCalendar"> &
  Partial<Pick<AppDeps, "config">> & { tools: ToolSet; policy: ToolCallPolicy };

/**
 * One tool call in one transaction: resolve the clinic from the envelope (never the arguments),
 * return the stored answer for a replayed toolCallId, screen for emergencies, run the tool, and
 * record the answer. Any failure becomes a speakable `error`; nothing here throws.
 *
 * Bounded: the call waits at most CLINIC_QUEUE_TIMEOUT_MS for one of its clinic's slots, and its
 * transaction must finish before `deadlineAt` (performance.now() time). Past the deadline the
 * caller hears TOOL_TIMED_OUT and the transaction is rolled back, never committed afterwards.
 */
export async function runToolCall(
  deps: ToolCallDeps,
  info: CallInfo,
  call: ParsedToolCall,
  log: Logger,
  deadlineAt: number = performance.now() + deps.policy.deadlineMs,
): Promise<Answer> {
  const started = performance.now();
  const now = deps.clock.now();
  if (!call.name) return { error: renderReply({ say: "Sorry, something went wrong on my side.", instructions: "The tool call had no function name." }) };
  const tool = deps.tools.get(call.name);
  const { policy } = deps;
  const defaultCountry = defaultCountryFor(info);

  let release: () => void;
  try {
    release = await policy.gate.acquire(policy.gate.keyOf(info), Math.min(policy.queueTimeoutMs, deadlineAt - performance.now()));
  } catch (err) {
    log.warn({ err, callId: info.callId, tool: call.name, assistantId: info.assistantId }, "vapi tool call refused: the clinic is at its concurrency cap");
    return { error: CLINIC_BUSY };
  }
  // The slot is held until the transaction's connection is back in the pool, even when the
  // caller was already answered (a deadline passed): the cap counts connections, not answers.
  let pending = 0;
  let answered = false;
  const settle = () => {
    if (answered && pending === 0) release();
  };

  try {
    for (let attempt = 0; ; attempt++) {
      const remaining = Math.floor(deadlineAt - performance.now());
      if (remaining <= 0) return { error: TOOL_TIMED_OUT };
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(new DatabaseBusy("deadline", `the tool call passed its ${policy.deadlineMs} ms deadline`)), remaining);
      pending++;
      let emergencyTransfer: EmergencyTransferPlan | null = null;
      try {
        const answer = await deps.db.asSystem(
          async (db) => {
            const clinic = await resolveClinic(db, info, call.id ? { callId: info.callId, toolCallId: call.id } : undefined, {
              asyncCommit: tool?.readOnly === true,
            });
            if (!clinic) {
              log.warn(
                { assistantId: info.assistantId, phoneNumberId: info.phoneNumberId, callId: info.callId, tool: call.name },
                "vapi tool call for an unknown assistant / phone number",
              );
              return { error: UNKNOWN_CLINIC };
            }
            policy.gate.learn(info, clinic.orgId);
            if (clinic.prior) return clinic.prior.result !== null ? { result: clinic.prior.result } : { error: clinic.prior.error ?? TOOL_FAILED };
            if (clinic.status !== "active") return { error: CLINIC_SUSPENDED };
            if (!tool) {
              return {
                error: renderReply({
                  say: "Sorry, I can't do that here.",
                  instructions: `Unknown tool "${call.name.slice(0, 60)}". Available tools: ${[...deps.tools.keys()].join(", ")}.`,
                }),
              };
            }
            if (call.argsError) return { error: renderReply({ say: "Sorry, could you say that again?", instructions: call.argsError }) };

            const ctx: ToolContext = {
              db,
              clinic,
              now,
              callId: info.callId,
              toolCallId: call.id,
              callerNumber: toE164(info.callerNumber, defaultCountry),
              defaultCountry,
              log,
              jobs: deps.jobs,
              config: deps.config,
              slotHoldMinutes: policy.slotHoldMinutes,
              calendarBusy: deps.googleCalendar?.configured ? (from, to) => deps.googleCalendar!.busy(db, clinic.orgId, from, to) : undefined,
            };
            const emergency = detectEmergency(screenedTexts(call.args));
            let outcome: ToolOutcome;
            if (emergency) {
              const dial =
                clinic.emergencyNumber ??
                emergencyNumberForCall({ clinicLine: info.phoneNumber ?? null, timezone: clinic.timezone, callerNumber: ctx.callerNumber });
              const controlUrl = deps.config ? allowedControlUrl(info.controlUrl, deps.config) : null;
              const reply = emergencyReply(dial, clinic.transferNumber, controlUrl !== null);
              outcome = { result: reply, outcome: "emergency" };
              await recordEmergencyFlag(db, { orgId: clinic.orgId, callId: info.callId, tool: call.name, toolCallId: call.id, phrase: emergency });
              // The transfer itself waits for the commit (below): the flag and the alert are durable first.
              emergencyTransfer = await flagEmergency(db, deps.jobs, {
                orgId: clinic.orgId,
                vapiCallId: info.callId,
                callerNumber: ctx.callerNumber,
                clinicNumber: info.phoneNumber ?? null,
                controlUrl,
                transferTo: clinic.transferNumber,
                phrase: emergency,
                spoken: reply.say,
                now,
              });
              log.warn(
                { orgId: clinic.orgId, callId: info.callId, tool: call.name, phrase: emergency },
                "emergency phrase in a tool call; caller told to dial emergency services",
              );
            } else {
              outcome = await tool.run(call.args, ctx);
            }
            const answer: Answer =
              outcome.result !== undefined ? { result: renderReply(outcome.result) } : { error: outcome.error ? renderReply(outcome.error) : TOOL_FAILED };
            // Outcome labels only: names, numbers and times stay out of the logs.
            log.info(
              { orgId: clinic.orgId, callId: info.callId, tool: call.name, outcome: outcome.outcome ?? (answer.error ? "error" : "ok") },
              "vapi tool call",
            );
            if (!call.id) return answer;
            return storeInvocationAndCommit(db, clinic, info, call, answer, outcome, emergency !== null, performance.now() - started);
          },
          {
            signal: deadline.signal,
            lockTimeoutMs: Math.min(policy.lockTimeoutMs, remaining),
            statementTimeoutMs: Math.min(policy.statementTimeoutMs, remaining),
            onReleased: () => {
              pending--;
              settle();
            },
          },
        );
        // Vapi says `content` (the emergency line) and then transfers; bounded by CONTROL_TIMEOUT_MS.
        if (emergencyTransfer) await transferEmergencyCall({ db: deps.db, send: controlSender, now, log }, emergencyTransfer);
        return answer;
      } catch (err) {
        if (deadline.signal.aborted) {
          log.warn(
            { callId: info.callId, tool: call.name, deadlineMs: policy.deadlineMs },
            "vapi tool call passed its deadline; its transaction is rolled back",
          );
          return { error: TOOL_TIMED_OUT };
        }
        // Rare: the insert lost to a booking that took no lock (dashboard, another day's buffer).
        // A fresh attempt sees it and answers "taken — next free: …".
        if (err instanceof SlotTakenAfterCheck && attempt === 0) continue;
        if (isDatabaseBusy(err)) {
          log.warn({ err, callId: info.callId, tool: call.name }, "vapi tool call timed out waiting for the database");
          return { error: TOOL_BUSY };
        }
        log.error({ err, callId: info.callId, tool: call.name }, "vapi tool call failed");
        return { error: TOOL_FAILED };
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    answered = true;
    settle();
  }
}

/** `tool-calls`: every call answered, in order, each echoing its toolCallId exactly. */
export async function handleToolCalls(message: VapiMessage, deps: ToolCallDeps, log: Logger): Promise<{ results: VapiToolCallResult[] }> {
  const info = callInfo(message);
  const results: VapiToolCallResult[] = [];
  // Vapi's timeout covers the whole request: every call of the message shares one deadline.
  const deadlineAt = performance.now() + deps.policy.deadlineMs;
  // Sequential on purpose: a later call may depend on an earlier one (check, then book).
  for (const call of extractToolCalls(message)) {
    const answer = await runToolCall(deps, info, call, log, deadlineAt);
    results.push({ toolCallId: call.id, name: call.name, ...answer });
  }
  return { results };
}

/**
 * Legacy `function-call` (old model.functions[]): same tools, answered as `{ result }`. These
 * calls carry no id, so nothing is stored for replay (an identical later question must get a
 * fresh answer); a booking is still never made twice for the same (call, start).
 */
export async function handleFunctionCall(message: VapiMessage, deps: ToolCallDeps, log: Logger): Promise<{ result: string }> {
  const call = extractFunctionCall(message);
  if (!call) return { result: renderReply({ say: "Sorry, something went wrong on my side.", instructions: "The function call had no name or parameters." }) };
  const info = callInfo(message);
  const answer = await runToolCall(deps, info, call, log);
  return { result: answer.result ?? answer.error ?? TOOL_FAILED };
}
