import { z } from "zod";
import { defineRoute, IsoDateTime, Redirect } from "./route";

/**
 * Integrations: the clinic's own Twilio account (bring your own number) and its webhooks. Connecting
 * validates the credentials with Twilio, confirms the number is on that account, stores the secrets
 * encrypted, creates the Twilio credential in Vapi and imports the number linked to the inbound
 * receptionist. Secrets go in, never out: no response carries a token or secret.
 */

const E164 = z
  .string()
  .trim()
  .regex(/^\+[1-9][0-9]{6,14}$/, "Enter the number in international format, like +12125550123");
const accountSid = z
  .string()
  .trim()
  .regex(/^AC[0-9a-fA-F]{32}$/, "The account SID starts with AC followed by 32 letters and digits (Twilio Console → Account info).");

export const TwilioConnectWithToken = z
  .object({
    accountSid,
    authToken: z.string().trim().min(16, "The auth token is 32 characters (Twilio Console → Account info).").max(128),
    phoneNumber: E164,
  })
  .strict();
export const TwilioConnectWithApiKey = z
  .object({
    accountSid,
    apiKeySid: z
      .string()
      .trim()
      .regex(/^SK[0-9a-fA-F]{32}$/, "The API key SID starts with SK followed by 32 letters and digits."),
    apiKeySecret: z.string().trim().min(16, "The API key secret is 32 characters.").max(128),
    phoneNumber: E164,
  })
  .strict();
export const TwilioConnectBody = z.union([TwilioConnectWithToken, TwilioConnectWithApiKey]);
export type TwilioConnectBody = z.infer<typeof TwilioConnectBody>;

/** The steps of connecting, in order; a failure names the step. */
export const TWILIO_CONNECT_STEPS = [
  "check_credentials",
  "find_number",
  "save_credentials",
  "create_vapi_credential",
  "import_number",
  "configure_sms_webhook",
  "record_number",
] as const;
export const TwilioConnectStep = z.enum(TWILIO_CONNECT_STEPS);
export type TwilioConnectStep = z.infer<typeof TwilioConnectStep>;

export const TwilioStatus = z.object({
  status: z.enum(["not_connected", "active", "needs_reconnect", "failed", "revoked"]).describe("revoked = disconnected"),
  accountSid: z.string().nullable(),
  authMode: z.enum(["auth_token", "api_key"]).nullable(),
  phoneNumber: z.string().nullable().describe("The clinic's number (E.164)"),
  vapiPhoneNumberId: z.string().nullable(),
  linkedToAssistant: z.boolean().describe("The number answers with the inbound receptionist"),
  /** Status callbacks and inbound SMS (STOP/START/HELP) are signed with the auth token; an API key cannot check them. */
  webhooksVerified: z.boolean(),
  connectedAt: IsoDateTime.nullable(),
  /** Why connecting is not possible on this server (e.g. Vapi not configured), or null. */
  unavailableReason: z.string().nullable(),
  /** Warnings the clinic should read (trial account, API key mode). */
  notes: z.array(z.string()),
});
export type TwilioStatus = z.infer<typeof TwilioStatus>;

/** Twilio's webhook parameters: a flat form (Twilio adds parameters at any time, so it is open). */
export const TwilioWebhookForm = z.record(z.string(), z.string());
export const TwilioWebhookParams = z.object({ orgId: z.string().max(64) });
/** TwiML: an empty <Response/> or a <Message> reply. */
export const TwiMLResponse = z.string();

/**
 * The clinic's connections to other services, shown on the Integrations page. Google Calendar:
 * the clinic's busy times block slots, and every booking, reschedule and cancellation is written
 * to the calendar.
 */

export const GoogleConnectionStatus = z.enum(["not_configured", "not_connected", "active", "needs_reconnect"]);
export type GoogleConnectionStatus = z.infer<typeof GoogleConnectionStatus>;

