/**
 * Every Vapi message type we answer, in one list. A type not listed here is answered 200 `{}`
 * (hang, speech-update, …). createApp passes this list to the router; a test
 * may pass its own.
 */
import type { VapiMessage } from "@voxanne/contracts";
import { isTransientDatabaseError } from "../../db/errors";
import type { AppDeps } from "../../deps";
import type { Logger } from "../../logger";
import { rememberControlUrl } from "../../modules/call-control/service";
import { publishTranscript } from "../../modules/live-transcript/service";
import { BatcherClosed, type ReportBatcher } from "../../modules/pipeline/batcher";
import { applyStatusUpdate } from "../../modules/pipeline/service";
import { releaseHoldsOfEndedCall } from "../../modules/slot-holds/service";
import { handleAssistantRequest, handleTransferDestinationRequest } from "./assistant-request";
import { handleKnowledgeBaseRequest } from "./knowledge-base-request";
import { allowedControlUrl } from "./control";
import { callInfo, type LiveTranscriptPayload, parseConversationUpdate, parseEndOfCallReport, parseStatusUpdate, parseTranscriptMessage } from "./payload";
import { handleFunctionCall, handleToolCalls, type ToolCallPolicy } from "./tool-calls";
import type { ToolSet } from "./tools/types";

/** What a message handler gets: the app's parts it may use, the request's logger. */
export type VapiMessageContext = {
  deps: Pick<AppDeps, "db" | "clock" | "jobs" | "config" | "googleCalendar">;
  tools: ToolSet;
  /** Tool calls' deadline, timeouts and per-clinic cap (tool-calls.ts). */
  toolPolicy: ToolCallPolicy;
  /** Groups end-of-call reports into shared transactions (modules/pipeline/batcher.ts). */
  reports: ReportBatcher;
  log: Logger;
};

/**
 * Returns the JSON body to answer with; `undefined` answers `{}` (HTTP 200). A handler that
 * throws gets a 500 (so a Vapi backoffPlan can retry); validate input instead.
 */
export type VapiMessageHandler = (message: VapiMessage, ctx: VapiMessageContext) => Promise<object | undefined>;

export type VapiMessageHandlers = Readonly<Record<string, VapiMessageHandler>>;

/**
 * A retry helps only when the database was down or busy; any other failure (a value PostgreSQL
 * refuses, a bug) would fail the same way on every redelivery. Those are logged and answered
 * 200 `{}`, so Vapi does not retry a poison message; an outage still throws → 500 → retry.
 */
const retryOnlyOutages =
  (handler: VapiMessageHandler): VapiMessageHandler =>
  async (message, ctx) => {
    try {
      return await handler(message, ctx);
    } catch (err) {
      if (isTransientDatabaseError(err) || err instanceof BatcherClosed) throw err;
      ctx.log.error({ err, type: message.type, vapiCallId: message.call?.id }, "vapi message failed and would fail again: answered 200, not retried");
      return {};
    }
  };

/** These answer with something Vapi speaks even when we fail (a 500 would just drop the caller). */
const speakOnFailure =
  (handler: typeof handleAssistantRequest, spoken: string): VapiMessageHandler =>
  async (message, { deps, log }) => {
    try {
      return await handler(message, deps, log);
    } catch (err) {
      log.error({ err, type: message.type }, "vapi webhook handler failed");
      return { error: spoken };
    }
  };

/**
 * The live transcript goes to the clinic's dashboards and is never stored; a line that cannot be
 * sent is lost rather than retried (the end-of-call report brings the whole transcript).
 */
const liveTranscript =
  (parse: (message: VapiMessage) => LiveTranscriptPayload | null): VapiMessageHandler =>
  async (message, { deps, log }) => {
    const update = parse(message);
    if (!update) return {};
    try {
      const result = await publishTranscript(deps, callInfo(message), update);
      if (result.outcome === "ignored") log.debug({ vapiCallId: update.vapiCallId, reason: result.reason }, "live transcript not sent");
    } catch (err) {
      log.warn({ err, type: message.type, vapiCallId: update.vapiCallId }, "live transcript not sent");
    }
    return {};
  };

export const vapiMessageHandlers: VapiMessageHandlers = {
  "tool-calls": (message, { deps, tools, toolPolicy, log }) => handleToolCalls(message, { ...deps, tools, policy: toolPolicy }, log),
  "function-call": (message, { deps, tools, toolPolicy, log }) => handleFunctionCall(message, { ...deps, tools, policy: toolPolicy }, log),
  "assistant-request": speakOnFailure(handleAssistantRequest, "Sorry, we can't take your call right now. Please call back in a few minutes."),
  "transfer-destination-request": speakOnFailure(handleTransferDestinationRequest, "Sorry, I can't transfer this call right now. Offer to take a message."),

  /**
   * The clinic's passages for the caller's question (Vapi custom knowledge base). A failure
   * answers no documents (the assistant then says it doesn't know), never a 500 mid-call.
   */
  "knowledge-base-request": async (message, { deps, log }) => {
    try {
      return await handleKnowledgeBaseRequest(message, deps, log);
    } catch (err) {
      log.error({ err, type: message.type }, "knowledge-base-request failed; answered with no documents");
      return { documents: [] };
    }
  },

  /** Final lines only (partials are answered and dropped), redacted, to the clinic's live feed. */
  transcript: liveTranscript(parseTranscriptMessage),
  /** The committed history after each turn: lets a drawer opened mid-call catch up. */
  "conversation-update": liveTranscript(parseConversationUpdate),

  /** ringing → in-progress → forwarding → ended, upserted by call id; never rewinds. */
  "status-update": retryOnlyOutages(async (message, { deps, log }) => {
    const update = parseStatusUpdate(message as Record<string, unknown>);
    const info = callInfo(message);
    const result = await applyStatusUpdate({ ...deps, logger: log }, { identity: info }, update);
    // An ended call's slot holds are released at once rather than when they expire.
    if (update.status === "ended" && update.vapiCallId) await releaseHoldsOfEndedCall(deps.db, update.vapiCallId);
    // The control URL of a live call, for "Transfer to me" / "End call". The database forgets it
    // when the call ends (migration 20261224000200).
    if (update.vapiCallId && update.status !== "ended") {
      const vapiCallId = update.vapiCallId;
      const controlUrl = allowedControlUrl(info.controlUrl, deps.config);
      if (controlUrl) await deps.db.asSystem((db) => rememberControlUrl(db, { vapiCallId, url: controlUrl }));
      else if (info.controlUrl) log.warn({ vapiCallId }, "control URL ignored: not https on a VAPI_CONTROL_URL_HOSTS host");
    }
    log.debug({ vapiCallId: update.vapiCallId, status: update.status, outcome: result.outcome, reason: result.reason }, "status-update");
    return {};
  }),

  /**
   * The post-call pipeline. Reports arriving together share one transaction (group commit); the
   * answer is 200 `{}` once stored (or recognised as a redelivery). A database outage throws →
   * 500, so a Vapi backoffPlan retries; a report that can never be stored is logged and answered 200.
   */
  "end-of-call-report": retryOnlyOutages(async (message, { reports }) => {
    await reports.submit({ identity: callInfo(message) }, parseEndOfCallReport(message as Record<string, unknown>));
    return {};
  }),
};
