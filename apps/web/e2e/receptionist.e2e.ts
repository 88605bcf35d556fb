import { randomUUID } from "node:crypto";
import { expect, type Page, test, type WebSocketRoute } from "@playwright/test";
import { newClinic, signUp } from "./helpers";
import { documentMark, markDocument, signInAsDemoOwner, signInAsDemoStaff } from "./simulator";

/*
 * The Receptionist page against the e2e API, which runs without VAPI_PRIVATE_KEY: everything saves,
 * with sync status "Not configured", and the test calls say why they are unavailable.
 */

async function openReceptionist(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Receptionist" }).click();
  await expect(page).toHaveURL(/\/receptionist$/);
  await expect(page.getByRole("heading", { level: 1, name: "Receptionist" })).toBeVisible();
}

test("the owner edits the inbound receptionist: field errors, save without Vapi, preview and reload show the change", async ({ page }) => {
  await signInAsDemoOwner(page);
  await openReceptionist(page);
  const panel = page.getByRole("tabpanel", { name: /Inbound/ });
  const status = panel.getByTestId("sync-status");
  const firstMessage = `Good morning, Sunrise Aesthetics, this is Ava. How can I help? (${Date.now().toString(36)})`;

  await test.step("Vapi is not connected: the page says what to set, and the test calls say why they are off", async () => {
    await expect(page.getByRole("status").filter({ hasText: "Vapi is not connected" })).toContainText("set VAPI_PRIVATE_KEY");
    await expect(page.getByRole("tab", { name: /Inbound/ })).toHaveAttribute("aria-selected", "true");
    await expect(panel.getByRole("button", { name: "Call my phone" })).toBeDisabled();
    await expect(panel.getByRole("button", { name: "Web test" })).toBeDisabled();
    await expect(panel.getByLabel("Your phone number")).toBeDisabled();
    await expect(panel.getByTestId("tests-unavailable")).toContainText("set VAPI_PRIVATE_KEY");
    await expect(panel.getByTestId("rendered-prompt")).toContainText("# Clinic facts");
  });

  await test.step("a maximum call length of 0 is refused on the field, and nothing is saved", async () => {
    const duration = panel.getByLabel("Maximum call length (minutes)");
    await duration.fill("0");
    await panel.getByRole("button", { name: "Save", exact: true }).click();
    await expect(duration).toHaveAttribute("aria-invalid", "true");
    await expect(duration).toBeFocused();
    await expect(panel.getByText("Enter a length from 1 to 60 minutes")).toBeVisible();
    await duration.fill("12");
    await expect(panel.getByText("Enter a length from 1 to 60 minutes")).toBeHidden();
  });

  await test.step("change the first message, voice and an end-call phrase, and save", async () => {
    await panel.getByLabel("First message", { exact: true }).fill(firstMessage);
    await panel.getByLabel("Voice", { exact: true }).selectOption({ label: "Nova — warm (OpenAI)" });
    const phrase = panel.getByLabel("End-call phrases", { exact: true });
    await phrase.fill("take care now");
    await phrase.press("Enter");
    await expect(panel.getByTestId("end-call-phrases")).toContainText("take care now");
    await expect(panel.getByText("You have unsaved changes.")).toBeVisible();
    await panel.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("Inbound receptionist saved")).toBeVisible();
    await expect(status).toHaveAttribute("data-status", "not_configured");
    await expect(status).toHaveText("Not configured");
    await expect(panel.getByTestId("preview-first-message")).toContainText(firstMessage);
    await expect(panel.getByText("You have unsaved changes.")).toBeHidden();
    await expect(panel.getByRole("button", { name: "Save", exact: true })).toBeFocused();
  });

  await test.step("after a reload the saved settings are what the page shows", async () => {
    await page.reload();
    await expect(panel.getByLabel("First message", { exact: true })).toHaveValue(firstMessage);
    await expect(panel.getByLabel("Voice", { exact: true })).toHaveValue("openai|nova");
    await expect(panel.getByLabel("Maximum call length (minutes)")).toHaveValue("12");
    await expect(panel.getByTestId("end-call-phrases")).toContainText("take care now");
    await expect(panel.getByTestId("preview-first-message")).toContainText(firstMessage);
    await expect(status).toHaveText("Not configured");
  });
});

