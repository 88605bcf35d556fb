import { VapiServerMessage } from "@voxanne/contracts";
import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../../app";
import type { Logger } from "../../logger";
import { handleAssistantRequest, handleTransferDestinationRequest } from "./assistant-request";
import { vapiAuth } from "./auth";
import { registerVapiMessageHandler, vapiMessageHandler } from "./handlers";
import { handleFunctionCall, handleToolCalls } from "./tool-calls";

registerVapiMessageHandler("tool-calls", (message, { deps, log }) => handleToolCalls(message, deps, log));
registerVapiMessageHandler("function-call", (message, { deps, log }) => handleFunctionCall(message, deps, log));
// These two answer with something Vapi speaks even when we fail (a 500 would just drop the caller).
const speakOnFailure =
  (handler: typeof handleAssistantRequest, spoken: string) =>
  async (message: Parameters<typeof handleAssistantRequest>[0], { deps, log }: { deps: AppDeps; log: Logger }) => {
    try {
      return await handler(message, deps, log);
    } catch (err) {
      log.error({ err, type: message.type }, "vapi webhook handler failed");
      return { error: spoken };
    }
  };
registerVapiMessageHandler(
  "assistant-request",
  speakOnFailure(handleAssistantRequest, "Sorry, we can't take your call right now. Please call back in a few minutes."),
);
registerVapiMessageHandler(
  "transfer-destination-request",
  speakOnFailure(handleTransferDestinationRequest, "Sorry, I can't transfer this call right now. Offer to take a message."),
);

/**
 * POST /api/vapi/tools (tool server URL) and POST /api/vapi/webhook (assistant / phone-number
 * server URL). Both accept every message type. Once authenticated the answer is always HTTP 200
 * JSON; `server-timing` reports our own processing time.
 */
export function createVapiRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(vapiAuth(deps));

  const handle = async (req: Request, res: Response) => {
    const started = performance.now();
    const log: Logger = (req.log as Logger | undefined) ?? deps.logger;
    const parsed = VapiServerMessage.safeParse(req.body);
    let body: object;
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }, "vapi webhook body is not a server message");
      body = { error: "Not a Vapi server message: expected a JSON body { message: { type, … } }." };
    } else {
      const message = parsed.data.message;
      const handler = vapiMessageHandler(message.type);
      body = (handler ? await handler(message, { deps, log, req }) : undefined) ?? {};
    }
    res.setHeader("server-timing", `app;dur=${(performance.now() - started).toFixed(2)}`);
    res.status(200).json(body);
  };
  router.post("/tools", handle);
  router.post("/webhook", handle);
  return router;
}
