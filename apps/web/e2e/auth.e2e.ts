import { expect, test } from "@playwright/test";
import { newClinic, signUp } from "./helpers";

test("a clinic signs up, works in its dashboard, signs out and signs back in", async ({ page }) => {
  const clinic = newClinic();

  await test.step("a signed-out visitor of the dashboard lands on sign-in", async () => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin$/);
    await expect(page.getByRole("heading", { name: "Sign in to your clinic" })).toBeVisible();
  });

  await test.step("sign up a new clinic", async () => {
    await page.getByRole("link", { name: "Create your clinic account" }).click();
    await expect(page).toHaveURL(/\/signup$/);
    await page.getByLabel("Clinic name").fill(clinic.name);
    await page.getByLabel("Your name").fill(clinic.owner);
    await page.getByLabel("Work email").fill(clinic.email);
    await page.getByLabel("Password", { exact: true }).fill(clinic.password);
    // Defaults to the browser's zone (the test browser runs in America/New_York).
    await expect(page.getByLabel("Clinic time zone")).toHaveValue("America/New_York");
    await page.getByRole("button", { name: "Create clinic account" }).click();
  });

  await test.step("the shell shows the new organization, the user and the real setup state", async () => {
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByTestId("org-name")).toHaveText(clinic.name);
    await expect(page.getByTestId("user-email").filter({ visible: true })).toHaveText(clinic.email);
    await expect(page.getByTestId("user-role").filter({ visible: true })).toHaveText("Owner");
    await expect(page.getByRole("heading", { level: 1, name: "Welcome, Jane" })).toBeVisible();
    await expect(page.getByTestId("clinic-timezone")).toHaveText("America/New_York");
    await expect(page.getByTestId("setup-progress")).toHaveText(/^2 of \d+ done$/);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  });

  await test.step("a signed-in visitor of /signin goes back to the dashboard", async () => {
    await page.goto("/signin");
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByTestId("org-name")).toHaveText(clinic.name);
  });

  await test.step("when the access cookie has lapsed, the refresh cookie renews the session silently", async () => {
    // The access cookie expires with its token after an hour; the refresh cookie (scoped to /api/auth) lives on.
    await page.context().clearCookies({ name: "vox_access" });
    await page.goto("/overview");
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByTestId("org-name")).toHaveText(clinic.name);
  });

  await test.step("sign out ends the session", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await page.goto("/overview");
    await expect(page).toHaveURL(/\/signin$/);
    const me = await page.request.get("/api/auth/me");
    expect(me.status()).toBe(401);
  });

  await test.step("a wrong password is refused without saying which part was wrong", async () => {
    await page.getByLabel("Email").fill(clinic.email);
    await page.getByLabel("Password", { exact: true }).fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toContainText("Incorrect email or password");
    await expect(page).toHaveURL(/\/signin$/);
  });

  await test.step("sign in again and land in the same clinic", async () => {
    await page.getByLabel("Password", { exact: true }).fill(clinic.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByTestId("org-name")).toHaveText(clinic.name);
    await expect(page.getByTestId("user-email").filter({ visible: true })).toHaveText(clinic.email);
  });
});

test("sign-up explains what to fix: invalid fields, and details it cannot create an account with (without saying the email is taken)", async ({ page }) => {
  const clinic = newClinic("Harbor Physio");
  await signUp(page, clinic);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);

  await page.goto("/signup");
  await page.getByLabel("Clinic name").fill("X");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create clinic account" }).click();
  await expect(page.getByText("Clinic name must be at least 2 characters")).toBeVisible();
  await expect(page.getByText("Enter a valid email address, like name@clinic.com")).toBeVisible();
  await expect(page.getByText("Password must be at least 8 characters")).toBeVisible();
  // Focus moves to the first field that needs fixing.
  await expect(page.getByLabel("Clinic name")).toBeFocused();
  await expect(page.getByLabel("Clinic name")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Clinic name").fill("Another Clinic");
  await page.getByLabel("Work email").fill(clinic.email.toUpperCase());
  await page.getByLabel("Password", { exact: true }).fill("another password");
  await page.getByRole("button", { name: "Create clinic account" }).click();
  const alert = page.locator("form").getByRole("alert");
  await expect(alert).toContainText("We couldn't create an account with these details");
  await expect(alert).not.toContainText(/exists|taken|registered/);
  await alert.getByRole("link", { name: "sign in instead" }).click();
  await expect(page).toHaveURL(/\/signin\?email=/);
  await expect(page.getByLabel("Email")).toHaveValue(clinic.email);
});

test("when the API cannot be reached the dashboard says so and recovers on retry", async ({ page }) => {
  await signUp(page, newClinic("Lakeside Dermatology"));

  // The API going away: the proxy answers for it with a gateway error that has no API error body.
  await page.route("**/api/auth/me", (route) => route.fulfill({ status: 502, contentType: "text/plain", body: "Bad gateway" }));
  await page.reload();
  await expect(page.getByRole("heading", { name: "We couldn't load your dashboard" })).toBeVisible();
  await expect(page.getByText("We can't reach the Voxanne service right now")).toBeVisible();

  await page.unroute("**/api/auth/me");
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Welcome, Jane" })).toBeVisible();
});
