import { createServer } from "node:http";
import { createApp } from "./app";
import { loadConfig } from "./config";
import { openDatabase } from "./db/open";
import { createLogger } from "./logger";

async function main() {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const opened = await openDatabase(config, logger);
  const app = createApp({ config, logger, db: opened.db });
  const server = createServer(app);

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
    server.closeAllConnections();
    await opened.close().catch((err) => logger.error({ err }, "error while closing the database"));
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  // The logger may not exist yet (bad config); write one structured line to stderr either way.
  process.stderr.write(`${JSON.stringify({ level: "fatal", msg: "Voxanne API failed to start", err: { message: err?.message, stack: err?.stack } })}\n`);
  process.exit(1);
});
