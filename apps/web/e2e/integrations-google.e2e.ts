import { expect, test } from "@playwright/test";
import { signInAsDemoOwner, simulateCall, stopAllSimulations } from "./simulator";

/**
 * The Integrations page with Google Calendar, in Chromium against the fake Google the e2e run
 * starts (playwright.config.ts): connect through Google's consent, see it connected; Google then
 * refuses the token (revoked) while a call asks for availability, so the card and a banner on every
 * page say it needs reconnecting; reconnect from the banner; disconnect. The demo clinic is left
 * disconnected, as the other tests expect it.
 */
const GOOGLE_URL = `http://127.0.0.1:${Number(process.env.E2E_GOOGLE_PORT ?? Number(process.env.E2E_API_PORT ?? 3100) + 3)}`;

test.afterEach(() => stopAllSimulations());

test("Google Calendar: connected, then needs_reconnect with a banner, reconnected, disconnected", async ({ page }) => {
  // Two Google round trips through the consent screen and a simulated call: more than the default minute on a busy machine.
  test.setTimeout(120_000);
  await signInAsDemoOwner(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Integrations" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  const card = page.getByTestId("google-card");
  await expect(card.getByTestId("google-status")).toHaveAttribute("data-status", "not_connected");

  // Connect: our API → Google's consent (the fake consents at once) → our callback → back here.
  await card.getByRole("link", { name: "Connect Google Calendar" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(card.getByTestId("google-outcome")).toHaveText(/^Google Calendar is connected/);
  await expect(card.getByTestId("google-status")).toHaveAttribute("data-status", "active");
  await expect(card.getByTestId("google-status")).toHaveText("Connected");
  await expect(card.getByTestId("google-email")).toHaveText("frontdesk@clinic.example");
  await expect(card.getByTestId("google-calendar")).toHaveText("Primary calendar");
  await expect(page.getByTestId("google-reconnect-banner")).toHaveCount(0);

  // Google revokes the token; the next call that asks for availability finds out (and still books).
  expect((await fetch(`${GOOGLE_URL}/__control/revoke-all`, { method: "POST" })).ok).toBe(true);
  await simulateCall({ scenario: "new-patient-books", caller: 33, speed: 0 }).finished;

  // The refusal is recorded by the call's availability lookup or by the booking's event job, which
  // runs moments later: look again until the page shows it.
  await expect(async () => {
    await page.reload();
    await expect(card.getByTestId("google-status")).toHaveAttribute("data-status", "needs_reconnect", { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(card.getByTestId("google-status")).toHaveText("Needs reconnecting");
  await expect(card.getByTestId("google-last-error")).toContainText("invalid_grant");
  const banner = page.getByTestId("google-reconnect-banner");
  await expect(banner).toContainText("Google Calendar needs reconnecting.");
  // The banner follows the clinic around the dashboard.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(banner).toBeVisible();

  // One click from the banner goes through Google's consent again.
  await banner.getByRole("link", { name: "Reconnect" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(card.getByTestId("google-status")).toHaveAttribute("data-status", "active");
  await expect(banner).toHaveCount(0);

  await card.getByRole("button", { name: "Disconnect" }).click();
  await card.getByRole("button", { name: "Yes, disconnect" }).click();
  await expect(card.getByTestId("google-status")).toHaveAttribute("data-status", "not_connected");
  await expect(card.getByRole("link", { name: "Connect Google Calendar" })).toBeVisible();
});
