import { expect, test } from "@playwright/test";
import { signInAsDemoOwner } from "./simulator";

const sidewaysOverflow = (page: import("@playwright/test").Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("at 375 px the receptionist page fits the screen, from the menu to the save bar", async ({ page }) => {
  await signInAsDemoOwner(page);
  await page.getByRole("button", { name: "Open navigation menu" }).click();
  await page.getByRole("dialog", { name: "Navigation" }).getByRole("link", { name: "Receptionist" }).click();
  await expect(page).toHaveURL(/\/receptionist$/);
  const panel = page.getByRole("tabpanel", { name: /Inbound/ });
  await expect(panel.getByTestId("sync-status")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Vapi is not connected" })).toBeVisible();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

  // Both tabs side by side within the screen.
  for (const name of [/Inbound/, /Outbound/]) {
    const box = await page.getByRole("tab", { name }).boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  }

  // The save bar stays in reach while editing further down the form.
  await panel.getByLabel("Maximum call length (minutes)").scrollIntoViewIfNeeded();
  await expect(panel.getByRole("button", { name: "Save", exact: true })).toBeInViewport();
  await panel.getByTestId("rendered-prompt").scrollIntoViewIfNeeded();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

  await page.getByRole("tab", { name: /Outbound/ }).click();
  await expect(page.getByRole("tabpanel", { name: /Outbound/ }).getByTestId("sync-status")).toBeVisible();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
});
