import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { expect, type Page } from "@playwright/test";

/**
 * The call simulator (`apps/api/src/simulator/cli.ts`) played at the e2e API exactly as Vapi would:
 * signed webhooks, with the secret the API keeps in its data dir (`local-secrets.json`, found
 * through DATA_DIR). Simulated calls resolve to the demo clinic, which the API seeds on the fresh
 * data dir of every e2e run.
 */
const API_DIR = resolve(__dirname, "../../api");
const API_URL = `http://localhost:${Number(process.env.E2E_API_PORT ?? 3100)}`;

/** The demo clinic's owner (apps/api/src/demo/seed.ts). */
export const DEMO_OWNER = { email: "demo@voxanne.local", password: "sunrise-demo-2026", firstName: "Dana", clinic: "Sunrise Aesthetics Clinic" };
/** The demo clinic's staff member (read-only where only owners and admins may change things). */
export const DEMO_STAFF = { email: "staff@voxanne.local", password: "sunrise-demo-2026", clinic: "Sunrise Aesthetics Clinic" };

export type SimulatedCall = {
  /** Vapi's id of the (first) call, as soon as the simulator has sent its first webhook. */
  vapiCallId: Promise<string>;
  /** Resolves when every webhook of the scenario has been answered; rejects if the simulator fails. */
  finished: Promise<void>;
  readonly running: boolean;
  output(): string;
  stop(): void;
};

const running = new Set<ChildProcess>();

/** `control`: the call gets a control URL on 127.0.0.1 (simulator/control.ts), so the dashboard can take it over. */
export function simulateCall(options: { scenario: string; caller: number; speed: number; control?: boolean }): SimulatedCall {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/simulator/cli.ts",
      "--scenario",
      options.scenario,
      "--api",
      API_URL,
      "--speed",
      String(options.speed),
      "--caller",
      String(options.caller),
      ...(options.control ? ["--control"] : []),
    ],
    { cwd: API_DIR, env: { ...process.env, DATA_DIR: process.env.VOXANNE_E2E_DATA_DIR }, stdio: ["ignore", "pipe", "pipe"] },
  );
  running.add(child);
  let out = "";
  let exited = false;
  let resolveId: (id: string) => void = () => {};
  let rejectId: (err: Error) => void = () => {};
  const vapiCallId = new Promise<string>((res, rej) => {
    resolveId = res;
    rejectId = rej;
  });
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    const id = /\b(sim-[0-9a-f-]{36})\b/.exec(out)?.[1];
    if (id) resolveId(id);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const finished = new Promise<void>((res, rej) => {
    child.on("exit", (code, signal) => {
      exited = true;
      running.delete(child);
      if (code === 0) res();
      else {
        const err = new Error(`simulator exited with ${signal ?? code}:\n${out}`);
        rejectId(err);
        rej(err);
      }
    });
  });
  // Unhandled if the test has already failed for another reason.
  finished.catch(() => {});
  vapiCallId.catch(() => {});
  return {
    vapiCallId,
    finished,
    get running() {
      return !exited;
    },
    output: () => out,
    stop: () => {
      if (!exited) child.kill("SIGTERM");
    },
  };
}

/** Stops any simulator a failed test left running. */
export function stopAllSimulations(): void {
  for (const child of running) child.kill("SIGTERM");
  running.clear();
}

export async function signInAsDemoOwner(page: Page): Promise<void> {
  await signInAs(page, DEMO_OWNER);
}

export async function signInAsDemoStaff(page: Page): Promise<void> {
  await signInAs(page, DEMO_STAFF);
}

async function signInAs(page: Page, who: { email: string; password: string; clinic: string }): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByTestId("org-name")).toHaveText(who.clinic);
}

/**
 * Marks the current document. A full page load (reload, or a navigation the router could not do
 * in place) replaces the document and loses the mark.
 */
export async function markDocument(page: Page): Promise<string> {
  const mark = `doc-${Math.random().toString(36).slice(2)}`;
  await page.evaluate((m) => {
    (window as unknown as { __voxanneDocument?: string }).__voxanneDocument = m;
  }, mark);
  return mark;
}

export async function documentMark(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as { __voxanneDocument?: string }).__voxanneDocument);
}
