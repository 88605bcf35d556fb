import { expect, test, type WebSocketRoute } from "@playwright/test";
import { newClinic, signUp } from "./helpers";
import { DEMO_OWNER, documentMark, markDocument, signInAsDemoOwner, simulateCall, stopAllSimulations } from "./simulator";

/*
 * The post-call loop end to end: a call played by the simulator through the real webhooks shows up
 * on the open dashboard over the /ws live feed — overview feed, KPIs, calls table — without a
 * reload, and its transcript opens in the detail drawer. The simulator's fictional callers are
 * numbered; caller 7 is Lucas Nguyen and caller 12 is Grace Silva (apps/api/src/simulator/identity.ts).
 */

test.afterEach(() => stopAllSimulations());

const kpiNumber = async (text: Promise<string>) => Number((await text).replace(/[^0-9.]/g, ""));

test("a simulated call appears live on the overview and in the calls table, and its transcript opens in the drawer", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signInAsDemoOwner(page);

  const feed = page.getByRole("region", { name: "Live feed" });
  const totalCalls = page.getByTestId("kpi-total-calls-value");
  let before = 0;
  let mark = "";

  await test.step("the overview shows the clinic's figures and a connected live feed", async () => {
    await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${DEMO_OWNER.firstName}` })).toBeVisible();
    await expect(totalCalls).toHaveText(/^\d+$/);
    before = await kpiNumber(totalCalls.innerText());
    expect(before).toBeGreaterThan(0); // the demo clinic's seeded history
    await expect(page.getByRole("region", { name: "Recent activity" }).getByRole("listitem")).toHaveCount(10);
    await expect(feed.getByTestId("live-status")).toHaveAttribute("data-status", "open");
    await expect(feed.getByText("Waiting for the next call")).toBeVisible();
    mark = await markDocument(page);
  });

  await test.step("a new patient calls and books: the feed follows the call and the KPIs update, without a reload", async () => {
    const call = simulateCall({ scenario: "new-patient-books", caller: 7, speed: 6 });
    const callLine = feed
      .getByTestId("feed-entry")
      .filter({ hasText: "Lucas Nguyen" })
      .filter({ hasText: /Incoming call from|On a call with|Call with .+ ended/ });
    // Visible while the simulator is still talking: it arrived live, not after the fact.
    await expect(callLine).toBeVisible();
    expect(call.running).toBe(true);
    await call.finished;
    await expect(callLine).toContainText("Call with Lucas Nguyen ended");
    await expect(callLine).toContainText("Booked");
    // The booking in the clinic's words: the treatment and a time as people say it.
    await expect(
      feed
        .getByTestId("feed-entry")
        .filter({ hasText: "Lucas Nguyen" })
        .filter({ hasText: /Booked Botox for / }),
    ).toBeVisible();
    await expect(totalCalls).toHaveText(String(before + 1));
    await expect(page.getByRole("region", { name: "Recent activity" }).getByRole("listitem").first()).toContainText("Lucas Nguyen booked Botox");
    expect(await documentMark(page)).toBe(mark);
    await expect(page).toHaveURL(/\/overview$/);
    await testInfo.attach("overview after a live call", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calls" }).click();
  await expect(page).toHaveURL(/\/calls$/);
  await expect(page.getByRole("heading", { level: 1, name: "Calls" })).toBeVisible();
  const rows = page.getByTestId("call-row");
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText("Lucas Nguyen");

  let vapiCallId = "";
  await test.step("while the calls page is open, the next call appears at the top of the table as it happens", async () => {
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "open");
    const call = simulateCall({ scenario: "new-patient-books", caller: 12, speed: 6 });
    vapiCallId = await call.vapiCallId;
    const row = page.locator(`[data-testid="call-row"][data-vapi-call-id="${vapiCallId}"]`);
    await expect(row).toBeVisible();
    expect(call.running).toBe(true);
    await expect(rows.first()).toHaveAttribute("data-vapi-call-id", vapiCallId);
    await expect(rows).toHaveCount(26);
    await call.finished;
    await expect(row).toContainText("Grace Silva");
    await expect(row).toContainText("Booked");
    expect(await documentMark(page)).toBe(mark);
  });

  await test.step("the call opens in an accessible drawer with the speaker-labelled transcript", async () => {
    const row = page.locator(`[data-testid="call-row"][data-vapi-call-id="${vapiCallId}"]`);
    const opener = row.getByRole("button", { name: "Grace Silva" });
    await opener.click();
    const drawer = page.getByRole("dialog", { name: "Grace Silva" });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByTestId("vapi-call-id")).toHaveText(vapiCallId);
    const transcript = drawer.getByTestId("transcript");
    await expect(transcript.getByRole("listitem").filter({ hasText: "Receptionist" }).first()).toContainText("Thank you for calling");
    await expect(transcript.getByRole("listitem").filter({ hasText: "Caller" }).first()).toContainText("Botox for my forehead lines");
    await expect(transcript).toContainText("Checked availability");
    // The caller's date of birth was redacted before it was stored.
    await expect(transcript).not.toContainText("1985");
    await expect(drawer.getByTestId("call-booking")).toContainText("Botox");
    await expect(drawer.getByTestId("recording-status")).toHaveText("Available");
    // The recording plays through our API's short-lived player link (same origin), never from an outside host.
    await expect(drawer.locator("audio")).toHaveAttribute("src", /^\/api\/recordings\/play\/[\w-]+\.[\w-]+$/);
    const audio = await page.request.get((await drawer.locator("audio").getAttribute("src"))!);
    expect(audio.status()).toBe(200);
    expect(audio.headers()["content-type"]).toBe("audio/wav");
    // The player itself reads it: Chromium decodes the WAV's header and knows how long it is.
    const seconds = await drawer.locator("audio").evaluate(
      (el: HTMLAudioElement) =>
        new Promise<number>((resolve, reject) => {
          if (el.duration > 0) return resolve(el.duration);
          el.addEventListener("loadedmetadata", () => resolve(el.duration), { once: true });
          el.addEventListener("error", () => reject(new Error(`audio error ${el.error?.code}`)), { once: true });
          el.preload = "metadata";
          el.load();
        }),
    );
    expect(seconds).toBeGreaterThan(0);
    await expect(page).toHaveURL(/\/calls\?call=/);
    await testInfo.attach("call drawer", { body: await page.screenshot(), contentType: "image/png" });

    // Focus stays inside the dialog, and Escape closes it and gives focus back to the row.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      expect(await drawer.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(opener).toBeFocused();
    await expect(page).toHaveURL(/\/calls$/);
    expect(await documentMark(page)).toBe(mark);
  });
});

test("after the live feed drops, the overview says so, reconnects, and re-syncs the figures it missed", async ({ page }) => {
  test.setTimeout(90_000);
  // Stand between the page and /ws: forward everything until told to swallow the server's
  // messages (a link that silently died), and hold a reconnect until released.
  let swallow = false;
  let connections = 0;
  let current: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
  let releaseReconnect: () => void = () => {};
  const reconnectReleased = new Promise<void>((r) => (releaseReconnect = r));
  await page.routeWebSocket(/\/ws(\?|$)/, async (ws) => {
    connections++;
    if (connections > 1) await reconnectReleased;
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (!swallow) ws.send(message);
    });
    current = { page: ws, server };
  });

  await signInAsDemoOwner(page);
  const feed = page.getByRole("region", { name: "Live feed" });
  const status = feed.getByTestId("live-status");
  const totalCalls = page.getByTestId("kpi-total-calls-value");
  await expect(status).toHaveAttribute("data-status", "open");
  await expect(totalCalls).toHaveText(/^\d+$/);
  const before = await kpiNumber(totalCalls.innerText());
  const mark = await markDocument(page);

  swallow = true;
  await simulateCall({ scenario: "price-question", caller: 21, speed: 0 }).finished;
  // Give a live event time to arrive, had the link been working: nothing may have changed.
  await page.waitForTimeout(1500);
  await expect(totalCalls).toHaveText(String(before));
  await expect(feed.getByTestId("feed-entry")).toHaveCount(0);

  const dropped = current!;
  await dropped.page.close({ code: 4000, reason: "network lost" });
  await dropped.server.close();
  await expect(status).toHaveAttribute("data-status", "reconnecting");
  await expect(status).toContainText("Reconnecting");
  swallow = false;
  releaseReconnect();

  await expect(status).toHaveAttribute("data-status", "open");
  await expect(totalCalls).toHaveText(String(before + 1));
  await expect(feed.getByTestId("feed-entry").filter({ hasText: "Live feed reconnected" })).toBeVisible();
  expect(connections).toBe(2);
  expect(await documentMark(page)).toBe(mark);
});

test("a clinic without calls sees its setup checklist and empty states; load failures say so and recover on retry", async ({ page }) => {
  await signUp(page, newClinic("Cedar Family Practice"));

  await expect(page.getByRole("region", { name: "Getting started" })).toBeVisible();
  const feed = page.getByRole("region", { name: "Live feed" });
  await expect(feed.getByText("Waiting for the next call")).toBeVisible();
  await expect(page.getByTestId("kpi-total-calls-value")).toHaveCount(0);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calls" }).click();
  await expect(page.getByTestId("calls-empty")).toContainText("No calls yet");
  await page.getByLabel("Search calls").fill("botox");
  await expect(page.getByTestId("calls-empty")).toContainText("No calls match these filters");
  await expect(page).toHaveURL(/\/calls\?q=botox$/);
  await page.getByTestId("calls-empty").getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByTestId("calls-empty")).toContainText("No calls yet");
  await expect(page.getByLabel("Search calls")).toHaveValue("");

  // The API failing: the page says what happened and loads once it is back.
  const apiError = {
    status: 503,
    contentType: "application/json",
    body: JSON.stringify({ error: { code: "unavailable", message: "The database is restarting." } }),
  };
  await page.route("**/api/calls-dashboard?*", (route) => route.fulfill(apiError));
  await page.reload();
  await expect(page.locator("main").getByRole("alert")).toContainText("We couldn't load your calls");
  await expect(page.locator("main").getByRole("alert")).toContainText("The database is restarting.");
  await page.unroute("**/api/calls-dashboard?*");
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByTestId("calls-empty")).toContainText("No calls yet");

  await page.route("**/api/dashboard/stats?*", (route) => route.fulfill(apiError));
  await page.goto("/overview");
  await expect(page.locator("main").getByRole("alert")).toContainText("We couldn't load your figures");
  await page.unroute("**/api/dashboard/stats?*");
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("region", { name: "Getting started" })).toBeVisible();
});
