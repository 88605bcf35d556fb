import { expect, test } from "@playwright/test";
import { signInAsDemoOwner } from "./simulator";

const sidewaysOverflow = (page: import("@playwright/test").Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("at 375 px the overview and the calls table fit the screen, and a call opens full-width and closes with Escape", async ({ page }) => {
  await signInAsDemoOwner(page);
  await expect(page.getByTestId("kpi-total-calls-value")).toHaveText(/^\d+$/);
  await expect(page.getByRole("region", { name: "Calls over time" })).toBeVisible();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

  // Recent activity links to the call itself: the calls page opens with its drawer.
  const latest = page.getByRole("region", { name: "Recent activity" }).getByRole("listitem").first().getByRole("link");
  await latest.click();
  await expect(page).toHaveURL(/\/calls\?call=[0-9a-f-]{36}$/);
  const linked = page.getByTestId("call-drawer");
  await expect(linked).toBeVisible();
  await expect(linked.getByRole("heading", { level: 2 })).not.toHaveText("Call details");
  // The newest call may be one staff ended before anyone spoke (e2e/take-over.e2e.ts): its drawer says so.
  await expect(linked.getByTestId("transcript").or(linked.getByText("No transcript was recorded for this call."))).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(linked).toBeHidden();
  await expect(page).toHaveURL(/\/calls$/);
  await page.goto("/overview");

  await page.getByRole("button", { name: "Open navigation menu" }).click();
  await page.getByRole("dialog", { name: "Navigation" }).getByRole("link", { name: "Calls" }).click();
  await expect(page).toHaveURL(/\/calls$/);
  const rows = page.getByTestId("call-row");
  await expect(rows).toHaveCount(25);
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  // Outcome stays visible; the start time folds under the caller's name.
  await expect(rows.first().getByText(/Booked|Completed|Missed|Transferred|Emergency/)).toBeVisible();
  await expect(rows.first().locator("time").filter({ visible: true })).toHaveCount(1);

  await page.getByLabel("Status").selectOption("booked");
  await expect(page).toHaveURL(/status=booked/);
  await expect(rows.first()).toContainText("Booked");
  for (const row of await rows.all()) await expect(row).toContainText("Booked");

  const opener = rows.first().locator("button[data-open-call]");
  await opener.click();
  const drawer = page.getByTestId("call-drawer");
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId("transcript")).toBeVisible();
  const box = await drawer.boundingBox();
  expect(box?.width).toBe(375);
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(opener).toBeFocused();
});
