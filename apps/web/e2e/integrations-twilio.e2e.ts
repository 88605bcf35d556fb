import { expect, test } from "@playwright/test";
import { newClinic, signUp } from "./helpers";
import { signInAsDemoStaff } from "./simulator";

/*
 * The Integrations page against the e2e API, which runs without VAPI_PRIVATE_KEY: Twilio shows as
 * not connected, the connect form checks its fields with the contract and says what the server needs.
 */

test("an owner finds Integrations from Getting started, sees Twilio not connected and why connecting is off", async ({ page }) => {
  const clinic = newClinic("Integrations Clinic");
  await signUp(page, clinic);
  const step = page.getByRole("listitem").filter({ hasText: "Connect your phone number" });
  await step.getByRole("link", { name: "Start" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Integrations" })).toHaveAttribute("aria-current", "page");

  const card = page.getByTestId("twilio-card");
  await expect(card.getByText("Not connected", { exact: true })).toBeVisible();
  await expect(card.getByText("Connecting is off on this server")).toBeVisible();
  await expect(card).toContainText("set VAPI_PRIVATE_KEY");
  await expect(card.getByRole("button", { name: "Connect Twilio" })).toBeDisabled();
  await card.getByLabel("API key").check();
  await expect(card.getByLabel("API key SID")).toBeVisible();
});

test("staff see the Twilio status but no connect form", async ({ page }) => {
  await signInAsDemoStaff(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Integrations" }).click();
  const card = page.getByTestId("twilio-card");
  await expect(card.getByText("Ask your clinic's owner or an admin to connect Twilio.")).toBeVisible();
  await expect(card.getByRole("button", { name: "Connect Twilio" })).toHaveCount(0);
});
