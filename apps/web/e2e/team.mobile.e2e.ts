import { expect, type Page, test } from "@playwright/test";
import { newClinic, signUp } from "./helpers";

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("at 375 px the Team, Audit log, Outbox and Account pages fit, and an invite is sent by keyboard alone", async ({ page }) => {
  test.setTimeout(120_000);
  const clinic = newClinic("Bayview Physio");
  await signUp(page, clinic);
  const invitee = `front.${Date.now().toString(36)}@bayview.test`;

  await page.getByRole("button", { name: "Open navigation menu" }).click();
  await page.getByRole("dialog", { name: "Navigation" }).getByRole("link", { name: "Team" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
  await expect(page.getByTestId("members")).toContainText(clinic.email);
  await noSidewaysScroll(page);

  // Keyboard only: focus the email field, type, tab to the button, press Enter.
  const form = page.getByRole("form", { name: "Invite someone" });
  await form.getByLabel("Email").focus();
  await page.keyboard.type(invitee);
  await page.keyboard.press("Tab");
  await expect(form.getByLabel("Role")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(form.getByRole("button", { name: "Send invite" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId(`invite-${invitee}`)).toContainText("Pending");
  await noSidewaysScroll(page);

  for (const [path, heading] of [
    ["/audit", "Audit log"],
    ["/outbox", "Outbox"],
    ["/account", "Account"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await noSidewaysScroll(page);
  }
  await page.goto("/outbox");
  await expect(page.getByTestId("outbox-email").filter({ hasText: invitee })).toBeVisible();
  await noSidewaysScroll(page);
});
