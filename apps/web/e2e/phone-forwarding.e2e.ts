import { expect, test } from "@playwright/test";
import { type FakeTwilioProcess, freshMobile, startFakeTwilio, twilioValidation, walkForwardingWizard } from "./fake-twilio";
import { DEMO_OWNER, signInAsDemoOwner, signInAsDemoStaff } from "./simulator";

let twilio: FakeTwilioProcess;
test.beforeAll(async () => {
  twilio = await startFakeTwilio(DEMO_OWNER.email);
});
test.afterAll(async () => {
  await twilio?.stop();
});

test("the owner forwards the clinic's own number in five steps, against the fake Twilio (desktop)", async ({ page }) => {
  test.setTimeout(150_000); // a long walk with three reloads on a shared machine
  await signInAsDemoOwner(page);
  await page.getByRole("link", { name: "Phone forwarding" }).click();
  await expect(page).toHaveURL(/\/phone-forwarding$/);
  const phone = freshMobile();
  await walkForwardingWizard(page, phone, { mobile: false });

  // With the clinic's own number forwarded, patients' calls reach the receptionist: the overview says "Live".
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  const badge = page.getByRole("region", { name: "Live feed" }).getByTestId("live-status");
  await expect(badge).toHaveAttribute("data-phone", "connected");
  await expect(badge).toContainText("Live");
  await expect(page.getByTestId("live-feed-connect")).toHaveCount(0);
  await page.getByRole("link", { name: "Phone forwarding" }).click();
  await expect(page.getByTestId("forwarding-active")).toBeVisible();

  // Twilio was asked once to call that number, with the clinic's signed callback URL.
  const asked = await twilioValidation(phone);
  expect(asked.calls).toBe(1);
  expect(asked.statusCallback).toMatch(/\/api\/webhooks\/twilio\/[0-9a-f-]{36}\/caller-id$/);

  // Turning it off shows the erase code.
  await page.getByRole("button", { name: "Turn forwarding off" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Forwarding is off" })).toContainText("##004#");
});

test("staff see the page but cannot start a verification", async ({ page }) => {
  await signInAsDemoStaff(page);
  await page.goto("/phone-forwarding");
  await expect(page.getByTestId("read-only-note")).toBeVisible();
  await expect(page.getByRole("button", { name: "Call me with a code" })).toHaveCount(0);
});
