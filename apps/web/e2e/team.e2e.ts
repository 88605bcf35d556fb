import { type Browser, expect, type Page, test } from "@playwright/test";
import { newClinic, signUp } from "./helpers";

/*
 * Team, account and audit against the e2e API, which has no SMTP_URL: every email lands in the
 * development outbox, whose links open this dashboard (PUBLIC_WEB_URL).
 */

const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function open(page: Page, label: string, path: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
}

/** The first link of the newest email to `to` in the outbox (refreshing until it has arrived). */
async function outboxLink(page: Page, to: string, subject: RegExp): Promise<string> {
  await page.goto("/outbox");
  const email = page.getByTestId("outbox-email").filter({ hasText: to }).filter({ hasText: subject }).first();
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(email).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  const href = await email.getByTestId("outbox-link").first().getAttribute("href");
  expect(href).toBeTruthy();
  return href!;
}

async function signIn(browser: Browser, email: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  return { context, page };
}

test("invite → accept through the outbox link → staff; a revoked invite is refused; the last owner stays; password reset works once; the audit log shows it all", async ({
  page,
  browser,
}) => {
  // One story across several browser contexts: longer than the default per-test budget.
  test.setTimeout(180_000);
  const clinic = newClinic("Harbour Physio");
  await signUp(page, clinic);
  const staffEmail = `nurse.${uid()}@harbour.test`;
  const revokedEmail = `temp.${uid()}@harbour.test`;

  await test.step("the owner invites a staff member and another person from the Team page", async () => {
    await open(page, "Team", "/team");
    await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
    await expect(page.getByTestId("no-invites")).toBeVisible();
    const form = page.getByRole("form", { name: "Invite someone" });
    await form.getByLabel("Email").fill("not-an-email");
    await form.getByRole("button", { name: "Send invite" }).click();
    await expect(form.getByText("Enter a valid email address")).toBeVisible();
    await form.getByLabel("Email").fill(staffEmail);
    await form.getByLabel("Role").selectOption("staff");
    await form.getByRole("button", { name: "Send invite" }).click();
    await expect(page.getByTestId(`invite-${staffEmail}`)).toContainText("Pending");
    await form.getByLabel("Email").fill(revokedEmail);
    await form.getByRole("button", { name: "Send invite" }).click();
    await expect(page.getByTestId(`invite-${revokedEmail}`)).toBeVisible();
  });

  const revokedLink = await outboxLink(page, revokedEmail, /invited you/);
  const inviteLink = await outboxLink(page, staffEmail, /invited you/);
  expect(inviteLink).toContain("/accept-invite?token=");

  await test.step("the owner revokes one invite; its link is refused", async () => {
    await open(page, "Team", "/team");
    await page.getByRole("button", { name: `Revoke the invite to ${revokedEmail}` }).click();
    await expect(page.getByTestId(`invite-${revokedEmail}`)).toBeHidden();
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(revokedLink);
    await expect(other.getByTestId("invite-problem")).toContainText("no longer valid");
    await context.close();
  });

  await test.step("the invitee accepts through the outbox link and is signed in as staff", async () => {
    const context = await browser.newContext();
    const invitee = await context.newPage();
    await invitee.goto(inviteLink);
    await expect(invitee.getByTestId("invite-summary")).toContainText(clinic.name);
    await expect(invitee.getByTestId("invite-summary")).toContainText("as staff");
    await invitee.getByLabel("Your name").fill("Nia Brooks");
    await invitee.getByLabel("Choose a password").fill("nia's first password");
    await invitee.getByRole("button", { name: `Join ${clinic.name}` }).click();
    await expect(invitee).toHaveURL(/\/overview$/);
    await expect(invitee.getByTestId("user-role").first()).toHaveText("Staff");
    // Staff do not manage the team.
    await expect(invitee.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Team" })).toHaveCount(0);
    // The link worked once.
    await invitee.goto(inviteLink);
    await expect(invitee.getByTestId("invite-problem")).toContainText("no longer valid");
    await context.close();
  });

  await test.step("the new member signs in again with their password, as staff", async () => {
    const { context, page: member } = await signIn(browser, staffEmail, "nia's first password");
    await expect(member).toHaveURL(/\/overview$/);
    await expect(member.getByTestId("user-role").first()).toHaveText("Staff");
    await context.close();
  });

  await test.step("the last owner cannot be demoted", async () => {
    await open(page, "Team", "/team");
    const me = page.getByTestId(`member-${clinic.email}`);
    await me.getByLabel(`Role of ${clinic.owner}`).selectOption("admin");
    await expect(me.getByRole("alert")).toContainText("A clinic needs an owner");
    await page.reload();
    await expect(page.getByTestId(`member-${clinic.email}`).getByLabel(`Role of ${clinic.owner}`)).toHaveValue("owner");
    await expect(page.getByTestId(`member-${staffEmail}`).getByLabel("Role of Nia Brooks")).toHaveValue("staff");
  });

  await test.step("forgot password: the link works once and is dead the second time", async () => {
    const context = await browser.newContext();
    const visitor = await context.newPage();
    await visitor.goto("/signin");
    await visitor.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(visitor).toHaveURL(/\/forgot-password$/);
    await visitor.getByLabel("Email").fill(staffEmail);
    await visitor.getByRole("button", { name: "Email me a reset link" }).click();
    await expect(visitor.getByTestId("reset-sent")).toContainText(staffEmail);

    const resetLink = await outboxLink(page, staffEmail, /Reset your Voxanne password/);
    await visitor.goto(resetLink);
    await visitor.getByLabel("New password").fill("nia's second password");
    await visitor.getByRole("button", { name: "Set new password" }).click();
    await expect(visitor.getByTestId("reset-done")).toBeVisible();

    await visitor.goto(resetLink);
    await visitor.getByLabel("New password").fill("someone else's password");
    await visitor.getByRole("button", { name: "Set new password" }).click();
    await expect(visitor.getByTestId("reset-problem")).toContainText("no longer valid");
    await context.close();

    const old = await signIn(browser, staffEmail, "nia's first password");
    await expect(old.page.getByText("Incorrect email or password.")).toBeVisible();
    await old.context.close();
    const fresh = await signIn(browser, staffEmail, "nia's second password");
    await expect(fresh.page).toHaveURL(/\/overview$/);
    await fresh.context.close();
  });

  await test.step("the audit log shows these changes, filters by action and person, and exports CSV", async () => {
    await open(page, "Audit log", "/audit");
    const table = page.getByTestId("audit-table");
    for (const action of ["Team: invited", "Team: invite revoked", "Team: invite accepted", "Auth: password reset requested", "Auth: password reset"]) {
      await expect(
        table
          .getByTestId("audit-action")
          .filter({ hasText: new RegExp(`^${action}$`) })
          .first(),
      ).toBeVisible();
    }
    await page.getByLabel("Action").selectOption({ label: "Team: invite revoked" });
    await expect(page.getByTestId("audit-row")).toHaveCount(1);
    await expect(page.getByTestId("audit-details")).toContainText(revokedEmail);

    await page.getByLabel("Action").selectOption({ label: "All actions" });
    await page.getByLabel("Person").selectOption({ label: "Nia Brooks" });
    await expect(page.getByTestId("audit-action").filter({ hasText: /^Team: invite accepted$/ })).toHaveCount(1);
    await expect(page.getByTestId("audit-action").filter({ hasText: /^Team: invited$/ })).toHaveCount(0);

    const download = page.waitForEvent("download");
    await page.getByTestId("audit-export").click();
    const file = await (await download).path();
    const { readFileSync } = await import("node:fs");
    const csv = readFileSync(file, "utf8");
    expect(csv.split("\n")[0]).toBe("time (UTC),person,email,action,target type,target id,IP,details");
    expect(csv).toContain("team.invite_accepted");
    expect(csv).toContain("auth.password_reset");
    expect(csv).not.toContain("team.invited");
  });
});
