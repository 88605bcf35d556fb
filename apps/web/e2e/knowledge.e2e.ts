import { expect, type Page, test } from "@playwright/test";
import { newClinic, signUp } from "./helpers";
import { signInAsDemoStaff } from "./simulator";

/*
 * The Knowledge page against the e2e API (embedded PostgreSQL, no embedding provider: full-text
 * search). Files are made here; uploads go through the real API and its knowledge-index job.
 */

const PARKING_MD = [
  "# Visiting us",
  "",
  "## Parking",
  "",
  "Free parking is in the garage behind the clinic on Elm Street. Bring your ticket to reception.",
].join("\n");

async function openKnowledge(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Knowledge" }).click();
  await expect(page).toHaveURL(/\/knowledge$/);
  await expect(page.getByRole("heading", { level: 1, name: "Knowledge" })).toBeVisible();
}

async function dropFile(page: Page, name: string, text: string, type: string) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, text, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type }));
      return dt;
    },
    { name, text, type },
  );
  await page.getByTestId("drop-zone").dispatchEvent("dragover", { dataTransfer });
  await page.getByTestId("drop-zone").dispatchEvent("drop", { dataTransfer });
}

async function ask(page: Page, question: string) {
  const section = page.getByRole("region", { name: "Try a question" });
  await section.getByLabel("Question").fill(question);
  await section.getByRole("button", { name: "Ask" }).click();
  return section.getByTestId("spoken-answer");
}

test("the owner uploads by drag and drop, watches it become ready, tries a misspelled question, adds a quick answer and disables a document", async ({
  page,
}) => {
  await signUp(page, newClinic("Knowledge Clinic"));
  await openKnowledge(page);
  const docs = page.getByRole("region", { name: "Documents" });

  await test.step("a new clinic has no documents and no quick answers yet", async () => {
    await expect(docs.getByTestId("documents-empty")).toContainText("No documents yet");
    await expect(page.getByTestId("quick-answers-empty")).toBeVisible();
  });

  await test.step("a dropped Markdown file shows Processing, then Ready without a reload", async () => {
    await dropFile(page, "visiting.md", PARKING_MD, "text/markdown");
    const row = docs.getByTestId("knowledge-document").filter({ hasText: "visiting" });
    await expect(row).toBeVisible();
    await expect(row.getByTestId("doc-status")).toHaveAttribute("data-status", "ready", { timeout: 20_000 });
    await expect(row).toContainText("Markdown");
  });

  await test.step("a damaged PDF chosen with the file picker is refused with its reason, and nothing is added", async () => {
    await page.getByTestId("file-input").setInputFiles({ name: "broken.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7 not really a pdf") });
    await expect(page.getByTestId("upload-error")).toContainText("This PDF could not be read");
    await expect(docs.getByTestId("knowledge-document")).toHaveCount(1);
  });

  await test.step("try a misspelled question: the answer and the passage it came from", async () => {
    const spoken = await ask(page, "Do you have parkng?");
    await expect(spoken).toContainText("garage behind the clinic on Elm Street");
    const hit = page.getByTestId("search-hit").first();
    await expect(hit).toContainText("visiting");
    await expect(hit).toContainText("Parking");
  });

  await test.step("a quick answer is added, becomes ready and answers the question", async () => {
    const form = page.getByRole("form", { name: "Add a quick answer" });
    await form.getByRole("button", { name: "Add answer" }).click();
    await expect(form.getByLabel("Question")).toHaveAttribute("aria-invalid", "true");
    await form.getByLabel("Question").fill("Do you offer payment plans?");
    await form.getByLabel("Answer").fill("Yes, monthly payment plans are available through Cherry.");
    await form.getByRole("button", { name: "Add answer" }).click();
    const item = page.getByTestId("quick-answer").filter({ hasText: "Do you offer payment plans?" });
    await expect(item.getByTestId("doc-status")).toHaveAttribute("data-status", "ready", { timeout: 20_000 });
    await expect(await ask(page, "Can I get a payment plan?")).toHaveText("Yes, monthly payment plans are available through Cherry.");
  });

  await test.step("a disabled document is never used: the receptionist says it doesn't know", async () => {
    const row = docs.getByTestId("knowledge-document").filter({ hasText: "visiting" });
    await row.getByRole("switch", { name: "Used on calls" }).click();
    await expect(row).toContainText("Disabled: never used on calls.");
    await expect(await ask(page, "Where can I park?")).toContainText("I don't have that information");
  });

  await test.step("at 375 px the page fits without sideways scrolling", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await expect(page.getByRole("heading", { level: 1, name: "Knowledge" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});

test("staff see the knowledge base read-only and can still try questions", async ({ page }) => {
  await signInAsDemoStaff(page);
  await openKnowledge(page);
  await expect(page.getByTestId("read-only-note")).toContainText("Only the clinic's owner or an admin");
  await expect(page.getByTestId("drop-zone")).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Add a quick answer" })).toHaveCount(0);
  await expect(await ask(page, "What is the capital of France?")).toContainText("I don't have that information");
});
