import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import pino from "pino";
import { loadConfig, type Config } from "../config";
import { createLogger } from "../logger";
import { cliCommands } from "./commands";
import { openCliDatabase } from "./database";
import type { CliCommand, CliContext, CliDatabase, CliResult } from "./types";

/** The commands by name, from the one list in ./commands/index.ts. */
export function loadCommands(): Map<string, CliCommand> {
  return new Map(cliCommands.map((c) => [c.name, c]));
}

const GLOBAL_OPTIONS = {
  json: { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
  verbose: { type: "boolean", short: "v", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

function usage(commands: Map<string, CliCommand>): string {
  const width = Math.max(...[...commands.keys()].map((n) => n.length));
  return [
    "Usage: npm run voxanne -- <command> [options]",
    "",
    "Commands:",
    ...[...commands.values()].map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options for every command:",
    "  --json      print one JSON object on stdout (logs go to stderr)",
    "  --dry-run   show what would change without changing it (where supported)",
    "  --verbose   more logs on stderr",
    "  --help      this help",
    "",
    "The database is DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (the running backend's, if one is up).",
  ].join("\n");
}

type Io = { stdout: (s: string) => void; stderr: (s: string) => void };
const processIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

/** What tests give the CLI instead of the environment: a config (fake providers) and an open database. */
export type CliOverrides = { config?: Config; database?: CliContext["database"] };

/** Runs one command; returns the exit code (0 ok, 1 the command failed, 2 usage error). */
export async function runCli(argv: string[], io: Io = processIo, overrides: CliOverrides = {}): Promise<number> {
  const commands = loadCommands();
  const name = argv[0];
  const wantsJson = argv.includes("--json");
  const fail = (code: number, message: string, extra: Record<string, unknown> = {}) => {
    if (wantsJson) io.stdout(`${JSON.stringify({ ok: false, command: name ?? null, error: message, ...extra })}\n`);
    else io.stderr(`voxanne: ${message}\n`);
    return code;
  };

  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(`${usage(commands)}\n`);
    return name ? 0 : 2;
  }
  const command = commands.get(name);
  if (!command) return fail(2, `unknown command "${name}". Run \`npm run voxanne -- --help\` to list the commands.`);

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv.slice(1), options: { ...GLOBAL_OPTIONS, ...(command.options ?? {}) }, allowPositionals: true, strict: true });
  } catch (err) {
    return fail(2, `${(err as Error).message}. Usage: voxanne ${command.name} ${command.usage ?? ""}`.trim());
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    io.stdout(`voxanne ${command.name} ${command.usage ?? ""}\n  ${command.summary}\n`);
    return 0;
  }
  const json = Boolean(values.json);
  const dryRun = Boolean(values["dry-run"]);
  if (dryRun && !command.dryRun) return fail(2, `${command.name} does not support --dry-run.`);

  let opened: (CliDatabase & { close: () => Promise<void> }) | null = null;
  let result: CliResult;
  try {
    const config = overrides.config ?? loadConfig();
    const logger = createLogger({ level: values.verbose ? "info" : "warn", destination: pino.destination({ fd: 2, sync: true }) });
    const ctx: CliContext = {
      config,
      logger,
      json,
      dryRun,
      print: (line) => {
        if (!json) io.stdout(`${line}\n`);
      },
      progress: (line) => {
        if (!json) io.stderr(`${line}\n`);
      },
      database:
        overrides.database ??
        (async (options) => {
          opened ??= await openCliDatabase(config, logger, options);
          return opened;
        }),
    };
    result = await command.run(ctx, { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals });
  } catch (err) {
    result = { ok: false, error: (err as Error)?.message ?? String(err) };
  } finally {
    await (opened as { close: () => Promise<void> } | null)?.close().catch(() => undefined);
  }
  if (!result.ok) return fail(1, result.error ?? `${command.name} failed.`, result.data ?? {});
  if (json) io.stdout(`${JSON.stringify({ ok: true, command: command.name, ...(result.data ?? {}) })}\n`);
  return 0;
}

// Run when executed directly (npm run voxanne), not when imported by tests.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`voxanne: ${(err as Error)?.message ?? err}\n`);
      process.exit(1);
    },
  );
}
