import type { VapiMessage } from "@voxanne/contracts";
import type { Request } from "express";
import type { AppDeps } from "../../app";
import type { Logger } from "../../logger";

/** What a message handler gets: the app's dependencies, the request's logger and the request. */
export type VapiMessageContext = { deps: AppDeps; log: Logger; req: Request };

/** Returns the JSON body to answer with; `undefined` answers `{}` (HTTP 200). */
export type VapiMessageHandler = (message: VapiMessage, ctx: VapiMessageContext) => Promise<object | undefined | void>;

/**
 * Message type → handler. The router answers every type that has no handler with 200 `{}`
 * (status-update, end-of-call-report, hang, conversation-update, speech-update, …). Other modules
 * add theirs from their own files, e.g. the post-call pipeline:
 *   registerVapiMessageHandler("end-of-call-report", handleEndOfCallReport)
 * A handler that throws gets a 500 (so a Vapi backoffPlan can retry); validate input instead.
 */
const handlers = new Map<string, VapiMessageHandler>();

export function registerVapiMessageHandler(type: string, handler: VapiMessageHandler): void {
  handlers.set(type, handler);
}

export function vapiMessageHandler(type: string): VapiMessageHandler | undefined {
  return handlers.get(type);
}
