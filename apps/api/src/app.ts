import { randomUUID } from "node:crypto";
import cookieParser from "cookie-parser";
import cors from "cors";
import express, { Router } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { apiRoutes, buildOpenApiDocument } from "@voxanne/contracts";
import type { Config } from "./config";
import type { Database } from "./db/database";
import { pendingMigrations } from "./db/migrate";
import { authenticate, originCheck } from "./http/auth-middleware";
import { errorHandler, notFoundHandler } from "./http/errors";
import { mount } from "./http/route";
import "./http/types";
import type { Logger } from "./logger";
import { createVapiRouter } from "./webhooks/vapi/router";
import "./webhooks/vapi/status-update";
import "./webhooks/vapi/end-of-call";
import type { JobQueue } from "./jobs/runner";
import { createCallsRouter } from "./modules/calls/routes";
import { createDashboardRouter } from "./modules/dashboard/routes";
import { createLiveRouter } from "./ws/routes";
import { createAuthProvider, type AuthProvider } from "./modules/auth";
import { authRouter } from "./modules/auth/routes";
import { systemClock, type Clock } from "./lib/clock";

export { systemClock, type Clock } from "./lib/clock";

/** Everything a request handler may depend on. Built once by server.ts (or a test). */
export type AppDeps = {
  config: Config;
  logger: Logger;
  db: Database;
  /** Injected so tests can fix "now"; createApp fills in the system clock when none is given. */
  clock: Clock;
  /** Defaults to local or Supabase auth from config. */
  auth?: AuthProvider;
  /** pg-boss job queue (server.ts starts one); without it, work that needs a job is logged and skipped. */
  jobs?: JobQueue;
};

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the Express app without listening, so tests can drive it directly. */
export function createApp(input: Omit<AppDeps, "clock"> & { clock?: Clock }): express.Express {
  const deps: AppDeps = { ...input, clock: input.clock ?? systemClock };
  const { config, logger, db, clock } = deps;
  const app = express();
  app.locals.checkResponses = config.NODE_ENV !== "production";
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");

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
        req: (req) => ({ id: req.id, method: req.method, url: req.url?.split("?")[0] }),
        res: (res) => ({ statusCode: res.statusCode }),
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
  // Webhook bodies can carry long transcripts; dashboard bodies are small. Both keep the raw
  // bytes for signature verification.
  const keepRaw = (req: express.Request, _res: unknown, buf: Buffer) => {
    req.rawBody = buf;
  };
  app.use("/api/vapi", express.json({ limit: "2mb", verify: keepRaw }));
  app.use(express.json({ limit: "200kb", verify: keepRaw }));
  app.use(express.urlencoded({ extended: false, limit: "200kb", verify: keepRaw }));
  app.use(cookieParser());

  const system = Router();
  mount(system, apiRoutes.system.healthz, async () => ({ status: "ok" as const }));
  system.get(apiRoutes.system.readyz.path, async (_req, res) => {
    try {
      const client = await db.pool.connect();
      try {
        const pending = await pendingMigrations(client);
        const applied = (await client.query("select count(*)::int as n from supabase_migrations.schema_migrations")).rows[0].n;
        const ready = pending.length === 0;
        res.status(ready ? 200 : 503).json({
          status: ready ? "ready" : "not_ready",
          database: "up",
          migrations: { applied, pending: pending.map((m) => `${m.version}_${m.name}`) },
        });
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
  const auth = deps.auth ?? createAuthProvider({ config, db, clock });
  app.use(originCheck(config));
  app.use(authenticate(auth));
  app.use(authRouter({ config, db, logger, clock, provider: auth }));

  // Feature modules mount here.
  app.use("/api/vapi", createVapiRouter(deps));
  app.use(createLiveRouter(deps));
  app.use(createDashboardRouter(deps));
  app.use(createCallsRouter(deps));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