test("the outbound receptionist gets its own instructions instead of the template; tabs work by keyboard", async ({ page }) => {
  await signInAsDemoOwner(page);
  await openReceptionist(page);
  const inboundTab = page.getByRole("tab", { name: /Inbound/ });
  await inboundTab.focus();
  await page.keyboard.press("ArrowRight");
  const outboundTab = page.getByRole("tab", { name: /Outbound/ });
  await expect(outboundTab).toBeFocused();
  await expect(outboundTab).toHaveAttribute("aria-selected", "true");
  await expect(page).toHaveURL(/\/receptionist\?role=outbound$/);
  const panel = page.getByRole("tabpanel", { name: /Outbound/ });

  const template = panel.getByRole("switch", { name: "Use the template for my clinic" });
  await expect(template).toHaveAttribute("aria-checked", "true");
  await expect(panel.getByLabel("Your instructions")).toHaveCount(0);
  await template.click();
  await expect(template).toHaveAttribute("aria-checked", "false");
  const own = "You call patients back about their enquiries. Be brief and friendly.";
  await panel.getByLabel("Your instructions").fill(own);
  await panel.getByRole("switch", { name: "HIPAA mode" }).click();
  await expect(panel.getByText("Vapi does not record while HIPAA mode is on")).toBeVisible();
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Outbound receptionist saved")).toBeVisible();

  const prompt = panel.getByTestId("rendered-prompt");
  await expect(prompt).toContainText(own);
  await expect(prompt).toContainText("# Clinic facts");
  await expect(panel.getByTestId("prompt-preview")).toContainText("with your own instructions");

  // Back to the template: `systemPrompt: null`.
  await panel.getByRole("switch", { name: "Use the template for my clinic" }).click();
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  await expect(panel.getByTestId("prompt-preview")).toContainText("from the template for your clinic");
  await expect(prompt).not.toContainText(own);
  await expect(panel.getByRole("switch", { name: "HIPAA mode" })).toHaveAttribute("aria-checked", "true");

  // The inbound one was left alone, and the address opens the outbound one.
  await page.reload();
  await expect(page.getByRole("tab", { name: /Outbound/ })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tabpanel", { name: /Outbound/ }).getByRole("switch", { name: "HIPAA mode" })).toHaveAttribute("aria-checked", "true");
});

test("the sync status follows agent.sync live events without a reload", async ({ page }) => {
  let feed: WebSocketRoute | null = null;
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    ws.connectToServer();
    feed = ws;
  });
  await signInAsDemoOwner(page);
  const me = (await (await page.request.get("/api/auth/me")).json()) as { organization: { id: string } };
  await openReceptionist(page);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "open");
  const panel = page.getByRole("tabpanel", { name: /Inbound/ });
  const status = panel.getByTestId("sync-status");
  await expect(status).toBeVisible();
  const mark = await markDocument(page);

  const send = (data: { syncStatus: string; syncError: string | null; lastSyncedAt: string | null }) =>
    feed!.send(
      JSON.stringify({ id: randomUUID(), type: "agent.sync", orgId: me.organization.id, at: new Date().toISOString(), data: { role: "inbound", ...data } }),
    );

  send({ syncStatus: "syncing", syncError: null, lastSyncedAt: null });
  await expect(status).toHaveAttribute("data-status", "syncing");
  await expect(status).toHaveText("Syncing");

  send({ syncStatus: "failed", syncError: "Vapi answered 400: voice.voiceId must be one of the available voices", lastSyncedAt: "2026-01-05T15:04:00.000Z" });
  await expect(status).toHaveText("Failed");
  await expect(panel.getByTestId("sync-error")).toHaveText("Vapi answered 400: voice.voiceId must be one of the available voices");
  await expect(panel.getByTestId("last-synced")).toContainText("Last synced");
  // The outbound receptionist was not touched.
  await page.getByRole("tab", { name: /Outbound/ }).click();
  await expect(page.getByRole("tabpanel", { name: /Outbound/ }).getByTestId("sync-status")).toHaveAttribute("data-status", "not_configured");
  expect(await documentMark(page)).toBe(mark);
});

