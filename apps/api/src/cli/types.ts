import type { ParseArgsConfig } from "node:util";
import type { Config } from "../config";
import type { Database } from "../db/database";
import type { Logger } from "../logger";

export type CliDatabase = {
  db: Database;
  url: string;
  /** No DATABASE_URL: the embedded (or the running backend's embedded) PostgreSQL with the local Supabase bootstrap. */
  local: boolean;
};

export type CliContext = {
  config: Config;
  /** Structured logs go to stderr, so stdout stays clean for --json. */
  logger: Logger;
  json: boolean;
  dryRun: boolean;
  /** A human-readable line on stdout (suppressed with --json). */
  print: (line: string) => void;
  /** Progress for long runs, on stderr (suppressed with --json). */
  progress: (line: string) => void;
  /**
   * Opens the database once per run (closed by the CLI at exit). `migrate: false` connects without
   * applying pending migrations (for `migrate` itself and read-only checks).
   */
  database: (options?: { migrate?: boolean }) => Promise<CliDatabase>;
};

export type CliResult = {
  ok: boolean;
  /** Machine-readable outcome, printed as JSON with --json. */
  data?: Record<string, unknown>;
  /** Shown when ok is false. */
  error?: string;
};

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * One operator command = one file in src/cli/commands/ exporting `command`, listed in
 * src/cli/commands/index.ts; `--json`, `--dry-run`, `--verbose` and `--help` are handled for every command.
 */
export type CliCommand = {
  name: string;
  summary: string;
  /** Extra usage text after `voxanne <name>`, e.g. "--org <uuid>". */
  usage?: string;
  options?: Options;
  /** Whether `--dry-run` means something for this command (otherwise it is rejected). */
  dryRun?: boolean;
  run: (ctx: CliContext, args: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] }) => Promise<CliResult>;
};
