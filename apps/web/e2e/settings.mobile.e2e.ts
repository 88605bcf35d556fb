import { expect, type Page, test } from "@playwright/test";
import { signInAsDemoOwner, signInAsDemoStaff } from "./simulator";

const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function openSettings(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Open navigation menu" }).click();
  await page.getByRole("dialog", { name: "Navigation" }).getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { name: "Business hours" })).toBeVisible();
}

test("at 375 px an owner closes Tuesdays on the settings page, and nothing scrolls sideways", async ({ page }) => {
  await signInAsDemoOwner(page);
  await openSettings(page);
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  const form = page.getByRole("form", { name: "Business hours" });
  await form.getByLabel("Open on Tuesday").uncheck();
  const save = form.getByRole("button", { name: "Save business hours" });
  await save.scrollIntoViewIfNeeded();
  await save.click();
  await expect(page.getByText("Business hours saved.")).toBeVisible();
  for (const time of [form.getByLabel("Monday opens at"), form.getByLabel("Monday closes at")]) {
    const box = await time.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  }
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  await page.reload();
  await expect(page.getByRole("form", { name: "Business hours" }).getByLabel("Open on Tuesday")).not.toBeChecked();

  // Back as it was for the other tests.
  await page.getByRole("form", { name: "Business hours" }).getByLabel("Open on Tuesday").check();
  await page.getByRole("form", { name: "Business hours" }).getByLabel("Tuesday closes at").fill("18:00");
  await page.getByRole("button", { name: "Save business hours" }).click();
  await expect(page.getByText("Business hours saved.")).toBeVisible();
});

test("at 375 px staff see the settings read-only", async ({ page }) => {
  await signInAsDemoStaff(page);
  await openSettings(page);
  await expect(page.getByTestId("read-only-note")).toBeVisible();
  await expect(page.getByRole("form", { name: "Business hours" }).getByLabel("Open on Tuesday")).toBeDisabled();
  await expect(page.getByRole("button", { name: /^Save / })).toHaveCount(0);
  await page.getByRole("form", { name: "Transfer and alerts" }).scrollIntoViewIfNeeded();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
});
