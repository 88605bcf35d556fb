import { randomUUID } from "node:crypto";
import cookieParser from "cookie-parser";
import cors from "cors";
import express, { Router } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { apiRoutes, buildOpenApiDocument } from "@voxanne/contracts";
import { migrationStatus } from "./db/migrate";
import type { AppDeps } from "./deps";
import { authenticate, originCheck } from "./http/auth-middleware";
import { errorHandler, notFoundHandler } from "./http/errors";
import { mount } from "./http/route";
import { apiRouters } from "./http/routes";
import { refuseSuspendedWrites } from "./http/suspension-guard";
import "./http/types";
import { vapiMessageHandlers, type VapiMessageHandlers } from "./integrations/vapi/message-handlers";
import { createTwilioWebhookRouter } from "./integrations/twilio/webhooks";
import { createVapiRouter } from "./integrations/vapi/router";
import { builtInTools } from "./integrations/vapi/tools";
import { toolSet, type VapiTool } from "./integrations/vapi/tools/types";
import { GoogleCalendar } from "./integrations/google/calendar";
import { systemClock } from "./lib/clock";
import { createAuthProvider } from "./modules/auth";
import { errorSerializer } from "./logger";
import { ReportBatcher } from "./modules/pipeline/batcher";

export type { AppDeps } from "./deps";
export { systemClock, type Clock } from "./lib/clock";

export type CreateAppInput = Omit<AppDeps, "clock" | "auth"> & {
  /** Defaults to the system clock. */
  clock?: AppDeps["clock"];
  /** Defaults to local or Supabase auth from config. */
  auth?: AppDeps["auth"];
  /** The Vapi tools this app answers; defaults to every built-in tool (integrations/vapi/tools/index.ts). */
  tools?: readonly VapiTool[];
  /** The Vapi message types this app answers; defaults to integrations/vapi/message-handlers.ts. */
  vapiMessageHandlers?: VapiMessageHandlers;
};

/** An Express app plus what it owns: `close()` stores queued end-of-call reports and stops background work. */
export type App = express.Express & { close: () => Promise<void> };

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the Express app without listening, so tests can drive it directly. */
export function createApp(input: CreateAppInput): App {
  const clock = input.clock ?? systemClock;
  const { config, logger, db, jobs } = input;
  const googleCalendar = input.googleCalendar ?? new GoogleCalendar({ config, db, logger, clock, jobs });
  const deps: AppDeps = { config, logger, db, jobs, clock, googleCalendar, auth: input.auth ?? createAuthProvider({ config, db, clock }) };
  const reports = new ReportBatcher({ db, logger, clock, jobs });
  const app = express();
  app.locals.checkResponses = config.NODE_ENV !== "production";
  app.disable("x-powered-by");
  // X-Forwarded-For is believed only from the proxies named in TRUST_PROXY (config.ts); from
  // anyone else it is ignored, so req.ip — the rate-limit key and the audit address — is the peer.
  app.set("trust proxy", config.trustProxy);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers["x-request-id"];
        const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
      // Only what an operator needs; bodies and most headers stay out of the logs.
      serializers: {
        // A recording link's token is what opens it (docs/SECURITY.md § Signed recording links): never logged.
        req: (req) => ({
          id: req.id,
          method: req.method,
          url: req.url?.split("?")[0]?.replace(/^(\/api\/recordings\/(?:shared|play)\/)[^/]+/i, "$1[redacted]"),
        }),
        res: (res) => ({ statusCode: res.statusCode }),
        err: errorSerializer,
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" },
    }),
  );
  app.use(helmet());
  app.use(
    cors({
      origin: (origin, cb) => cb(null, !origin || config.WEB_ORIGINS.includes(origin)),
      credentials: true,
      exposedHeaders: ["x-request-id", "retry-after"],
    }),
  );
  // Webhook bodies can carry long transcripts; dashboard bodies are small. Webhook bodies are
  // read as raw bytes only: the Vapi router checks the credential (HMAC over these bytes) before
  // it parses any JSON (integrations/vapi/router.ts).
  const keepRaw = (req: express.Request, _res: unknown, buf: Buffer) => {
    req.rawBody = buf;
  };
  app.use("/api/vapi", express.raw({ type: () => true, limit: "2mb" }));
  // Every API answer may carry patient data or a session: no browser or shared cache may keep it.
  // Only the OpenAPI document (public, changes with the code) may be cached.
  app.use("/api", (req, res, next) => {
    if (req.path.toLowerCase() !== "/openapi.json") res.setHeader("Cache-Control", "no-store");
    next();
  });
  // Vapi's webhooks authenticate by their own credential and use no cookie, session or form
  // body: they are answered before the dashboard's middleware (the hot path of every call).
  app.use(
    "/api/vapi",
    createVapiRouter({
      ...deps,
      tools: toolSet(input.tools ?? builtInTools),
      handlers: input.vapiMessageHandlers ?? vapiMessageHandlers,
      reports,
    }),
  );
  app.use(express.json({ limit: "200kb", verify: keepRaw }));
  app.use(express.urlencoded({ extended: false, limit: "200kb", verify: keepRaw }));
  app.use(cookieParser());

  const system = Router();
  mount(system, apiRoutes.system.healthz, async () => ({ status: "ok" as const }));
  system.get(apiRoutes.system.readyz.path, async (_req, res) => {
    try {
      const client = await db.pool.connect();
      try {
        const migrations = await migrationStatus(client);
        const ready = migrations.pending.length === 0;
        res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not_ready", database: "up", migrations });
      } finally {
        client.release();
      }
    } catch {
      res.status(503).json({ status: "not_ready", database: "down", migrations: { applied: 0, pending: [] } });
    }
  });
  // The document only changes with the code: build it on first request, not on every one.
  let openApiDocument: ReturnType<typeof buildOpenApiDocument> | undefined;
  system.get("/api/openapi.json", (_req, res) => {
    openApiDocument ??= buildOpenApiDocument();
    res.json(openApiDocument);
  });
  app.use(system);

  // Sessions: CSRF Origin check for cookie writes, then req.auth from the access token.
  app.use(originCheck(config));
  app.use(authenticate(deps.auth));
  app.use(refuseSuspendedWrites(db));

  // Twilio's webhooks (signed per clinic with its own auth token; integrations/twilio/webhooks.ts).
  app.use(createTwilioWebhookRouter(deps));
  for (const router of apiRouters(deps)) app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return Object.assign(app, { close: () => reports.close() });
}
