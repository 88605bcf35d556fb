import { VapiServerMessage } from "@voxanne/contracts";
import { Router, type Request, type RequestHandler, type Response } from "express";
import type { AppDeps } from "../../deps";
import type { Logger } from "../../logger";
import type { ReportBatcher } from "../../modules/pipeline/batcher";
import { vapiAuth } from "./auth";
import type { VapiMessageHandlers } from "./message-handlers";
import { repairPayload } from "./payload";
import { toolCallPolicy } from "./tool-calls";
import type { ToolSet } from "./tools/types";

const parseFailed = () => Object.assign(new Error("invalid JSON body"), { status: 400, type: "entity.parse.failed" });

/**
 * JSON.parse of the raw body, as express.json would (objects and arrays only, empty → {}), with
 * the same error answers (400 invalid_json; 415 for a charset other than UTF-8). Bodies of other
 * content types are not parsed, as before.
 */
const parseJsonAfterAuth: RequestHandler = (req, _res, next) => {
  if (!Buffer.isBuffer(req.body)) return next();
  const raw = req.body;
  req.rawBody = raw;
  req.body = undefined;
  if (!req.is("application/json")) return next();
  const charset = /;\s*charset=("?)([^";\s]+)\1/i.exec(req.headers["content-type"] ?? "")?.[2]?.toLowerCase() ?? "utf-8";
  if (charset !== "utf-8" && charset !== "utf8")
    return next(Object.assign(new Error(`unsupported charset "${charset}"`), { status: 415, type: "charset.unsupported" }));
  const text = raw.toString("utf8").replace(/^\uFEFF/, "");
  if (text.trim() === "") {
    req.body = {};
    return next();
  }
  if (!/^\s*[{[]/.test(text)) return next(parseFailed());
  try {
    req.body = JSON.parse(text);
  } catch {
    return next(parseFailed());
  }
  next();
};

export type VapiRouterDeps = Pick<AppDeps, "config" | "logger" | "db" | "clock" | "jobs" | "googleCalendar"> & {
  handlers: VapiMessageHandlers;
  tools: ToolSet;
  reports: ReportBatcher;
};

/**
 * POST /api/vapi/tools (tool server URL) and POST /api/vapi/webhook (assistant / phone-number
 * server URL). Both accept every message type. Once authenticated the answer is always HTTP 200
 * JSON; `server-timing` reports our own processing time.
 */
export function createVapiRouter(deps: VapiRouterDeps): Router {
  const router = Router();
  // app.ts reads the body as raw bytes; it is parsed only once the credential has been checked.
  router.use(vapiAuth(deps));
  router.use(parseJsonAfterAuth);
  const toolPolicy = toolCallPolicy(deps.config);

  const handle = async (req: Request, res: Response) => {
    const started = performance.now();
    const log: Logger = (req.log as Logger | undefined) ?? deps.logger;
    const { body: repaired, repairs } = repairPayload(req.body);
    if (repairs) log.warn({ repairs }, "vapi webhook body repaired: NUL characters removed, too deeply nested values dropped");
    const parsed = VapiServerMessage.safeParse(repaired);
    let body: object;
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }, "vapi webhook body is not a server message");
      body = { error: "Not a Vapi server message: expected a JSON body { message: { type, … } }." };
    } else {
      const message = parsed.data.message;
      const handler = Object.hasOwn(deps.handlers, message.type) ? deps.handlers[message.type] : undefined;
      try {
        body = (handler ? await handler(message, { deps, tools: deps.tools, toolPolicy, reports: deps.reports, log }) : undefined) ?? {};
      } catch (err) {
        // Only handlers whose message is worth another delivery throw (an outage): a 500 makes a
        // Vapi backoffPlan retry it. Whatever would fail again is answered 200 by the handler itself.
        log.error({ err, type: message.type }, "vapi webhook handler failed; answered 500 so Vapi retries");
        res.status(500).json({ error: { code: "internal_error", message: "Could not process this message now; retry later." } });
        return;
      }
    }
    res.setHeader("server-timing", `app;dur=${(performance.now() - started).toFixed(2)}`);
    res.status(200).json(body);
  };
  router.post("/tools", handle);
  router.post("/webhook", handle);
  return router;
}
