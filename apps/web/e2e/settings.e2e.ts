import { expect, type Page, test } from "@playwright/test";
import { newClinic, signUp } from "./helpers";
import { signInAsDemoOwner, signInAsDemoStaff } from "./simulator";

async function openSettings(page: Page): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { name: "Business hours" })).toBeVisible();
}

const hours = (page: Page) => page.getByRole("form", { name: "Business hours" });

test("an owner closes Tuesdays and gives Monday a lunch break; the saved hours come back after a reload", async ({ page }) => {
  await signInAsDemoOwner(page);
  await openSettings(page);
  const form = hours(page);
  await expect(form.getByLabel("Open on Tuesday")).toBeChecked();

  await form.getByLabel("Open on Tuesday").uncheck();
  await expect(form.getByTestId("hours-tue")).toContainText("Closed");
  // A closing time before the opening time is caught before anything is sent.
  await form.getByLabel("Monday closes at").fill("08:00");
  await form.getByRole("button", { name: "Save business hours" }).click();
  await expect(form.getByTestId("hours-mon")).toContainText("The closing time must be after the opening time");
  // Focus lands on the day with the problem.
  await expect(form.getByLabel("Monday opens at")).toBeFocused();

  await form.getByLabel("Monday closes at").fill("12:00");
  await form.getByRole("button", { name: "Add hours on Monday" }).click();
  await form.getByLabel("Monday opens at (range 2)").fill("13:00");
  await form.getByLabel("Monday closes at (range 2)").fill("18:00");
  await form.getByRole("button", { name: "Save business hours" }).click();
  await expect(page.getByText("Business hours saved.")).toBeVisible();

  await page.reload();
  await expect(hours(page).getByLabel("Open on Tuesday")).not.toBeChecked();
  await expect(hours(page).getByLabel("Monday closes at (range 1)")).toHaveValue("12:00");
  await expect(hours(page).getByLabel("Monday opens at (range 2)")).toHaveValue("13:00");
  const saved = await page.evaluate(async () => (await (await fetch("/api/settings")).json()).hours);
  expect(saved.tue).toEqual([]);
  expect(saved.mon).toEqual([
    { start: "09:00", end: "12:00" },
    { start: "13:00", end: "18:00" },
  ]);

  // A holiday, then the demo clinic's hours as they were (other tests book against them).
  const overrides = page.getByRole("form", { name: "Holidays and special hours" });
  await overrides.getByRole("button", { name: "Add a date" }).click();
  await overrides.getByLabel("Date 1").fill("2026-12-25");
  await overrides.getByLabel(/^Note for/).fill("Christmas Day");
  await overrides.getByRole("button", { name: "Save holidays and special hours" }).click();
  await expect(page.getByText("Date overrides saved.")).toBeVisible();
  const restored = await page.evaluate(async () => {
    const res = await fetch("/api/settings", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        hours: {
          mon: [{ start: "09:00", end: "18:00" }],
          tue: [{ start: "09:00", end: "18:00" }],
          wed: [{ start: "09:00", end: "18:00" }],
          thu: [{ start: "09:00", end: "20:00" }],
          fri: [{ start: "09:00", end: "17:00" }],
          sat: [{ start: "10:00", end: "14:00" }],
          sun: [],
        },
        dateOverrides: [],
      }),
    });
    return res.status;
  });
  expect(restored).toBe(200);
});

test("an invalid transfer number is refused on the field with what to write", async ({ page }) => {
  await signInAsDemoOwner(page);
  await openSettings(page);
  const form = page.getByRole("form", { name: "Transfer and alerts" });
  await form.getByLabel("Transfer number").fill("212 555");
  await form.getByRole("button", { name: "Save transfer and alerts" }).click();
  await expect(form.getByText(/E\.164 format/)).toBeVisible();
  await expect(form.getByLabel("Transfer number")).toBeFocused();
});

