import { expect, test } from "@playwright/test";
import { newClinic, signUp } from "./helpers";
import { signInAsDemoOwner, simulateCall, stopAllSimulations } from "./simulator";

/*
 * The overview's live feed in the clinic's words: bookings as "Booked Botox for Tue 3 PM", never
 * event names ("appointment.booked") or ISO timestamps; and "Live" only when patients' calls can
 * reach the receptionist, otherwise what to connect and where. Callers 22 and 24 are fresh
 * simulated patients (apps/api/src/simulator/identity.ts).
 */

test.afterEach(() => stopAllSimulations());

const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const EVENT_NAME = /\b(call|appointment|contact|agent)\.(started|updated|ended|booked|cancelled|sync|transcript)\b|Call (started|updated)|Contact updated/;

test("a clinic without a phone number is not shown as live, and is told what to connect", async ({ page }) => {
  await signUp(page, newClinic("Unconnected Clinic"));
  const feed = page.getByRole("region", { name: "Live feed" });
  const badge = feed.getByTestId("live-status");
  // The feed itself is connected, but no number brings calls in: no "Live".
  await expect(badge).toHaveAttribute("data-status", "open");
  await expect(badge).toHaveAttribute("data-phone", "none");
  await expect(badge).toContainText("No phone number");
  await expect(badge).not.toContainText("Live");
  const connect = feed.getByTestId("live-feed-connect");
  await expect(connect).toContainText("connect a phone number");
  await connect.getByRole("link", { name: "Connect a phone number" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
});

test("the feed tells a booking as the clinic would say it, with no event names or ISO timestamps", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsDemoOwner(page);
  const feed = page.getByRole("region", { name: "Live feed" });
  await expect(feed.getByTestId("live-status")).toHaveAttribute("data-status", "open");

  const call = simulateCall({ scenario: "new-patient-books", caller: 22, speed: 6 });
  await call.finished;
  const booking = feed.getByTestId("feed-entry").filter({ hasText: "Booking" }).first();
  // "Booked Botox for Tue 3 PM" (or "Dec 8, 3 PM" when a week or more away): the treatment and a spoken time.
  await expect(booking).toContainText(/Booked Botox for ((Mon|Tue|Wed|Thu|Fri|Sat|Sun)|[A-Z][a-z]{2} \d{1,2},) \d{1,2}(:\d{2})? (AM|PM)/);
  await expect(booking).toContainText("Booked by your receptionist");
  await expect(
    feed
      .getByTestId("feed-entry")
      .filter({ hasText: /Call with .+ ended/ })
      .first(),
  ).toContainText("Booked");

  // A caller who only asked what a treatment costs.
  const priceCall = simulateCall({ scenario: "price-question", caller: 24, speed: 6 });
  await priceCall.finished;
  await expect(
    feed
      .getByTestId("feed-entry")
      .filter({ hasText: /Call with .+ ended/ })
      .filter({ hasText: "Caller asked for a price" }),
  ).toHaveCount(1);

  const text = await feed.innerText();
  expect(text).not.toMatch(ISO_TIMESTAMP);
  expect(text).not.toMatch(EVENT_NAME);
});
