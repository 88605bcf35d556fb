/**
 * Google Calendar end to end against a fake Google (test/helpers/fake-google.ts) through
 * the real google-auth-library and @googleapis/calendar clients: the OAuth connect flow and its
 * state, the sealed refresh token, free/busy in the receptionist's availability (and what happens
 * when Google is slow or down), events for bookings, reschedules and cancellations, and the
 * needs_reconnect state after `invalid_grant`.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { GoogleCalendar } from "../src/integrations/google/calendar";
import { calendarEventId } from "../src/integrations/google/events";
import { googleCalendarSyncJob } from "../src/jobs/google-calendar";
import type { JobRunner } from "../src/jobs/runner";
import { readCredential } from "../src/modules/credentials/service";
import { createTestApp, type TestApp } from "./helpers/app";
import { addTeamMember, signUpClinic, type TestUser } from "./helpers/auth";
import { type FakeGoogle, startFakeGoogle } from "./helpers/fake-google";
import { listen, type TestHttp } from "./helpers/http";
import { dumpDatabaseText, eventually, startTestJobs } from "./helpers/postcall";
import { addVapiIdentity, TestClock, type TestClinic, toolCallsMessage, toolText } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York.
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
const PATIENT = "+12125553000";

let google: FakeGoogle;
let t: TestApp;
let http: TestHttp;
let jobs: JobRunner;
let calendar: GoogleCalendar;

beforeAll(async () => {
  google = await startFakeGoogle();
  t = await createTestApp({
    clock,
    config: {
      GOOGLE_CLIENT_ID: google.clientId,
      GOOGLE_CLIENT_SECRET: google.clientSecret,
      GOOGLE_API_BASE_URL: google.url,
      GOOGLE_FREEBUSY_TIMEOUT_MS: 400,
      // Every lookup asks Google, so each test sees the calendar as it set it up.
      GOOGLE_FREEBUSY_CACHE_MS: 0,
      // A tool call that waited for a slow Google would miss this and answer "took too long".
      VAPI_TOOL_DEADLINE_MS: 4000,
    },
  });
  calendar = new GoogleCalendar({ config: t.config, db: t.db, logger: t.deps.logger, clock });
  jobs = await startTestJobs(t, { google: calendar });
  calendar.useJobs(jobs);
  http = await listen(createApp({ ...t.deps, jobs, googleCalendar: calendar }));
});
afterAll(async () => {
  await jobs?.stop();
  await google?.close();
});

const get = (path: string, user: TestUser) => fetch(http.baseUrl + path, { headers: user.bearer, redirect: "manual" });
/** The path and query of a URL, on our test server (the callback is registered on the dashboard's origin). */
const onOurServer = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

/** Start → Google's consent → back to our callback, as the browser would follow it; returns where the callback sends the browser. */
async function connect(user: TestUser, tamper: (callback: string) => string = (c) => c): Promise<string> {
  const start = await get("/api/integrations/google/start", user);
  expect(start.status).toBe(302);
  const consent = await fetch(start.headers.get("location")!, { redirect: "manual" });
  expect(consent.status).toBe(302);
  const callback = await get(tamper(onOurServer(consent.headers.get("location")!)), user);
  expect(callback.status).toBe(302);
  return callback.headers.get("location")!;
}

async function clinicWithGoogle(o: { connected?: boolean } = {}): Promise<{ owner: TestUser; clinic: TestClinic }> {
  const owner = await signUpClinic(t, { timezone: "America/New_York" });
  await t.admin.query(
    `update organizations set timezone = 'America/New_York', slot_minutes = 30, buffer_before_minutes = 0, buffer_after_minutes = 0,
       min_booking_notice_minutes = 60, min_cancel_notice_minutes = 0,
       business_hours = '{"mon":[{"start":"09:00","end":"17:00"}],"tue":[{"start":"09:00","end":"17:00"}],"wed":[{"start":"09:00","end":"17:00"}],"thu":[{"start":"09:00","end":"17:00"}],"fri":[{"start":"09:00","end":"17:00"}],"sat":[],"sun":[]}'
     where id = $1`,
    [owner.orgId],
  );
  const identity = await addVapiIdentity(t.admin, owner.orgId);
  if (o.connected !== false) expect(await connect(owner)).toBe("http://localhost:3002/integrations?google=connected");
  return { owner, clinic: { orgId: owner.orgId, name: "clinic", ...identity } };
}

