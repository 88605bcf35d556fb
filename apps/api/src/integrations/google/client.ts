import { auth as googleAuth, calendar, type calendar_v3 } from "@googleapis/calendar";
import type { Config } from "../../config";

/**
 * The Google clients for one clinic's calendar: google-auth-library's OAuth2 client (consent URL,
 * code exchange, refresh, revoke) and the Calendar v3 client, both pointed at GOOGLE_API_BASE_URL
 * when it is set (tests run a local fake Google there). Null without GOOGLE_CLIENT_ID and
 * GOOGLE_CLIENT_SECRET: "not configured" is a state the Integrations page shows.
 */

export type GoogleConfig = Pick<Config, "GOOGLE_CLIENT_ID" | "GOOGLE_CLIENT_SECRET" | "GOOGLE_API_BASE_URL" | "googleRedirectUrl">;
export type OAuthClient = InstanceType<typeof googleAuth.OAuth2>;
export type CalendarClient = calendar_v3.Calendar;

/** Free/busy of the calendar, and events on calendars the clinic's account owns; `openid email` names the account. */
export const GOOGLE_SCOPES = [
  "openid",
  "email",
  "https://www.googleapis.com/auth/calendar.freebusy",
  "https://www.googleapis.com/auth/calendar.events.owned",
] as const;
/** The scopes without which the connection is not usable (a user may untick them on Google's consent screen). */
export const REQUIRED_CALENDAR_SCOPES = GOOGLE_SCOPES.slice(2);

/** The calendar bookings are written to and read from: the connected account's own. */
export const CLINIC_CALENDAR_ID = "primary";

export const GOOGLE_NOT_CONFIGURED =
  "Google Calendar is not set up on this server: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (an OAuth client of type Web application with the Google Calendar API enabled) in the API's environment, and register GOOGLE_REDIRECT_URL as its redirect URI.";

export function googleConfigured(config: GoogleConfig): boolean {
  return Boolean(config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET);
}

const base = (config: GoogleConfig) => config.GOOGLE_API_BASE_URL?.replace(/\/+$/, "");

export function createOAuthClient(config: GoogleConfig): OAuthClient | null {
  if (!googleConfigured(config)) return null;
  const root = base(config);
  return new googleAuth.OAuth2({
    clientId: config.GOOGLE_CLIENT_ID,
    clientSecret: config.GOOGLE_CLIENT_SECRET,
    redirectUri: config.googleRedirectUrl,
    // A revoked grant shows up first as a 401 on a still-unexpired access token: refresh then, so
    // Google says invalid_grant and the connection is marked needs_reconnect.
    forceRefreshOnFailure: true,
    ...(root && {
      endpoints: {
        oauth2AuthBaseUrl: `${root}/o/oauth2/v2/auth`,
        oauth2TokenUrl: `${root}/token`,
        oauth2RevokeUrl: `${root}/revoke`,
        tokenInfoUrl: `${root}/tokeninfo`,
      },
    }),
  });
}

export function createCalendarClient(config: GoogleConfig, auth: OAuthClient): CalendarClient {
  const root = base(config);
  return calendar({ version: "v3", auth, ...(root && { rootUrl: `${root}/` }) });
}

/** The consent URL: offline access (a refresh token), consent every time (so one is always issued), our scopes, the signed state. */
export function authorizeUrl(client: OAuthClient, state: string): string {
  return client.generateAuthUrl({ access_type: "offline", prompt: "consent", scope: [...GOOGLE_SCOPES], include_granted_scopes: true, state });
}

type GoogleErrorShape = {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; data?: unknown };
};

/** What a failed Google call means for us. */
export type GoogleFailure =
  /** The refresh token was revoked or expired: the clinic must reconnect; retrying cannot help. */
  | "invalid_grant"
  /** Our OAuth client is wrong (id/secret): an operator must fix the server's configuration. */
  | "invalid_client"
  /** 409: the event id already exists (an earlier attempt got through). */
  | "duplicate"
  /** 404 / 410: the event is not there (never created, or already deleted). */
  | "gone"
  /** 5xx, 429, timeouts, connection errors: try again later. */
  | "transient"
  | "other";

export function googleFailure(err: unknown): GoogleFailure {
  const e = (err ?? {}) as GoogleErrorShape;
  const status = e.response?.status ?? e.status;
  const data = e.response?.data as { error?: unknown } | undefined;
  const oauthError = typeof data?.error === "string" ? data.error : null;
  if (oauthError === "invalid_grant" || e.message === "invalid_grant") return "invalid_grant";
  if (oauthError === "invalid_client" || oauthError === "unauthorized_client") return "invalid_client";
  if (status === 409) return "duplicate";
  if (status === 404 || status === 410) return "gone";
  if (status === undefined || status >= 500 || status === 429 || status === 408) return "transient";
  return "other";
}

/** Google's own explanation, short, for the clinic (never a token: Google's errors do not echo them). */
export function googleMessage(err: unknown): string {
  const e = (err ?? {}) as GoogleErrorShape;
  const status = e.response?.status ?? e.status;
  const data = e.response?.data as { error?: unknown; error_description?: unknown } | undefined;
  let detail: string | null = null;
  if (typeof data?.error === "string") detail = typeof data.error_description === "string" ? `${data.error}: ${data.error_description}` : data.error;
  else if (data?.error && typeof (data.error as { message?: unknown }).message === "string") detail = (data.error as { message: string }).message;
  detail ??= e.message ?? "no answer";
  return (status ? `Google answered ${status}: ${detail}` : `Could not reach Google: ${detail}`).slice(0, 500);
}
