import type { Config } from "../../config";
import type { Database, Db } from "../../db/database";
import type { Clock } from "../../lib/clock";
import { systemClock } from "../../lib/clock";
import type { JobQueue } from "../../lib/job-queue";
import type { Logger } from "../../logger";
import type { BusyRange } from "../../modules/booking/availability";
import { auditCalendarEvent, upcomingUnsynced } from "../../modules/calendar/queries";
import { credentialStatus, readCredential, replaceCredentialSecret } from "../../modules/credentials/service";
import { mergeCredentialMetadata, transitionCredential } from "../../modules/credentials/queries";
import {
  CLINIC_CALENDAR_ID,
  type CalendarClient,
  createCalendarClient,
  createOAuthClient,
  googleConfigured,
  googleFailure,
  googleMessage,
  type OAuthClient,
} from "./client";

/** The event write after a booking change (integrations/google/events.ts, jobs/google-calendar.ts). */
export const GOOGLE_CALENDAR_SYNC_JOB = "google-calendar-sync";

/** Queued when a clinic's connection breaks, to tell the clinic (jobs/google-calendar.ts). */
export const GOOGLE_RECONNECT_ALERT_JOB = "google-reconnect-alert";

export type GoogleConnection =
  | { kind: "not_configured" | "not_connected" | "needs_reconnect" }
  | { kind: "ready"; oauth: OAuthClient; calendar: CalendarClient };

type ClientEntry = { refreshToken: string; oauth: OAuthClient; calendar: CalendarClient };

/** How long a failed free/busy lookup is remembered, so a Google outage costs a call at most one wait per range. */
const FAILED_LOOKUP_MEMORY_MS = 5000;

/**
 * One process's Google Calendar access for every clinic: the clinics' OAuth clients (kept, so an
 * access token is reused until it expires; the library refreshes it and de-duplicates concurrent
 * refreshes), free/busy with a hard timeout and a short cache, and the connection's health. A
 * refresh response that carries a new refresh token is sealed into the vault in place of the old
 * one; one without (the usual case) changes nothing stored. `invalid_grant` moves the connection
 * to needs_reconnect, once, with an audit event and an alert to the clinic.
 */
export class GoogleCalendar {
  readonly configured: boolean;
  private readonly clients = new Map<string, ClientEntry>();
  private readonly busyCache = new Map<string, { until: number; busy: BusyRange[] }>();
  /** Clinics found without a usable connection, so a call's several slot searches read the vault once. */
  private readonly unusable = new Map<string, number>();
  private jobs: JobQueue | undefined;

  constructor(
    private readonly deps: {
      config: Pick<
        Config,
        | "GOOGLE_CLIENT_ID"
        | "GOOGLE_CLIENT_SECRET"
        | "GOOGLE_API_BASE_URL"
        | "googleRedirectUrl"
        | "GOOGLE_FREEBUSY_TIMEOUT_MS"
        | "GOOGLE_FREEBUSY_CACHE_MS"
        | "encryptionKeys"
      >;
      db: Database;
      logger: Logger;
      clock?: Clock;
      jobs?: JobQueue;
    },
  ) {
    this.configured = googleConfigured(deps.config);
    this.jobs = deps.jobs;
  }

  /** The job queue is built after this object in server.ts (its jobs use this object). */
  useJobs(jobs: JobQueue | undefined): void {
    this.jobs = jobs;
  }

  private get now(): Date {
    return (this.deps.clock ?? systemClock).now();
  }

  /** The clinic's clients, or why there are none. Reads the vault inside `db`'s transaction. */
  async connection(db: Db, orgId: string): Promise<GoogleConnection> {
    if (!this.configured) return { kind: "not_configured" };
    const status = (await credentialStatus(db, orgId, "google")).status;
    if (status === "needs_reconnect") return { kind: "needs_reconnect" };
    if (status !== "active") return { kind: "not_connected" };
    const { refreshToken } = await readCredential(db, this.deps.config.encryptionKeys, orgId, "google");
    const entry = this.clientFor(orgId, refreshToken);
    return { kind: "ready", oauth: entry.oauth, calendar: entry.calendar };
  }