const tool = (clinic: TestClinic, name: string, args: Record<string, unknown>) =>
  toolText(http, t.config.vapiWebhookSecret, toolCallsMessage(clinic, [{ name, args }], { caller: PATIENT }).body);
const status = async (user: TestUser) => (await http.request("GET", "/api/integrations/google", { headers: user.bearer })).body;
const appointments = async (orgId: string) =>
  (
    await t.admin.query(
      "select id, status, starts_at, google_event_id, google_sync_status, google_sync_error from appointments where org_id = $1 order by created_at",
      [orgId],
    )
  ).rows;
/** The live events of one clinic's appointments (the fake's calendar is shared by every test clinic). */
const clinicEvents = async (orgId: string) => {
  const ids = new Set((await t.admin.query("select id from appointments where org_id = $1", [orgId])).rows.map((r) => r.id));
  return google.liveEvents().filter((e) => ids.has(e.extendedProperties?.private?.voxanneAppointmentId));
};
const storedRefreshToken = async (orgId: string) =>
  (await t.db.asService(orgId, (tx) => readCredential(tx, t.config.encryptionKeys, orgId, "google"))).refreshToken;

describe("connecting (OAuth)", () => {
  it("sends the clinic to Google asking for offline access, consent and exactly our scopes, with a state", async () => {
    const { owner } = await clinicWithGoogle({ connected: false });
    const start = await get("/api/integrations/google/start", owner);
    expect(start.status).toBe(302);
    const url = new URL(start.headers.get("location")!);
    expect(url.origin + url.pathname).toBe(`${google.url}/o/oauth2/v2/auth`);
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("client_id")).toBe(google.clientId);
    expect(url.searchParams.get("redirect_uri")).toBe("http://localhost:3002/api/integrations/google/callback");
    expect(url.searchParams.get("scope")!.split(" ").sort()).toEqual([
      "email",
      "https://www.googleapis.com/auth/calendar.events.owned",
      "https://www.googleapis.com/auth/calendar.freebusy",
      "openid",
    ]);
    expect(url.searchParams.get("state")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("stores the refresh token sealed, shows who is connected, and never returns or logs the token", async () => {
    const { owner } = await clinicWithGoogle();
    const row = (await t.admin.query("select status, metadata, ciphertext from org_credentials where org_id = $1 and provider = 'google'", [owner.orgId]))
      .rows[0];
    expect(row.status).toBe("active");
    expect(row.metadata).toMatchObject({ connected_email: "frontdesk@clinic.example", calendar_id: "primary" });
    const token = await storedRefreshToken(owner.orgId);
    expect([...google.refreshTokens.keys()]).toContain(token);
    expect(row.ciphertext.toString("latin1")).not.toContain(token);

    const res = await http.request("GET", "/api/integrations/google", { headers: owner.bearer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "active",
      connectedEmail: "frontdesk@clinic.example",
      calendarId: "primary",
      lastError: null,
      reason: null,
      failedAppointments: 0,
    });
    expect(res.text).not.toContain(token);
    // Staff see the connection too, but may not change it.
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    expect((await status(staff)).connectedEmail).toBe("frontdesk@clinic.example");
    expect((await get("/api/integrations/google/start", staff)).status).toBe(403);
    expect(await dumpDatabaseText(t.admin)).not.toContain(token);
    expect(t.logs.text()).not.toContain(token);
  });

  it("refuses a tampered, expired, reused or someone else's state, and stores nothing", async () => {
    const { owner } = await clinicWithGoogle({ connected: false });
    const refused = "http://localhost:3002/integrations?google=invalid_state";
    const tamperState = (callback: string) => {
      const u = new URL(callback, "http://x");
      const state = u.searchParams.get("state")!;
      u.searchParams.set("state", `${state.slice(0, -2)}${state.endsWith("AA") ? "BB" : "AA"}`);
      return u.pathname + u.search;
    };
    expect(await connect(owner, tamperState)).toBe(refused);

    // Expired: the consent took longer than the state lives.
    const start = await get("/api/integrations/google/start", owner);
    const consent = await fetch(start.headers.get("location")!, { redirect: "manual" });
    clock.set(new Date(clock.now().getTime() + 11 * 60_000));
    try {
      expect((await get(onOurServer(consent.headers.get("location")!), owner)).headers.get("location")).toBe(refused);
    } finally {
      clock.set(new Date("2026-03-05T15:00:00Z"));
    }

    // Another member's state (an admin started, the owner's browser finishes).
    const admin = await addTeamMember(t, owner.orgId, { role: "admin" });
    const adminStart = await get("/api/integrations/google/start", admin);
    const adminConsent = await fetch(adminStart.headers.get("location")!, { redirect: "manual" });
    expect((await get(onOurServer(adminConsent.headers.get("location")!), owner)).headers.get("location")).toBe(refused);

    expect((await t.admin.query("select 1 from org_credentials where org_id = $1 and provider = 'google'", [owner.orgId])).rowCount).toBe(0);
    expect((await status(owner)).status).toBe("not_connected");

    // Reused: the first use connects, the same callback again is refused.
    const ok = await get("/api/integrations/google/start", owner);
    const okConsent = await fetch(ok.headers.get("location")!, { redirect: "manual" });
    const callback = onOurServer(okConsent.headers.get("location")!);
    expect((await get(callback, owner)).headers.get("location")).toBe("http://localhost:3002/integrations?google=connected");
    expect((await get(callback, owner)).headers.get("location")).toBe(refused);
  });

  it("refuses a consent without the calendar scopes, and a denied consent, without connecting", async () => {
    const { owner } = await clinicWithGoogle({ connected: false });
    google.grantScopes = "openid email";
    try {
      expect(await connect(owner)).toBe("http://localhost:3002/integrations?google=missing_scopes");
    } finally {
      google.grantScopes = null;
    }
    const denied = (callback: string) => {
      const u = new URL(callback, "http://x");
      u.searchParams.delete("code");
      u.searchParams.set("error", "access_denied");
      return u.pathname + u.search;
    };
    expect(await connect(owner, denied)).toBe("http://localhost:3002/integrations?google=denied");
    expect((await status(owner)).status).toBe("not_connected");
  });

  it("merges refreshed tokens: a refresh without a refresh_token keeps the stored one, a rotated one replaces it", async () => {
    const { owner, clinic } = await clinicWithGoogle();
    const first = await storedRefreshToken(owner.orgId);
    expect(await tool(clinic, "checkAvailability", { date: "March 10" })).toMatch(/^I have openings on /);
    expect(google.sent("POST", "/token").some((r) => r.body.grant_type === "refresh_token" && r.body.refresh_token === first)).toBe(true);
    expect(await storedRefreshToken(owner.orgId)).toBe(first);

    google.rotateRefreshTokens = true;
    try {
      calendar.forget(owner.orgId);
      expect(await tool(clinic, "checkAvailability", { date: "March 11" })).toMatch(/^I have openings on /);
      const rotated = await eventually(async () => {
        const now = await storedRefreshToken(owner.orgId);
        return now !== first ? now : null;
      });
      expect(google.refreshTokens.get(rotated)?.revoked).toBe(false);
    } finally {
      google.rotateRefreshTokens = false;
    }
  });

  it("disconnect revokes the token at Google and erases it", async () => {
    const { owner } = await clinicWithGoogle();
    const token = await storedRefreshToken(owner.orgId);
    const res = await http.request("DELETE", "/api/integrations/google", { headers: owner.bearer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "not_connected", connectedEmail: null });
    expect(google.sent("POST", "/revoke").some((r) => r.query.token === token)).toBe(true);
    expect(google.refreshTokens.get(token)?.revoked).toBe(true);
    const row = (await t.admin.query("select status, ciphertext from org_credentials where org_id = $1 and provider = 'google'", [owner.orgId])).rows[0];
    expect(row).toEqual({ status: "revoked", ciphertext: null });
    const audit = await t.admin.query("select action from audit_events where org_id = $1 and action like 'integration.google.%' order by created_at", [
      owner.orgId,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(["integration.google.connected", "integration.google.disconnected"]);
  });
});

describe("availability", () => {
  it("a busy block in Google removes those slots, and a booking into it is refused", async () => {
    const { clinic } = await clinicWithGoogle();
    expect(await tool(clinic, "checkAvailability", { date: "March 10 at 10am" })).toMatch(/^Yes, Tuesday, March 10 at 10 AM is available/);
    // The staff meeting, 10:00–11:00 New York time.
    google.account.busy = [{ start: "2026-03-10T14:00:00Z", end: "2026-03-10T15:00:00Z" }];
    try {
      expect(await tool(clinic, "checkAvailability", { date: "March 10 at 10am" })).toMatch(
        /^Tuesday, March 10 at 10 AM isn't available\. The nearest free times are .*9:30 AM.*11 AM/,
      );
      const day = await tool(clinic, "checkAvailability", { date: "March 10" });
      expect(day).toMatch(/^I have openings on Tuesday, March 10 at 9 AM/);
      expect(day).not.toMatch(/\b10 AM|10:30 AM/);
      expect(await tool(clinic, "bookClinicAppointment", { name: "Ana Ruiz", start: "2026-03-10T10:30:00-04:00" })).toMatch(
        /^Sorry, Tuesday, March 10 at 10:30 AM was just taken\./,
      );
      expect(await appointments(clinic.orgId)).toEqual([]);
    } finally {
      google.account.busy = [];
    }
  });

  it("when Google is slow or down, the receptionist answers from our own table within the deadline", async () => {
    const { clinic } = await clinicWithGoogle();
    google.account.busy = [{ start: "2026-03-10T14:00:00Z", end: "2026-03-10T15:00:00Z" }];
    try {
      google.delay("POST", /freeBusy/, 10_000, 1);
      expect(await tool(clinic, "checkAvailability", { date: "March 10 at 10am" })).toMatch(/^Yes, Tuesday, March 10 at 10 AM is available/);
      google.failNext("POST", /freeBusy/, 503, undefined, 3);
      expect(await tool(clinic, "checkAvailability", { date: "March 10 at 10am" })).toMatch(/^Yes, Tuesday, March 10 at 10 AM is available/);
      // Per-calendar errors inside a 200 mean "unknown", not "free" and not "busy": our table decides.
      google.failNext("POST", /freeBusy/, 200, {
        kind: "calendar#freeBusy",
        calendars: { primary: { busy: [], errors: [{ domain: "global", reason: "internalError" }] } },
      });
      expect(await tool(clinic, "checkAvailability", { date: "March 11 at 10am" })).toMatch(/^Yes, Wednesday, March 11 at 10 AM is available/);
      // Booking goes on while Google is down.
      google.failNext("POST", /freeBusy/, 503, undefined, 3);
      expect(await tool(clinic, "bookClinicAppointment", { name: "Ana Ruiz", start: "2026-03-12T10:00:00-04:00" })).toMatch(/^You're booked for /);
    } finally {
      google.account.busy = [];
    }
  });
});

describe("dashboard bookings", () => {
  // Failures queued but not consumed by another test must not decide these (nor leak into the next).
  beforeEach(() => google.reset());
  afterEach(() => google.reset());
  const day = (owner: TestUser, query = "") => http.request("GET", `/api/appointments/slots?day=2026-03-10${query}`, { headers: owner.bearer });
  const book = (owner: TestUser, start: string, serviceId?: string) =>
    http.request("POST", "/api/appointments", { headers: owner.bearer, body: { name: "Ana Ruiz", phone: "(212) 555-3010", start, serviceId } });
  const move = (owner: TestUser, id: string, start: string) => http.request("PATCH", `/api/appointments/${id}`, { headers: owner.bearer, body: { start } });
  const faceliftOf = async (orgId: string) =>
    (await t.admin.query("select id from services where org_id = $1 and name = 'Facelift'", [orgId])).rows[0].id as string;

  it("a time busy in Google is missing from the slot picker, and a manual booking or move onto it is a 409 with alternatives", async () => {
    const { owner } = await clinicWithGoogle();
    // The staff meeting, 10:00–11:00 New York time.
    google.account.busy = [{ start: "2026-03-10T14:00:00Z", end: "2026-03-10T15:00:00Z" }];
    try {
      const slots = (await day(owner)).body.slots;
      expect(slots.slice(0, 4)).toEqual(["2026-03-10T09:00:00-04:00", "2026-03-10T09:30:00-04:00", "2026-03-10T11:00:00-04:00", "2026-03-10T11:30:00-04:00"]);

      const refused = await book(owner, "2026-03-10T10:30:00-04:00");
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        "Tuesday, March 10 at 10:30 AM is already taken. Next free: Tuesday, March 10 at 11:00 AM; Tuesday, March 10 at 11:30 AM; Tuesday, March 10 at 12:00 PM.",
      );
      expect(refused.body.error.alternatives).toEqual(["2026-03-10T11:00:00-04:00", "2026-03-10T11:30:00-04:00", "2026-03-10T12:00:00-04:00"]);
      expect(await appointments(owner.orgId)).toEqual([]);

      const booked = await book(owner, "2026-03-10T09:00:00-04:00");
      expect(booked.status).toBe(201);
      const onto = await move(owner, booked.body.appointment.id, "2026-03-10T10:00:00-04:00");
      expect(onto.status).toBe(409);
      expect(onto.body.error.alternatives[0]).toBe("2026-03-10T11:00:00-04:00");
      expect((await appointments(owner.orgId)).map((a) => a.status)).toEqual(["booked"]);
      expect((await move(owner, booked.body.appointment.id, "2026-03-10T11:00:00-04:00")).status).toBe(200);
    } finally {
      google.account.busy = [];
    }
  });

  it("an appointment's own event in Google does not stop moving it into its own time", async () => {
    const { owner } = await clinicWithGoogle();
    const booked = await book(owner, "2026-03-11T11:00:00-04:00", await faceliftOf(owner.orgId));
    expect(booked.status).toBe(201);
    // Its event, 11:00–12:00, as Google's free/busy reports it once the sync job wrote it.
    google.account.busy = [{ start: "2026-03-11T15:00:00Z", end: "2026-03-11T16:00:00Z" }];
    try {
      const picker = await http.request("GET", `/api/appointments/slots?day=2026-03-11&excludeAppointmentId=${booked.body.appointment.id}`, {
        headers: owner.bearer,
      });
      expect(picker.body.slots).toContain("2026-03-11T10:30:00-04:00");
      expect(picker.body.slots).toContain("2026-03-11T11:30:00-04:00");
      // Another booking still sees that hour as taken.
      expect((await http.request("GET", "/api/appointments/slots?day=2026-03-11", { headers: owner.bearer })).body.slots).not.toContain(
        "2026-03-11T11:30:00-04:00",
      );
      const moved = await move(owner, booked.body.appointment.id, "2026-03-11T11:30:00-04:00");
      expect(moved.status).toBe(200);
      expect(moved.body.appointment.startsAt).toBe("2026-03-11T15:30:00.000Z");
    } finally {
      google.account.busy = [];
    }
  });

  it("when Google is slow or down, the front desk books and moves from our own table", async () => {
    const { owner } = await clinicWithGoogle();
    google.account.busy = [{ start: "2026-03-12T14:00:00Z", end: "2026-03-12T15:00:00Z" }];
    try {
      google.delay("POST", /freeBusy/, 10_000, 1);
      const booked = await book(owner, "2026-03-12T10:00:00-04:00");
      expect(booked.status).toBe(201);
      google.failNext("POST", /freeBusy/, 503, undefined, 5);
      expect((await move(owner, booked.body.appointment.id, "2026-03-12T10:30:00-04:00")).status).toBe(200);
    } finally {
      google.account.busy = [];
    }
  });
});

describe("events", () => {
  it("a booking creates one event with a deterministic id, even when the insert job runs again", async () => {
    const { clinic } = await clinicWithGoogle();
    expect(await tool(clinic, "bookClinicAppointment", { name: "Ana Ruiz", service: "botox", start: "2026-03-10T14:00:00-04:00" })).toMatch(
      /^You're booked for /,
    );
    const [appointment] = await eventually(async () => {
      const rows = await appointments(clinic.orgId);
      return rows[0]?.google_sync_status === "synced" ? rows : null;
    });
    const eventId = calendarEventId(appointment.id);
    expect(eventId).toMatch(/^[a-v0-9]{32}$/);
    expect(appointment.google_event_id).toBe(eventId);
    expect((await clinicEvents(clinic.orgId)).map((e) => e.id)).toEqual([eventId]);
    const event = google.events.get(eventId)!;
    expect(event.start).toEqual({ dateTime: "2026-03-10T14:00:00-04:00", timeZone: "America/New_York" });
    expect(event.summary).toBe("Botox — Ana Ruiz");

    // The job runs twice more (a retry after a lost answer): Google says 409, and that is success.
    const ctx = { db: t.db, logger: t.deps.logger, clock, jobId: "again", services: { google: calendar } };
    await googleCalendarSyncJob.handler({ kind: "booked", orgId: clinic.orgId, appointmentId: appointment.id }, ctx);
    await googleCalendarSyncJob.handler({ kind: "booked", orgId: clinic.orgId, appointmentId: appointment.id }, ctx);
    expect((await clinicEvents(clinic.orgId)).map((e) => e.id)).toEqual([eventId]);
    expect(google.requests.filter((r) => r.method === "POST" && r.path.endsWith("/events") && r.body?.id === eventId)).toHaveLength(3);
    expect((await appointments(clinic.orgId))[0].google_sync_status).toBe("synced");
  });

  it("a reschedule moves the event and a cancel deletes it", async () => {
    const { clinic } = await clinicWithGoogle();
    expect(await tool(clinic, "bookClinicAppointment", { name: "Ana Ruiz", start: "2026-03-10T14:00:00-04:00" })).toMatch(/^You're booked for /);
    const booked = await eventually(async () => (await appointments(clinic.orgId)).find((a) => a.google_sync_status === "synced"));
    const eventId = booked.google_event_id;

    expect(await tool(clinic, "rescheduleAppointment", { newStart: "2026-03-11T11:00:00-04:00" })).toMatch(/^Done: your appointment has moved from/);
    const moved = await eventually(async () =>
      (await appointments(clinic.orgId)).find((a) => a.status === "booked" && a.google_sync_status === "synced" && a.id !== booked.id),
    );
    expect(moved.google_event_id).toBe(eventId);
    expect((await clinicEvents(clinic.orgId)).map((e) => e.id)).toEqual([eventId]);
    expect(google.events.get(eventId)!.start).toEqual({ dateTime: "2026-03-11T11:00:00-04:00", timeZone: "America/New_York" });
    expect(google.sent("PATCH", `/calendar/v3/calendars/primary/events/${eventId}`)).toHaveLength(1);

    expect(await tool(clinic, "cancelAppointment", {})).toMatch(/^I've cancelled the Consultation appointment on Wednesday, March 11/);
    await eventually(async () => google.events.get(eventId)?.status === "cancelled");
    expect(await clinicEvents(clinic.orgId)).toEqual([]);
    await eventually(async () => (await appointments(clinic.orgId)).find((a) => a.id === moved.id && a.google_sync_status === "synced"));
  });

  it("a failed write is visible on the appointment and retried until it succeeds", async () => {
    const { owner, clinic } = await clinicWithGoogle();
    google.failNext("POST", /\/events$/, 503, undefined, 1);
    expect(await tool(clinic, "bookClinicAppointment", { name: "Ana Ruiz", start: "2026-03-10T15:00:00-04:00" })).toMatch(/^You're booked for /);
    const failed = await eventually(async () => (await appointments(clinic.orgId)).find((a) => a.google_sync_status === "failed"));
    expect(failed.google_sync_error).toMatch(/^Google answered 503/);
    expect((await status(owner)).failedAppointments).toBe(1);
    // pg-boss retries the job (10 s later): the event is written and the failure cleared.
    await eventually(async () => (await appointments(clinic.orgId)).find((a) => a.google_sync_status === "synced"), 30_000);
    expect(await clinicEvents(clinic.orgId)).toHaveLength(1);
    expect((await status(owner)).failedAppointments).toBe(0);
  }, 40_000);
});

describe("health", () => {
  it("invalid_grant: needs_reconnect with the error, the clinic alerted once, and bookings go on", async () => {
    const { owner, clinic } = await clinicWithGoogle();
    // A lookup first, so the process holds a live access token when Google revokes the grant.
    expect(await tool(clinic, "checkAvailability", { date: "March 9 at 10am" })).toMatch(/^Yes/);
    google.revokeAll();
    // Availability still answers, from our own table.
    expect(await tool(clinic, "checkAvailability", { date: "March 10 at 10am" })).toMatch(/^Yes, Tuesday, March 10 at 10 AM is available/);
    const card = await eventually(async () => {
      const s = await status(owner);
      return s.status === "needs_reconnect" ? s : null;
    });
    expect(card.lastError).toMatch(/invalid_grant/);
    expect(card.connectedEmail).toBe("frontdesk@clinic.example");

    expect(await tool(clinic, "bookClinicAppointment", { name: "Ana Ruiz", start: "2026-03-10T10:00:00-04:00" })).toMatch(/^You're booked for /);
    const appointment = await eventually(async () => (await appointments(clinic.orgId)).find((a) => a.google_sync_status === "failed"));
    expect(appointment.google_sync_error).toMatch(/needs reconnecting/);
    expect(appointment.status).toBe("booked");

    const alerts = await eventually(async () => {
      const { rows } = await t.admin.query("select status, status_reason from messages where org_id = $1 and purpose = 'integration_alert'", [owner.orgId]);
      return rows.length ? rows : null;
    });
    expect(alerts).toHaveLength(1);
    const audit = await t.admin.query("select count(*)::int as n from audit_events where org_id = $1 and action = 'integration.google.needs_reconnect'", [
      owner.orgId,
    ]);
    expect(audit.rows[0].n).toBe(1);

    // Reconnecting makes it active again and writes the appointment that was missed.
    expect(await connect(owner)).toBe("http://localhost:3002/integrations?google=connected");
    expect((await status(owner)).status).toBe("active");
    await eventually(async () => (await appointments(clinic.orgId)).find((a) => a.google_sync_status === "synced"));
    expect((await clinicEvents(clinic.orgId)).map((e) => e.id)).toEqual([calendarEventId(appointment.id)]);
    // Google's refusals were logged as messages; no refresh token ever reached a log line.
    const logs = t.logs.text();
    expect(logs).toContain("invalid_grant");
    for (const token of google.refreshTokens.keys()) expect(logs).not.toContain(token);
  });

  it("invalid_grant met by an event write: needs_reconnect, the appointment marked, no retry storm", async () => {
    const { owner, clinic } = await clinicWithGoogle();
    const appointmentId = (
      await t.admin.query(
        `insert into appointments (org_id, contact_id, starts_at, ends_at, status, source)
         values ($1, (select id from contacts where org_id = $1 limit 1), '2026-03-12T15:00:00Z', '2026-03-12T15:30:00Z', 'booked', 'dashboard')
         returning id`,
        [owner.orgId],
      )
    ).rows[0]?.id;
    google.revokeAll();
    calendar.forget(owner.orgId);
    const ctx = { db: t.db, logger: t.deps.logger, clock, jobId: "grant", services: { google: calendar } };
    await googleCalendarSyncJob.handler({ kind: "booked", orgId: clinic.orgId, appointmentId }, ctx);
    expect((await status(owner)).status).toBe("needs_reconnect");
    expect((await appointments(clinic.orgId))[0]).toMatchObject({
      google_sync_status: "failed",
      google_sync_error: expect.stringMatching(/needs reconnecting/),
    });
  });

  it("the daily check refreshes each token and catches a dead one before a call does", async () => {
    const { owner } = await clinicWithGoogle();
    expect(await calendar.checkToken(owner.orgId)).toBe("ok");
    expect((await status(owner)).lastCheckedAt).toBe("2026-03-05T15:00:00.000Z");
    for (const [token, stored] of google.refreshTokens) if (token === (await storedRefreshToken(owner.orgId))) stored.revoked = true;
    expect(await calendar.checkToken(owner.orgId)).toBe("needs_reconnect");
    expect((await status(owner)).status).toBe("needs_reconnect");
  });
});

describe("not configured", () => {
  it("says exactly what to set, and the connect button leads back to the page", async () => {
    const bare = await createTestApp();
    const server = await listen(bare.app);
    const owner = await signUpClinic(bare);
    const res = await server.request("GET", "/api/integrations/google", { headers: owner.bearer });
    expect(res.body).toMatchObject({ status: "not_configured", connectedEmail: null });
    expect(res.body.reason).toMatch(/set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET/);
    const start = await fetch(`${server.baseUrl}/api/integrations/google/start`, { headers: owner.bearer, redirect: "manual" });
    expect(start.status).toBe(302);
    expect(start.headers.get("location")).toBe("http://localhost:3002/integrations?google=not_configured");
  });
});
