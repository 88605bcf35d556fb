import { SingleBar } from "cli-progress";
import type { CliContext } from "./types";

export type Progress = { tick: (label?: string) => void; stop: () => void };

/**
 * A progress bar on stderr for runs over many clinics or rows (cli-progress). Quiet with --json and
 * when stderr is not a terminal (CI, pipes, tests), so stdout and logs stay clean.
 */
export function startProgress(ctx: Pick<CliContext, "json">, title: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (ctx.json || !stream.isTTY || total <= 1) return { tick: () => {}, stop: () => {} };
  const bar = new SingleBar({
    format: `${title} [{bar}] {value}/{total} {label}`,
    stream,
    hideCursor: true,
    clearOnComplete: false,
    barsize: 30,
  });
  bar.start(total, 0, { label: "" });
  return {
    tick: (label = "") => bar.increment(1, { label }),
    stop: () => bar.stop(),
  };
}
