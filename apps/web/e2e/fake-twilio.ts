import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { expect, type Page } from "@playwright/test";

/**
 * The fake Twilio (apps/api/test/helpers/e2e-fake-twilio.ts) as its own process, on the port the
 * e2e API is configured with (TWILIO_API_BASE_URL in playwright.config.ts), with the clinic's Twilio
 * account connected to it. The test plays the phone's owner through its control requests.
 */
const API_DIR = resolve(__dirname, "../../api");
const TWILIO_PORT = Number(process.env.E2E_TWILIO_PORT ?? Number(process.env.E2E_API_PORT ?? 3100) + 7);
const CONTROL = `http://127.0.0.1:${TWILIO_PORT}/__e2e`;

export type FakeTwilioProcess = { stop: () => Promise<void> };

export async function startFakeTwilio(ownerEmail: string): Promise<FakeTwilioProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "test/helpers/e2e-fake-twilio.ts", String(TWILIO_PORT), ownerEmail], {
    cwd: API_DIR,
    env: { ...process.env, DATA_DIR: process.env.VOXANNE_E2E_DATA_DIR },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  await new Promise<void>((res, rej) => {
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("ready")) res();
    });
    child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => rej(new Error(`the fake Twilio exited with ${code}:\n${out}`)));
  });
  return {
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        child.once("exit", () => res());
        child.kill("SIGTERM");
      }),
  };
}

export async function twilioValidation(phoneNumber: string): Promise<{ validationCode: string | null; calls: number; statusCallback: string | null }> {
  const res = await fetch(`${CONTROL}/validation?phoneNumber=${encodeURIComponent(phoneNumber)}`);
  return res.json();
}

/** The phone's owner types `digits` during Twilio's call; resolves with the status our webhook answered Twilio. */
export async function typeOnKeypad(phoneNumber: string, digits: string): Promise<number> {
  const res = await fetch(`${CONTROL}/keypad`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phoneNumber, digits }),
  });
  return ((await res.json()) as { callbackStatus: number }).callbackStatus;
}

/** A number nobody has verified in this run. */
export function freshMobile(): string {
  return `+1646${String(2_000_000 + Math.floor(Math.random() * 7_999_999))}`;
}

/**
 * Walks the whole wizard as the demo owner: verify (Twilio's code typed on the "phone"), carrier,
 * type and ring time, the code to dial, the test call. Reloads on the way to show progress survives.
 */
export async function walkForwardingWizard(page: Page, phone: string, options: { mobile: boolean }): Promise<void> {
  const title = page.getByTestId("wizard-step-title");
  await expect(title).toHaveText("Step 1 of 5: Verify your number");
  await page.getByLabel("Your clinic's phone number").fill(phone);
  await page.getByRole("button", { name: "Call me with a code" }).click();

  // The code on screen is Twilio's own.
  const code = page.getByTestId("validation-code");
  await expect(code).toHaveText(/^\d{6}$/);
  const twilioCode = (await twilioValidation(phone)).validationCode!;
  expect(await code.textContent()).toBe(twilioCode);

  // A reload keeps the code on screen while Twilio calls.
  await page.reload();
  await expect(page.getByTestId("validation-code")).toHaveText(twilioCode);

  // Checking before typing it: Twilio has not confirmed yet.
  await page.getByRole("button", { name: "I've typed the code" }).click();
  await expect(page.getByTestId("confirm-note")).toContainText("4 checks left");

  // The owner types the code on the phone; Twilio's signed callback verifies the number and the page moves on.
  expect(await typeOnKeypad(phone, twilioCode)).toBe(200);
  await expect(title).toHaveText("Step 2 of 5: Choose your carrier", { timeout: 15_000 });

  // Verizon: no ring-time slider.
  await page.getByLabel("Verizon").check();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(title).toHaveText("Step 3 of 5: Forwarding and ring time");
  await expect(page.getByTestId("verizon-no-ring-time")).toBeVisible();
  await expect(page.getByRole("slider")).toHaveCount(0);

  // T-Mobile, missed calls only, 25 seconds (by keyboard).
  await page.getByRole("button", { name: "Back" }).click();
  await page.getByLabel("T-Mobile").check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Missed calls only (safety net)").check();
  const slider = page.getByRole("slider", { name: "Ring time before forwarding" });
  await slider.focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("ring-time-value")).toHaveText("25 seconds");

  // Progress survives a reload.
  await page.reload();
  await expect(title).toHaveText("Step 3 of 5: Forwarding and ring time");
  await expect(page.getByTestId("ring-time-value")).toHaveText("25 seconds");

  await page.getByRole("button", { name: "Show my code" }).click();
  await expect(title).toHaveText("Step 4 of 5: Dial the code");
  // The demo clinic's receptionist line is +12125550101; T-Mobile dials it as 11 digits.
  await expect(page.getByTestId("activation-code")).toHaveText("**004*12125550101*11*25#");
  await expect(page.getByTestId("deactivation-code")).toHaveText("##004#");
  await expect(page.getByTestId("voicemail-warning")).toContainText("also removes your carrier's voicemail forwarding");
  const dial = page.getByTestId("dial-link");
  if (options.mobile) {
    await expect(dial).toBeVisible();
    await expect(dial).toHaveAttribute("href", "tel:**004*12125550101*11*25%23");
  } else {
    await expect(dial).toBeHidden();
  }

  await page.getByRole("button", { name: "I've dialled it" }).click();
  await expect(title).toHaveText("Step 5 of 5: Test and confirm");
  await page.getByRole("button", { name: "No, it didn't" }).click();
  await expect(page.getByTestId("test-message")).toContainText("Dial **004*12125550101*11*25# again");
  await page.getByRole("button", { name: "Yes, the receptionist answered" }).click();
  await expect(page.getByTestId("forwarding-active")).toContainText(`Every missed call to ${phone} reaches the receptionist`);

  await page.reload();
  await expect(page.getByTestId("forwarding-active")).toBeVisible();
}