export const GoogleIntegration = z.object({
  status: GoogleConnectionStatus.describe(
    "not_configured: the server has no Google OAuth client; needs_reconnect: Google refused the stored token (revoked or expired)",
  ),
  /** What the server's operator must set, when status is not_configured. */
  reason: z.string().nullable(),
  connectedEmail: z.string().nullable().describe("The Google account whose calendar is used"),
  calendarId: z.string().nullable(),
  connectedAt: IsoDateTime.nullable(),
  lastCheckedAt: IsoDateTime.nullable().describe("When the daily check last refreshed the token"),
  lastError: z.string().nullable(),
  lastErrorAt: IsoDateTime.nullable(),
  failedAppointments: z.number().int().min(0).describe("Upcoming appointments whose calendar event could not be written yet"),
});
export type GoogleIntegration = z.infer<typeof GoogleIntegration>;

/** How the callback ended, as `?google=` on the Integrations page. */
export const GOOGLE_CONNECT_OUTCOMES = ["connected", "denied", "invalid_state", "missing_scopes", "no_refresh_token", "failed", "not_configured"] as const;
export type GoogleConnectOutcome = (typeof GOOGLE_CONNECT_OUTCOMES)[number];

export const GoogleCallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(4096).optional(),
  error: z.string().max(200).optional(),
  scope: z.string().max(4096).optional(),
});

export const integrationsRoutes = {
  twilioStatus: defineRoute({
    method: "get",
    path: "/api/integrations/twilio",
    tag: "integrations",
    summary: "Whether the clinic's Twilio account and number are connected (never any secret)",
    response: TwilioStatus,
    access: ["owner", "admin", "staff"],
  }),
  twilioConnect: defineRoute({
    method: "post",
    path: "/api/integrations/twilio",
    tag: "integrations",
    summary:
      "Connect the clinic's Twilio account and number: check with Twilio, confirm the number, encrypt, create the Vapi credential, import the number linked to the inbound receptionist. Idempotent; a failed step undoes the earlier ones",
    body: TwilioConnectBody,
    response: TwilioStatus,
    access: ["owner", "admin"],
    action: "connect Twilio",
  }),
  twilioDisconnect: defineRoute({
    method: "delete",
    path: "/api/integrations/twilio",
    tag: "integrations",
    summary: "Disconnect Twilio: release the number from Vapi, delete the Vapi credential, erase the stored secrets",
    response: TwilioStatus,
    access: ["owner", "admin"],
    action: "disconnect Twilio",
  }),
  twilioMessageStatus: defineRoute({
    method: "post",
    path: "/api/webhooks/twilio/:orgId/status",
    tag: "webhooks",
    summary: "Twilio message status callback (X-Twilio-Signature with the clinic's auth token over PUBLIC_API_URL + path)",
    params: TwilioWebhookParams,
    body: TwilioWebhookForm,
    response: TwiMLResponse,
    access: "webhook",
  }),
  twilioInboundSms: defineRoute({
    method: "post",
    path: "/api/webhooks/twilio/:orgId/sms",
    tag: "webhooks",
    summary: "Inbound SMS to the clinic's number (signed): STOP / START / HELP keywords",
    params: TwilioWebhookParams,
    body: TwilioWebhookForm,
    response: TwiMLResponse,
    access: "webhook",
  }),
  google: defineRoute({
    method: "get",
    path: "/api/integrations/google",
    tag: "integrations",
    summary: "The clinic's Google Calendar connection: status, account, calendar, last error",
    response: GoogleIntegration,
    access: ["owner", "admin", "staff"],
  }),
  googleStart: defineRoute({
    method: "get",
    path: "/api/integrations/google/start",
    tag: "integrations",
    summary: "Starts connecting Google Calendar: redirects to Google's consent screen (offline access, signed single-use state)",
    response: Redirect,
    redirect: true,
    access: ["owner", "admin"],
    action: "connect Google Calendar",
  }),
  googleCallback: defineRoute({
    method: "get",
    path: "/api/integrations/google/callback",
    tag: "integrations",
    summary: "Google's redirect after consent: stores the refresh token encrypted and redirects to the Integrations page with the outcome",
    query: GoogleCallbackQuery,
    response: Redirect,
    redirect: true,
    access: ["owner", "admin"],
    action: "connect Google Calendar",
  }),
  googleDisconnect: defineRoute({
    method: "delete",
    path: "/api/integrations/google",
    tag: "integrations",
    summary: "Disconnects Google Calendar: revokes the token at Google and erases it",
    response: GoogleIntegration,
    access: ["owner", "admin"],
    action: "disconnect Google Calendar",
  }),
} as const;