  private clientFor(orgId: string, refreshToken: string): ClientEntry {
    const cached = this.clients.get(orgId);
    if (cached?.refreshToken === refreshToken) return cached;
    const oauth = createOAuthClient(this.deps.config)!;
    oauth.setCredentials({ refresh_token: refreshToken });
    const entry: ClientEntry = { refreshToken, oauth, calendar: createCalendarClient(this.deps.config, oauth) };
    // Fired on every refresh. Google usually sends no refresh_token then: keep the stored one.
    oauth.on("tokens", (tokens) => {
      if (!tokens.refresh_token || tokens.refresh_token === entry.refreshToken) return;
      entry.refreshToken = tokens.refresh_token;
      void this.storeRotatedToken(orgId, tokens.refresh_token, tokens.scope ?? undefined);
    });
    this.clients.set(orgId, entry);
    return entry;
  }

  private async storeRotatedToken(orgId: string, refreshToken: string, scope: string | undefined): Promise<void> {
    try {
      await this.deps.db.asService(orgId, (tx) =>
        replaceCredentialSecret(tx, this.deps.config.encryptionKeys, orgId, "google", { refreshToken, ...(scope && { scope }) }),
      );
    } catch (err) {
      this.deps.logger.error({ orgId, err: googleMessage(err) }, "could not store Google's new refresh token");
    }
  }

  /** Forgets what this process holds for a clinic (after connect, disconnect or a broken token). */
  forget(orgId: string): void {
    this.clients.delete(orgId);
    this.unusable.delete(orgId);
    for (const key of this.busyCache.keys()) if (key.startsWith(`${orgId}|`)) this.busyCache.delete(key);
  }