test("staff see the receptionist read-only: disabled inputs, no save or test calls, and the API refuses a change", async ({ page }) => {
  await signInAsDemoStaff(page);
  await openReceptionist(page);
  await expect(page.getByTestId("read-only-note")).toHaveText("Only the clinic's owner or an admin can change the receptionist.");
  const panel = page.getByRole("tabpanel", { name: /Inbound/ });
  await expect(panel.getByLabel("Name", { exact: true })).toBeDisabled();
  await expect(panel.getByLabel("First message", { exact: true })).toBeDisabled();
  await expect(panel.getByLabel("Voice", { exact: true })).toBeDisabled();
  await expect(panel.getByLabel("Maximum call length (minutes)")).toBeDisabled();
  await expect(panel.getByRole("switch", { name: "HIPAA mode" })).toBeDisabled();
  await expect(panel.getByRole("switch", { name: "Use the template for my clinic" })).toBeDisabled();
  await expect(panel.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
  await expect(panel.getByRole("button", { name: "Call my phone" })).toHaveCount(0);
  await expect(panel.getByRole("button", { name: "Web test" })).toHaveCount(0);
  await expect(panel.getByTestId("sync-status")).toBeVisible();
  await expect(panel.getByTestId("rendered-prompt")).toContainText("# Clinic facts");

  // The page only reflects the rule: the API enforces it.
  const refused = await page.evaluate(async () => {
    const res = await fetch("/api/agents/inbound", { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });
    return { status: res.status, body: (await res.json()) as { error: { code: string } } };
  });
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe("role_not_allowed");
});

test("the receptionist page says when it cannot load, and recovers on retry", async ({ page }) => {
  await signInAsDemoOwner(page);
  await page.route("**/api/agents", (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ error: { code: "unavailable", message: "The database is restarting." } }),
    }),
  );
  await openReceptionist(page);
  const alert = page.locator("main").getByRole("alert");
  await expect(alert).toContainText("We couldn't load your receptionist");
  await expect(alert).toContainText("The database is restarting.");
  await page.unroute("**/api/agents");
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("tabpanel", { name: /Inbound/ }).getByTestId("sync-status")).toBeVisible();
});

test("Call my phone checks the number and shows the API's answer when the call cannot be placed", async ({ page }) => {
  await signInAsDemoOwner(page);
  // As if this server had Vapi: the page offers the tests; the API itself still has no Vapi key.
  await page.route("**/api/agents", async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    body.vapi = {
      configured: true,
      reason: null,
      callMyPhone: { enabled: true, reason: null },
      webTest: { enabled: true, publicKey: "pk-test", reason: null },
    };
    await route.fulfill({ response: res, json: body });
  });
  await openReceptionist(page);
  const panel = page.getByRole("tabpanel", { name: /Inbound/ });
  await expect(page.getByRole("status").filter({ hasText: "Vapi is not connected" })).toHaveCount(0);
  // The demo's inbound receptionist has a Vapi assistant: the web test is offered (not started
  // here, which would load Vapi's SDK). The outbound one was never synced: nothing to talk to yet.
  await expect(panel.getByRole("button", { name: "Web test" })).toBeEnabled();
  await page.getByRole("tab", { name: /Outbound/ }).click();
  const outbound = page.getByRole("tabpanel", { name: /Outbound/ });
  await expect(outbound.getByRole("button", { name: "Web test" })).toBeDisabled();
  await expect(outbound.getByText("Save the receptionist and wait until it shows Synced")).toBeVisible();
  await page.getByRole("tab", { name: /Inbound/ }).click();

  const phone = panel.getByLabel("Your phone number");
  const call = panel.getByRole("button", { name: "Call my phone" });
  await phone.fill("555 0123");
  await call.click();
  await expect(phone).toHaveAttribute("aria-invalid", "true");
  await expect(panel.getByText("Enter the number in international format, like +12125550123")).toBeVisible();

  await phone.fill("+12125550123");
  await call.click();
  await expect(panel.getByRole("form", { name: "Call my phone" }).getByRole("alert")).toContainText("Test calls need Vapi: set VAPI_PRIVATE_KEY");

  await page.route("**/api/agents/inbound/test-call", (route) =>
    route.fulfill({
      status: 429,
      json: { error: { code: "test_calls_exhausted", message: "At most 5 test calls an hour. Try again later." } },
      headers: { "retry-after": "3600" },
    }),
  );
  await call.click();
  await expect(panel.getByRole("form", { name: "Call my phone" }).getByRole("alert")).toHaveText("At most 5 test calls an hour. Try again later.");
});

test("a new clinic's checklist links to the Receptionist, and shows the step done once it is saved", async ({ page }) => {
  const clinic = newClinic("Checklist Clinic");
  await signUp(page, clinic);
  const step = page.getByRole("listitem").filter({ hasText: "Configure your AI receptionist" });
  await expect(step).toContainText("(to do)");
  await step.getByRole("link", { name: "Start" }).click();
  await expect(page).toHaveURL(/\/receptionist$/);
  const panel = page.getByRole("tabpanel", { name: /Inbound/ });
  await panel.getByLabel("First message", { exact: true }).fill("Hello from the checklist clinic, how can I help?");
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Inbound receptionist saved")).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: "Configure your AI receptionist" })).toContainText("(done)");
  await expect(page.getByTestId("setup-progress")).toHaveText(/^3 of \d+ done$/);
});
