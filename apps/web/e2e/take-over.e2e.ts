import { expect, type Page, test } from "@playwright/test";
import { signInAsDemoStaff, simulateCall, stopAllSimulations } from "./simulator";

/*
 * The front desk takes over a call in progress: the simulator gives the call a control URL on
 * 127.0.0.1 (apps/api/src/simulator/control.ts), the drawer offers "Transfer to me" and "End call",
 * and ending it (after confirming) posts {"type":"end-call"} there, which ends the simulated call;
 * transferring posts {"type":"transfer"} with the demo clinic's transfer number (+1 212 555 0147,
 * apps/api/src/demo/seed.ts). Callers 41 and 42 are fresh simulated patients
 * (apps/api/src/simulator/identity.ts).
 */

test.afterEach(() => stopAllSimulations());

/** Front-desk staff on the Calls page, a simulated call with a control URL, its drawer open. */
async function openLiveCall(page: Page, caller: number) {
  await signInAsDemoStaff(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calls" }).click();
  await expect(page).toHaveURL(/\/calls$/);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "open");
  const call = simulateCall({ scenario: "new-patient-books", caller, speed: 1, control: true });
  const vapiCallId = await call.vapiCallId;
  const row = page.locator(`[data-testid="call-row"][data-vapi-call-id="${vapiCallId}"]`);
  await expect(row).toBeVisible();
  await row.getByRole("button").first().click();
  const drawer = page.getByRole("dialog").filter({ has: page.getByTestId("vapi-call-id") });
  await expect(drawer.getByTestId("take-over").getByRole("button", { name: "Transfer to me" })).toBeEnabled();
  return { call, vapiCallId, drawer };
}

test("staff end a live call from the drawer, after confirming", async ({ page }) => {
  test.setTimeout(120_000);
  const { call, vapiCallId, drawer } = await openLiveCall(page, 41);
  const takeOver = drawer.getByTestId("take-over");

  await test.step("End call asks first; keeping the call sends nothing", async () => {
    await takeOver.getByRole("button", { name: "End call" }).click();
    const confirm = page.getByTestId("end-call-confirm");
    await expect(confirm.getByRole("heading", { name: "End this call?" })).toBeVisible();
    await confirm.getByRole("button", { name: "Keep the call" }).click();
    await expect(confirm).not.toBeVisible();
    expect(call.output()).not.toContain("control →");
    expect(call.running).toBe(true);
  });

  await test.step("confirmed by keyboard, the call is ended through its control URL", async () => {
    await takeOver.getByRole("button", { name: "End call" }).click();
    const confirm = page.getByTestId("end-call-confirm");
    await confirm.getByRole("button", { name: "End call" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByText("The call is being ended.")).toBeVisible();
    await expect.poll(() => call.output()).toContain(`${vapiCallId}  control → end-call`);
    await call.finished;
    expect(call.output()).toContain("taken over from the dashboard (ended)");
    await expect(drawer.getByTestId("take-over")).toHaveCount(0, { timeout: 20_000 });
  });
});

test("staff transfer a live call to the front desk; the call shows where it went", async ({ page }) => {
  test.setTimeout(120_000);
  const { call, vapiCallId, drawer } = await openLiveCall(page, 42);
  const transfer = drawer.getByTestId("take-over").getByRole("button", { name: "Transfer to me" });

  // No confirmation: a transfer keeps the caller on the line.
  await transfer.click();
  await expect(page.getByText("Transferring the call to +1 212 555 0147.")).toBeVisible();
  await expect.poll(() => call.output()).toContain(`${vapiCallId}  control → transfer to +12125550147`);
  await call.finished;
  expect(call.output()).toContain("taken over from the dashboard (transferred to +12125550147)");

  // The end-of-call report arrives: the take-over controls go, and the call says where it went.
  await expect(drawer.getByTestId("take-over")).toHaveCount(0, { timeout: 20_000 });
  await expect(drawer.getByRole("definition").filter({ hasText: "Transferred to the clinic" })).toBeVisible();
  await expect(drawer.getByRole("term").filter({ hasText: /^Transferred to$/ })).toBeVisible();
  await expect(drawer.getByRole("definition").filter({ hasText: "Transferred by the clinic from the dashboard" })).toContainText("+1 212 555 0147");
});
