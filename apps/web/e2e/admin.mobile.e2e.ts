import { expect, test } from "@playwright/test";
import { signIn, voxanne } from "./operator";
import { newClinic, signUp } from "./helpers";

test("at 375 px an operator reaches Admin from the menu; the clinics table scrolls inside its frame, the page does not", async ({ page }) => {
  const ops = newClinic("Voxanne Ops Mobile");
  await signUp(page, ops);
  await voxanne(["set-operator", "--email", ops.email]);
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, ops);

  await page.getByRole("button", { name: "Open navigation menu" }).click();
  await page.getByRole("dialog", { name: "Navigation" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Platform admin" })).toBeVisible();
  await expect(page.getByTestId("admin-clinics")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.getByRole("button", { name: ops.name }).click();
  await expect(page.getByRole("form", { name: "Suspend clinic" })).toBeVisible();
});