test("an owner sets quiet hours, reminders and the booking confirmation for texts; a fourth reminder is refused on the field", async ({ page }) => {
  await signUp(page, newClinic("Harbour Texts"));
  await openSettings(page);
  const form = page.getByRole("form", { name: "Text messages" });
  await expect(form.getByLabel("Reminders (minutes before)")).toHaveValue("1440, 120");
  await form.getByLabel("Reminders (minutes before)").fill("2880, 1440, 120, 30");
  await form.getByRole("button", { name: "Save text messages" }).click();
  await expect(form.getByText("At most 3 reminders per appointment")).toBeVisible();
  await expect(form.getByLabel("Reminders (minutes before)")).toBeFocused();

  await form.getByLabel("Reminders (minutes before)").fill("60, 2880");
  await form.getByLabel("Quiet hours start").fill("22:30");
  await form.getByLabel("Most texts per hour").fill("120");
  await form.getByRole("switch", { name: "Confirm bookings by text" }).click();
  await form.getByRole("button", { name: "Save text messages" }).click();
  await expect(page.getByText("Text message settings saved.")).toBeVisible();

  await page.reload();
  const saved = page.getByRole("form", { name: "Text messages" });
  await expect(saved.getByLabel("Reminders (minutes before)")).toHaveValue("2880, 60");
  await expect(saved.getByLabel("Quiet hours start")).toHaveValue("22:30");
  await expect(saved.getByLabel("Most texts per hour")).toHaveValue("120");
  await expect(saved.getByRole("switch", { name: "Confirm bookings by text" })).toHaveAttribute("aria-checked", "false");
});

test("staff see the settings read-only, and the API refuses their change", async ({ page }) => {
  await signInAsDemoStaff(page);
  await openSettings(page);
  await expect(page.getByTestId("read-only-note")).toHaveText("Only the clinic's owner or an admin can change the settings.");
  await expect(hours(page).getByLabel("Open on Monday")).toBeChecked();
  await expect(hours(page).getByLabel("Open on Monday")).toBeDisabled();
  await expect(hours(page).getByLabel("Monday opens at")).toBeDisabled();
  await expect(page.getByRole("form", { name: "Clinic profile" }).getByLabel("Clinic name")).toHaveValue("Sunrise Aesthetics Clinic");
  await expect(page.getByRole("form", { name: "Clinic profile" }).getByLabel("Clinic name")).toBeDisabled();
  await expect(page.getByRole("button", { name: /^Save / })).toHaveCount(0);

  const refused = await page.evaluate(async () => {
    const res = await fetch("/api/settings", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ booking: { slotMinutes: 15 } }),
    });
    return { status: res.status, body: (await res.json()) as { error: { code: string } } };
  });
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe("role_not_allowed");
});

test("a new dental clinic's checklist leads to its settings and its dental price list in pounds", async ({ page }) => {
  const clinic = newClinic("Checklist Dental");
  await page.goto("/signup");
  await page.getByLabel("Type of clinic").selectOption("dental");
  await page.getByLabel("Currency").selectOption("GBP");
  await signUp(page, clinic, { keepChoices: true });

  const hoursStep = page.getByRole("listitem").filter({ hasText: "Set business hours and booking rules" });
  await expect(hoursStep).toContainText("(to do)");
  await hoursStep.getByRole("link", { name: /Start/ }).click();
  await expect(page).toHaveURL(/\/settings#hours$/);
  await hours(page).getByRole("button", { name: "Save business hours" }).click();
  await expect(page.getByText("Business hours saved.")).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: "Set business hours and booking rules" })).toContainText("(done)");
  await page.getByRole("listitem").filter({ hasText: "Check your services and prices" }).getByRole("link", { name: /Start/ }).click();
  await expect(page).toHaveURL(/\/services$/);
  const cleaning = page.getByTestId("service-row").filter({ hasText: "Check-up and Cleaning" });
  await expect(cleaning.getByTestId("service-price")).toHaveText("£60");
  await expect(page.getByTestId("service-row").filter({ hasText: "Botox" })).toHaveCount(0);
});
