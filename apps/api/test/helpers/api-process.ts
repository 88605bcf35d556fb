import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../src/lib/process";

const apiDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export type ApiProcess = { child: ChildProcess; base: string; output: () => string; stop: () => Promise<void> };

/**
 * Runs `src/server.ts` as a real process on a free port with `env` (plus PORT) and waits until
 * /healthz answers. `stop` sends SIGTERM, then SIGKILL if it has not exited in 10 s. Used by tests
 * and benchmarks that need separate API processes (no vitest imports here).
 */
export async function startApiProcess(env: NodeJS.ProcessEnv, options: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<ApiProcess> {
  const port = await freePort();
  let out = "";
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", "src/server.ts"], {
    cwd: apiDir,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  // If this process dies (a crash, an uncaught error), the API must not outlive it as an orphan.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 45_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API process exited early:\n${out}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`API process did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, base, output: () => out, stop };
}
