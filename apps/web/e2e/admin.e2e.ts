import { expect, test } from "@playwright/test";
import { newClinic, signUp } from "./helpers";
import { signIn, voxanne } from "./operator";

/*
 * The platform admin: an operator (made with `voxanne set-operator`, the CLI talking to the e2e
 * API's embedded PostgreSQL through DATA_DIR) suspends a clinic with a reason; that clinic's owner
 * sees the banner with the reason and has their save refused; resume restores it. A clinic member
 * sees no Admin entry and the page shows the API's refusal.
 */
test("an operator suspends a clinic with a reason, its owner sees the banner and cannot save, and resume restores it; members see no Admin", async ({
  browser,
}) => {
  const member = newClinic("Harbour Physio");
  const ops = newClinic("Voxanne Ops");
  const reason = `Unpaid invoice ${Date.now().toString(36)}`;
  const memberPage = await (await browser.newContext()).newPage();
  const opsPage = await (await browser.newContext()).newPage();

  await test.step("a clinic member has no Admin entry, and the page shows the API's refusal", async () => {
    await signUp(memberPage, member);
    await expect(memberPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
    await memberPage.goto("/admin");
    await expect(memberPage.getByRole("alert").filter({ hasText: "Only Voxanne platform operators can use this." })).toBeVisible();
  });

  await test.step("an operator sees every clinic with usage and health", async () => {
    await signUp(opsPage, ops);
    await voxanne(["set-operator", "--email", ops.email]);
    await opsPage.getByRole("button", { name: "Sign out" }).click();
    await signIn(opsPage, ops);
    await opsPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await expect(opsPage.getByRole("heading", { level: 1, name: "Platform admin" })).toBeVisible();
    const row = opsPage.getByRole("row").filter({ hasText: member.name });
    await expect(row).toContainText("0 calls");
    await expect(row).toContainText("No receptionist");
  });

  await test.step("suspend needs a reason, then suspends", async () => {
    await opsPage.getByRole("button", { name: member.name }).click();
    const form = opsPage.getByRole("form", { name: "Suspend clinic" });
    await form.getByRole("button", { name: "Suspend clinic" }).click();
    const field = form.getByLabel("Reason for suspending");
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toBeFocused();
    await field.fill(reason);
    await form.getByRole("button", { name: "Suspend clinic" }).click();
    await expect(opsPage.getByRole("region", { name: member.name }).getByRole("status")).toContainText("Suspended");
    await expect(opsPage.getByRole("region", { name: member.name }).getByRole("status")).toContainText(reason);
    await expect(opsPage.getByRole("status").filter({ hasText: `${member.name} is suspended.` })).toBeVisible(); // the toast
    await expect(opsPage.getByRole("row").filter({ hasText: member.name })).toContainText("Suspended");
  });

  await test.step("the suspended clinic's owner reads the reason and cannot save the receptionist", async () => {
    await memberPage.goto("/receptionist");
    await expect(memberPage.getByTestId("suspended-banner")).toContainText(reason);
    const panel = memberPage.getByRole("tabpanel", { name: /Inbound/ });
    await panel.getByLabel("First message", { exact: true }).fill("Hello from a suspended clinic");
    await panel.getByRole("button", { name: "Save", exact: true }).click();
    await expect(memberPage.getByRole("alert").filter({ hasText: "This clinic is suspended" })).toContainText(reason);
  });

  await test.step("resume: the banner goes and saving works again", async () => {
    await opsPage.getByRole("button", { name: "Resume clinic" }).click();
    await expect(opsPage.getByRole("form", { name: "Suspend clinic" })).toBeVisible();
    await memberPage.reload();
    await expect(memberPage.getByTestId("suspended-banner")).toHaveCount(0);
    const panel = memberPage.getByRole("tabpanel", { name: /Inbound/ });
    await panel.getByLabel("First message", { exact: true }).fill("Hello again");
    await panel.getByRole("button", { name: "Save", exact: true }).click();
    await expect(panel.getByTestId("sync-status")).toBeVisible();
    await expect(memberPage.getByRole("alert").filter({ hasText: "This clinic is suspended" })).toHaveCount(0);
  });
});
