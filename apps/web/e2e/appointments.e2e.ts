import { expect, type Page, test } from "@playwright/test";
import { documentMark, markDocument, signInAsDemoOwner, simulateCall, stopAllSimulations } from "./simulator";

/*
 * The Appointments page against the real API: a booking made on a simulated call appears on the
 * open calendar without a reload; staff move it, and the patient who calls next hears the new
 * time; a manual booking on a time taken meanwhile is refused with the next free times.
 */

test.afterEach(() => stopAllSimulations());

const CLINIC_ZONE = "America/New_York"; // the demo clinic (apps/api/src/demo/seed.ts)

/** "Wednesday, March 11 at 10:00 AM": how the receptionist says a time (apps/api/src/lib/time.ts). */
function spoken(iso: string): string {
  const d = new Date(iso);
  const day = new Intl.DateTimeFormat("en-US", { timeZone: CLINIC_ZONE, weekday: "long", month: "long", day: "numeric" }).format(d);
  const time = new Intl.DateTimeFormat("en-US", { timeZone: CLINIC_ZONE, hour: "numeric", minute: "2-digit" }).format(d);
  return `${day} at ${time}`;
}

function clinicDay(offsetDays: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: CLINIC_ZONE }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

/** The first free Botox start from today, as the booking engine sees it (the simulated patient takes the first one offered). */
async function firstFreeBotox(page: Page): Promise<{ day: string; start: string }> {
  const services = (await (await page.request.get(`/api/appointments/slots?day=${clinicDay(0)}`)).json()).services as { id: string; name: string }[];
  const botox = services.find((s) => s.name === "Botox")!;
  for (let i = 0; i < 14; i++) {
    const day = clinicDay(i);
    const { slots } = await (await page.request.get(`/api/appointments/slots?day=${day}&serviceId=${botox.id}`)).json();
    if (slots.length) return { day, start: slots[0] };
  }
  throw new Error("no free Botox time in the next two weeks");
}

test("a call's booking appears live on the calendar; staff move it and the patient's next call hears the new time", async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  await signInAsDemoOwner(page);
  const expected = await firstFreeBotox(page);

  await page.goto(`/appointments?view=day&day=${expected.day}`);
  await expect(page.getByRole("heading", { level: 1, name: "Appointments" })).toBeVisible();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "open");
  await expect(page.getByTestId("calendar")).toBeVisible();
  const mark = await markDocument(page);

  let patient = "";
  await test.step("a simulated patient books on the phone: the appointment appears on the open calendar", async () => {
    const call = simulateCall({ scenario: "new-patient-books", caller: 31, speed: 6 });
    await expect.poll(() => /bookClinicAppointment\((\{.*\})\)/.exec(call.output())?.[1] ?? null, { timeout: 60_000 }).not.toBeNull();
    const args = JSON.parse(/bookClinicAppointment\((\{.*\})\)/.exec(call.output())![1]!) as { name: string; start: string };
    patient = args.name;
    expect(Date.parse(args.start)).toBe(Date.parse(expected.start));
    const entry = page.getByTestId("calendar-appointment").filter({ hasText: patient });
    await expect(entry).toBeVisible();
    await expect(entry).toContainText("Botox");
    expect(await documentMark(page)).toBe(mark);
    await call.finished;
    await testInfo.attach("calendar with the live booking", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  });

  let newStart = "";
  await test.step("staff open it and move it to the last free time that day", async () => {
    await page.getByTestId("calendar-appointment").filter({ hasText: patient }).click();
    const dialog = page.getByTestId("appointment-dialog");
    await expect(dialog.getByRole("heading", { name: patient })).toBeVisible();
    await expect(dialog.getByRole("link", { name: /\+1/ })).toHaveAttribute("href", /^tel:\+1\d{10}$/);
    await dialog.getByRole("button", { name: "Reschedule" }).click();
    const slots = dialog.getByTestId("slot-picker").getByRole("button");
    await expect(slots.first()).toBeVisible();
    const last = slots.last();
    newStart = (await last.getAttribute("data-start"))!;
    expect(Date.parse(newStart)).not.toBe(Date.parse(expected.start));
    await last.click();
    await expect(last).toHaveAttribute("aria-pressed", "true");
    await dialog.getByRole("button", { name: "Move here" }).click();
    await expect(page.getByText(/^Moved to /)).toBeVisible();
    await page.keyboard.press("Escape");
    const time = new Intl.DateTimeFormat("en-US", { timeZone: CLINIC_ZONE, hour: "numeric", minute: "2-digit" }).format(new Date(newStart));
    await expect(page.getByTestId("calendar-appointment").filter({ hasText: patient })).toContainText(time);
    expect(await documentMark(page)).toBe(mark);
  });

  await test.step("the patient calls again and the receptionist gives the new time", async () => {
    const call = simulateCall({ scenario: "returning-patient-asks", caller: 31, speed: 0 });
    await call.finished;
    expect(call.output()).toContain(`Upcoming: ${spoken(newStart)}`);
  });
});

test("a manual booking on a time taken meanwhile is refused with the next free times, and one click books one of them", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAsDemoOwner(page);
  const free = await firstFreeBotox(page);
  await page.goto(`/appointments?view=day&day=${free.day}`);
  await page.getByRole("button", { name: "New appointment" }).click();
  const dialog = page.getByTestId("new-appointment");
  await dialog.getByLabel("Patient name").fill("Walk-in Patient");
  await dialog.getByLabel("Phone").fill("(212) 555-0177");
  await dialog.getByLabel("Day").fill(free.day);
  const slot = dialog.locator(`[data-start="${free.start}"]`);
  // The picker lists the consultation's free times; the first Botox time is one of them when both are 30 minutes.
  await expect(dialog.getByTestId("slot-picker")).toBeVisible();
  const chosen = (await slot.count()) ? slot : dialog.getByTestId("slot-picker").getByRole("button").first();
  const start = (await chosen.getAttribute("data-start"))!;
  await chosen.click();

  // Someone else (the receptionist, another desk) takes that time first.
  const taken = await page.request.post("/api/appointments", {
    data: { name: "Phone Patient", phone: "+12125550178", start },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(taken.status()).toBe(201);

  await dialog.getByRole("button", { name: "Book appointment" }).click();
  const problem = dialog.getByRole("alert");
  await expect(problem).toContainText("is already taken. Next free:");
  const alternatives = dialog.getByTestId("alternatives").getByRole("button");
  await expect(alternatives).toHaveCount(3);
  await alternatives.first().click();
  await dialog.getByRole("button", { name: "Book appointment" }).click();
  await expect(page.getByText(/^Booked Walk-in Patient for /)).toBeVisible();
  await expect(dialog).toBeHidden();
});
