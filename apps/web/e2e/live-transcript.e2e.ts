import { expect, test } from "@playwright/test";
import { signInAsDemoOwner, simulateCall, stopAllSimulations } from "./simulator";

/*
 * Staff follow a call while it happens: the simulator sends Vapi's `transcript` and
 * `conversation-update` messages through the real webhook, and the lines appear in the open call
 * drawer over the /ws live feed, redacted, before the call ends. Caller 23 is a fresh simulated
 * patient (apps/api/src/simulator/identity.ts).
 */

test.afterEach(() => stopAllSimulations());

test("a simulated call's transcript appears live in the drawer before the call ends", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsDemoOwner(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calls" }).click();
  await expect(page).toHaveURL(/\/calls$/);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "open");

  const call = simulateCall({ scenario: "new-patient-books", caller: 23, speed: 3 });
  const vapiCallId = await call.vapiCallId;
  const row = page.locator(`[data-testid="call-row"][data-vapi-call-id="${vapiCallId}"]`);
  await expect(row).toBeVisible();
  await row.getByRole("button").first().click();
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByTestId("vapi-call-id")).toHaveText(vapiCallId);

  const live = drawer.getByTestId("live-transcript");
  await test.step("the receptionist's and the caller's lines appear as they are said", async () => {
    await expect(live.getByRole("listitem").filter({ hasText: "Receptionist" }).first()).toContainText("Thank you for calling");
    await expect(live.getByRole("listitem").filter({ hasText: "Caller" }).first()).toContainText("Botox for my forehead lines");
    expect(call.running).toBe(true);
  });

  await test.step("a date of birth said on the call is redacted before it reaches the dashboard", async () => {
    // Said a little later in the call (the simulator talks at 3× speed).
    await expect(live).toContainText("[REDACTED DOB]", { timeout: 30_000 });
    await expect(live).not.toContainText("1985");
    // Still live: the caller has not hung up yet.
    expect(call.running).toBe(true);
    await expect(drawer.getByTestId("live-transcript")).toBeVisible();
  });

  await test.step("when the call ends, the stored transcript takes over", async () => {
    await call.finished;
    await expect(drawer.getByTestId("transcript")).toContainText("Checked availability");
    await expect(drawer.getByTestId("live-transcript")).toHaveCount(0);
  });
});
