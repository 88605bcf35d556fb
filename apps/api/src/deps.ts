import type { Config } from "./config";
import type { GoogleCalendar } from "./integrations/google/calendar";
import type { Database } from "./db/database";
import type { JobQueue } from "./lib/job-queue";
import type { Clock } from "./lib/clock";
import type { Logger } from "./logger";
import type { AuthProvider } from "./modules/auth/provider";

/**
 * What the process builds once (server.ts, or a test) and hands to createApp. Routers and modules
 * take only the parts they use (e.g. `Pick<AppDeps, "db" | "clock">`), never the whole object.
 */
export type AppDeps = {
  config: Config;
  logger: Logger;
  db: Database;
  /** Injected so tests can fix "now". */
  clock: Clock;
  auth: AuthProvider;
  /** pg-boss job queue (server.ts starts one); without it, work that needs a job is logged and skipped. */
  jobs?: JobQueue;
  /** Clinics' Google Calendars (free/busy during calls, connect flow); absent = Google not available in this process. */
  googleCalendar?: GoogleCalendar;
};
