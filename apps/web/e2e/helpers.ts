import { expect, type Page } from "@playwright/test";

export type Clinic = { name: string; owner: string; email: string; password: string };

/** A clinic nobody has used yet (runs share nothing, but reruns against one API must not collide). */
export function newClinic(label = "Sunrise Dental"): Clinic {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { name: `${label} ${id}`, owner: "Jane Smith", email: `owner.${id}@sunrise-dental.test`, password: "correct horse battery" };
}

/** `keepChoices`: the sign-up page is already open with other fields (clinic type, currency) chosen. */
export async function signUp(page: Page, clinic: Clinic, options: { keepChoices?: boolean } = {}): Promise<void> {
  if (!options.keepChoices) await page.goto("/signup");
  await page.getByLabel("Clinic name").fill(clinic.name);
  await page.getByLabel("Your name").fill(clinic.owner);
  await page.getByLabel("Work email").fill(clinic.email);
  await page.getByLabel("Password", { exact: true }).fill(clinic.password);
  await page.getByRole("button", { name: "Create clinic account" }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByTestId("org-name")).toHaveText(clinic.name);
}
