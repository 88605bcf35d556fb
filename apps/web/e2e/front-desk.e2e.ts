import { expect, test } from "@playwright/test";
import { signInAsDemoOwner } from "./simulator";

/*
 * Leads and calls actions against the real API on the embedded demo (no Twilio connected): a CSV
 * import reports exactly its bad rows before anything is written, and a follow-up text says it was
 * not sent and why, with the way to fix it.
 */

const CSV = [
  "Name,Phone,Email",
  "Import One,(212) 555-0901,one@example.com",
  "Missing Phone,,missing@example.com",
  "Import Two,212-555-0902,",
  "Bad Email,212-555-0903,not-an-email",
  "Bad Phone,123,",
].join("\n");

test("a CSV with 3 bad rows reports exactly those rows; the valid ones import when chosen", async ({ page }) => {
  await signInAsDemoOwner(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Leads" })).toBeVisible();
  await expect(page.getByTestId("lead-row").first()).toBeVisible();
  const panel = page.getByTestId("import-panel");
  await panel.getByLabel(/CSV or Excel/).setInputFiles({ name: "patients.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
  await panel.getByRole("button", { name: "Check patients.csv" }).click();
  const errors = panel.getByTestId("import-error");
  await expect(errors).toHaveCount(3);
  await expect(errors.nth(0)).toHaveText(["3", "Phone", "Phone number is missing"].join(""));
  await expect(errors.nth(1)).toHaveText(["5", "Email", '"not-an-email" is not an email address'].join(""));
  await expect(errors.nth(2)).toHaveText(["6", "Phone", '"123" is not a phone number'].join(""));
  await panel.getByRole("button", { name: "Import the 2 valid rows, skip the rest" }).click();
  await expect(panel.getByText("Imported: 2 new, 0 updated; 3 rows skipped.")).toBeVisible();
  await page.getByLabel("Search leads").fill("Import");
  await expect(page.getByTestId("lead-row")).toHaveCount(2);
});

test("a follow-up text without Twilio is recorded as not sent, and the drawer says why and where to connect", async ({ page }) => {
  await signInAsDemoOwner(page);
  await page.goto("/calls");
  await page.getByTestId("call-row").first().getByRole("button").first().click();
  const drawer = page.getByTestId("call-drawer");
  const actions = drawer.getByTestId("call-actions");
  await expect(actions.getByRole("link", { name: /^Call \+/ })).toHaveAttribute("href", /^tel:\+\d+$/);
  await actions.getByLabel("Text the caller").fill("Thanks for calling Sunrise! Reply here with any questions.");
  await actions.getByRole("button", { name: "Send text" }).click();
  const notSent = actions.getByRole("alert");
  await expect(notSent).toContainText("Not sent");
  await expect(notSent).toContainText("Twilio is not connected");
  await expect(notSent.getByRole("link", { name: "Connect Twilio" })).toHaveAttribute("href", "/integrations");
  // The call's messages list shows it too, with its status.
  await expect(
    drawer.getByRole("region", { name: "Messages sent after the call" }).or(drawer.locator("section", { hasText: "Messages sent after the call" })),
  ).toContainText("Thanks for calling Sunrise!");
});
