import { Writable } from "node:stream";
import { createApp, systemClock, type App, type AppDeps, type Clock, type CreateAppInput } from "../../src/app";
import { loadConfig, type Config } from "../../src/config";
import { afterAll } from "vitest";
import type { DatabaseOptions } from "../../src/db/database";
import { createLogger } from "../../src/logger";
import { createAuthProvider } from "../../src/modules/auth";
import { createTestDatabase, type TestDatabase } from "./db";

/** Every log line the app wrote, as text, so tests can assert what never reaches the logs. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    cb();
  }
  text(): string {
    return this.lines.join("\n");
  }
}

export type TestApp = TestDatabase & { app: App; config: Config; logs: LogCapture; deps: AppDeps };

export const TEST_ORIGIN = "http://localhost:3002";
/** A fixed credential encryption key for tests (ENCRYPTION_KEY format: one base64 key, id "k1"). */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig(
    {
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      DATA_DIR: "/tmp/voxanne-test-data",
      BCRYPT_ROUNDS: "4",
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      // Test files sign up many users from 127.0.0.1; rate-limit tests set their own low limits.
      RATE_LIMIT_AUTH_PER_IP: "10000",
      RATE_LIMIT_AUTH_PER_EMAIL: "10000",
      // Most tests check availability and book in separate calls; test/slot-holds.test.ts turns holds on.
      SLOT_HOLD_MINUTES: "0",
    } as NodeJS.ProcessEnv,
    {
      jwtSecret: "test-jwt-secret-that-is-long-enough-0123456789",
      vapiWebhookSecret: "test-vapi-webhook-secret-0123456789",
      ...overrides,
    },
  );
}

/** The real app on a fresh database, logging into memory. */
export async function createTestApp(
  options: { config?: Partial<Config>; clock?: Clock; database?: DatabaseOptions } & Pick<CreateAppInput, "tools" | "vapiMessageHandlers"> = {},
): Promise<TestApp> {
  const database = await createTestDatabase(options.database);
  const config = testConfig(options.config);
  const logs = new LogCapture();
  const logger = createLogger({ level: "debug", destination: logs });
  const deps: AppDeps = {
    config,
    logger,
    db: database.db,
    clock: options.clock ?? systemClock,
    auth: createAuthProvider({ config, db: database.db, clock: options.clock ?? systemClock }),
  };
  const app = createApp({ ...deps, tools: options.tools, vapiMessageHandlers: options.vapiMessageHandlers });
  afterAll(() => app.close());
  return { ...database, app, config, logs, deps };
}