  /**
   * The clinic's busy times in Google between `from` and `to`, for slot search. Never throws and
   * never waits longer than GOOGLE_FREEBUSY_TIMEOUT_MS for Google: when Google is slow, down or
   * answers with per-calendar errors, the answer is "nothing known" and the receptionist offers
   * slots from our own table (the calendar event written after the booking shows any clash).
   */
  async busy(db: Db, orgId: string, from: Date, to: Date): Promise<BusyRange[]> {
    if (!this.configured) return [];
    const key = `${orgId}|${from.toISOString()}|${to.toISOString()}`;
    const nowMs = this.now.getTime();
    const cached = this.busyCache.get(key);
    if (cached && cached.until > nowMs) return cached.busy;

    if ((this.unusable.get(orgId) ?? 0) > nowMs) return [];
    let connection: GoogleConnection;
    try {
      connection = await this.connection(db, orgId);
    } catch (err) {
      this.deps.logger.warn({ orgId, err: (err as Error).message }, "Google credentials unreadable; availability from our own table");
      return [];
    }
    if (connection.kind !== "ready") {
      this.unusable.set(orgId, nowMs + Math.min(FAILED_LOOKUP_MEMORY_MS, this.deps.config.GOOGLE_FREEBUSY_CACHE_MS));
      return [];
    }

    const timeoutMs = this.deps.config.GOOGLE_FREEBUSY_TIMEOUT_MS;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const lookup = connection.calendar.freebusy
      .query(
        { requestBody: { timeMin: from.toISOString(), timeMax: to.toISOString(), items: [{ id: CLINIC_CALENDAR_ID }] } },
        { signal: abort.signal, retry: false },
      )
      .then((res) => {
        const calendar = res.data.calendars?.[CLINIC_CALENDAR_ID];
        // Per-calendar failures come back inside a 200: unknown availability, not "free".
        if (!calendar || calendar.errors?.length)
          throw new Error(`free/busy errors: ${(calendar?.errors ?? []).map((e) => e.reason).join(", ") || "no calendar"}`);
        return (calendar.busy ?? []).map((b) => ({ start: Date.parse(b.start!), end: Date.parse(b.end!) })).filter((b) => b.end > b.start);
      });
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    try {
      const result = await Promise.race([lookup, deadline]);
      if (result === "timeout") {
        // The caller moves on; a refusal that arrives late still marks the connection.
        lookup.catch((err: unknown) => (googleFailure(err) === "invalid_grant" ? this.needsReconnect(orgId, err) : undefined));
        abort.abort();
        this.deps.logger.warn({ orgId, timeoutMs }, "Google free/busy timed out; availability from our own table");
        this.busyCache.set(key, { until: nowMs + Math.min(FAILED_LOOKUP_MEMORY_MS, this.deps.config.GOOGLE_FREEBUSY_CACHE_MS), busy: [] });
        return [];
      }
      this.busyCache.set(key, { until: nowMs + this.deps.config.GOOGLE_FREEBUSY_CACHE_MS, busy: result });
      return result;
    } catch (err) {
      if (googleFailure(err) === "invalid_grant") await this.needsReconnect(orgId, err);
      else this.busyCache.set(key, { until: nowMs + Math.min(FAILED_LOOKUP_MEMORY_MS, this.deps.config.GOOGLE_FREEBUSY_CACHE_MS), busy: [] });
      this.deps.logger.warn({ orgId, err: googleMessage(err) }, "Google free/busy failed; availability from our own table");
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The daily health check of one clinic: a fresh client (no cached access token) refreshes the
   * stored token once. A dead token becomes needs_reconnect now rather than during a call; a
   * healthy one gets `last_checked_at`, and appointments whose event is still unwritten are queued.
   */
  async checkToken(orgId: string): Promise<"ok" | "needs_reconnect" | "not_connected" | "failed"> {
    if (!this.configured) return "not_connected";
    const { db, config, logger } = this.deps;
    const stored = await db.asService(orgId, async (tx) =>
      (await credentialStatus(tx, orgId, "google")).status === "active" ? readCredential(tx, config.encryptionKeys, orgId, "google") : null,
    );
    if (!stored) return "not_connected";
    const oauth = createOAuthClient(config)!;
    oauth.setCredentials({ refresh_token: stored.refreshToken });
    try {
      await oauth.getAccessToken();
    } catch (err) {
      if (googleFailure(err) === "invalid_grant") {
        await this.needsReconnect(orgId, err);
        return "needs_reconnect";
      }
      logger.warn({ orgId, err: googleMessage(err) }, "Google token check failed; trying again tomorrow");
      return "failed";
    }
    const now = this.now;
    await db.asService(orgId, async (tx) => {
      await mergeCredentialMetadata(tx, orgId, "google", { last_checked_at: now.toISOString() });
      await this.requeueUnsynced(tx, orgId, now);
    });
    return "ok";
  }

  /** Queues the event write of every upcoming appointment not known to be in the calendar (after a reconnect, or failed writes). */
  async requeueUnsynced(tx: Db, orgId: string, now: Date): Promise<number> {
    if (!this.jobs) return 0;
    const ids = await upcomingUnsynced(tx, orgId, now);
    for (const appointmentId of ids) {
      await this.jobs.send(GOOGLE_CALENDAR_SYNC_JOB, { kind: "booked", orgId, appointmentId }, { db: tx });
    }
    return ids.length;
  }

  /**
   * Google refused the refresh token: the connection needs the clinic to reconnect. Moves it from
   * active once (concurrent failures do nothing more), audits it and queues the clinic's alert.
   * Runs in its own transaction, so it sticks even when the caller's work rolls back.
   */
  async needsReconnect(orgId: string, err: unknown): Promise<void> {
    this.forget(orgId);
    const message = googleMessage(err);
    try {
      await this.deps.db.asService(orgId, async (tx) => {
        const moved = await transitionCredential(tx, orgId, "google", {
          from: ["active"],
          to: "needs_reconnect",
          metadata: { last_error: message, last_error_at: this.now.toISOString() },
        });
        if (!moved) return;
        await auditCalendarEvent(tx, { orgId, actorUserId: null, action: "integration.google.needs_reconnect", data: { error: message } });
        await this.jobs?.send(GOOGLE_RECONNECT_ALERT_JOB, { orgId }, { db: tx, singletonKey: `google-reconnect:${orgId}` });
      });
      this.deps.logger.warn({ orgId, err: message }, "Google refused the clinic's token; the connection needs reconnecting");
    } catch (e) {
      this.deps.logger.error({ orgId, err: (e as Error).message }, "could not record the broken Google connection");
    }
  }
}
