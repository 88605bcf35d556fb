import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { expect, type Page } from "@playwright/test";
import type { Clinic } from "./helpers";

/** The operator CLI against the e2e API's embedded PostgreSQL (found through its DATA_DIR). */
const API_DIR = resolve(__dirname, "../../api");

export function voxanne(args: string[]): Promise<string> {
  return new Promise((done, fail) =>
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/index.ts", ...args],
      { cwd: API_DIR, env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", DATA_DIR: process.env.VOXANNE_E2E_DATA_DIR }, timeout: 60_000 },
      (err, stdout, stderr) => (err ? fail(new Error(`voxanne ${args.join(" ")}: ${stderr || err.message}`)) : done(stdout)),
    ),
  );
}

export async function signIn(page: Page, clinic: Clinic) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(clinic.email);
  await page.getByLabel("Password", { exact: true }).fill(clinic.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/overview$/);
}
