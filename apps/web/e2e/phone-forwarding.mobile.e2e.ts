import { expect, test } from "@playwright/test";
import { type FakeTwilioProcess, freshMobile, startFakeTwilio, walkForwardingWizard } from "./fake-twilio";
import { DEMO_OWNER, signInAsDemoOwner } from "./simulator";

const sidewaysOverflow = (page: import("@playwright/test").Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

let twilio: FakeTwilioProcess;
test.beforeAll(async () => {
  twilio = await startFakeTwilio(DEMO_OWNER.email);
});
test.afterAll(async () => {
  await twilio?.stop();
});

test("at 375 px the whole forwarding wizard fits the screen, with a tel: link to dial the code", async ({ page }) => {
  test.setTimeout(150_000); // a long walk with three reloads on a shared machine
  await signInAsDemoOwner(page);
  await page.getByRole("button", { name: "Open navigation menu" }).click();
  await page.getByRole("dialog", { name: "Navigation" }).getByRole("link", { name: "Phone forwarding" }).click();
  await expect(page).toHaveURL(/\/phone-forwarding$/);
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  await walkForwardingWizard(page, freshMobile(), { mobile: true });
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
});
