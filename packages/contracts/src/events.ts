import { z } from "zod";
import { AppointmentStatus } from "./appointment";
import { CallContact, CallListItem } from "./calls";
import { defineRoute, IsoDateTime, Uuid } from "./route";

/**
 * Live feed events (`/ws`). Database triggers publish them on every write, whatever code path made
 * it, so they carry ids and small fields only — fetch details over REST when needed. Timestamps
 * are ISO 8601 strings.
 */

/** The Postgres NOTIFY channel every API process LISTENs on. */
export const LIVE_EVENTS_CHANNEL = "voxanne_events";

const ts = z.string().describe("ISO 8601");

/** A call as the live feed carries it: the calls-table row's small fields (no transcript or contact). */
export const LiveCall = CallListItem.pick({
  id: true,
  vapiCallId: true,
  direction: true,
  status: true,
  fromNumber: true,
  toNumber: true,
  durationSeconds: true,
  sentimentLabel: true,
  bookingConfirmed: true,
  financialValue: true,
  leadScore: true,
  leadTemperature: true,
  urgency: true,
  isEmergency: true,
  recordingStatus: true,
}).extend({
  startedAt: ts,
  endedAt: ts.nullable(),
  contactId: Uuid.nullable(),
  analyzed: z.boolean().describe("True once the end-of-call report has been processed"),
});
export type LiveCall = z.infer<typeof LiveCall>;

export const LiveAppointment = z.object({
  id: Uuid,
  contactId: Uuid.nullable(),
  serviceId: Uuid.nullable(),
  vapiCallId: z.string().nullable(),
  startsAt: ts,
  endsAt: ts,
  status: AppointmentStatus,
  source: z.string(),
});
export type LiveAppointment = z.infer<typeof LiveAppointment>;

export const LiveContact = CallContact.extend({
  serviceInterests: z.array(z.string()),
  lastContactedAt: ts.nullable(),
});
export type LiveContact = z.infer<typeof LiveContact>;

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({
    id: Uuid.describe("Unique per event; use it to de-duplicate"),
    type: z.literal(type),
    orgId: Uuid,
    at: ts.describe("When the change was committed"),
    data,
  });

export const CallStartedEvent = envelope("call.started", LiveCall);
export const CallUpdatedEvent = envelope("call.updated", LiveCall);
export const CallEndedEvent = envelope("call.ended", LiveCall);
export const AppointmentBookedEvent = envelope("appointment.booked", LiveAppointment);
export const AppointmentCancelledEvent = envelope("appointment.cancelled", LiveAppointment);
export const ContactUpdatedEvent = envelope("contact.updated", LiveContact);
export const AgentSyncEvent = envelope(
  "agent.sync",
  z.object({ role: z.enum(["inbound", "outbound"]), syncStatus: z.string(), syncError: z.string().nullable(), lastSyncedAt: ts.nullable() }),
);
/** One spoken line of a call in progress, as the caller or the receptionist said it, already redacted. */
export const LiveTranscriptLine = z.object({
  role: z.enum(["assistant", "user"]),
  text: z.string(),
});
export type LiveTranscriptLine = z.infer<typeof LiveTranscriptLine>;

/**
 * What is being said on a call in progress (Vapi's final `transcript` lines and its
 * `conversation-update` history). Sent straight to the dashboards, never stored: the call's
 * transcript is stored once, from the end-of-call report.
 */
export const CallTranscriptEvent = envelope(
  "call.transcript",
  z.object({
    vapiCallId: z.string(),
    /** Our call id, once the call's first status update has been stored. */
    callId: Uuid.nullable(),
    /** "line": one more line; "history": every line so far (replaces what the dashboard has). */
    kind: z.enum(["line", "history"]),
    lines: z.array(LiveTranscriptLine),
  }),
);
export type CallTranscriptEvent = z.infer<typeof CallTranscriptEvent>;

export const LiveEvent = z.discriminatedUnion("type", [
  CallStartedEvent,
  CallUpdatedEvent,
  CallEndedEvent,
  AppointmentBookedEvent,
  AppointmentCancelledEvent,
  ContactUpdatedEvent,
  AgentSyncEvent,
  CallTranscriptEvent,
]);
export type LiveEvent = z.infer<typeof LiveEvent>;
export type LiveEventType = LiveEvent["type"];
export const LIVE_EVENT_TYPES = LiveEvent.options.map((o) => o.shape.type.value) as LiveEventType[];

/** Sent once after the socket is accepted. */
export const LiveReady = z.object({
  type: z.literal("ready"),
  orgId: Uuid,
  serverTime: ts,
  heartbeatMs: z.number().int().describe("A heartbeat arrives at least this often; silence for 2× means the link is dead"),
});
/** Keeps idle links alive through proxies and lets the browser notice a dead link. */
export const LiveHeartbeat = z.object({ type: z.literal("heartbeat"), at: ts });

/**
 * Too many changes at once (a bulk import) to send one by one: refetch what the page shows,
 * as after a reconnect.
 */
export const LiveResync = z.object({ type: z.literal("resync"), id: Uuid, orgId: Uuid, at: ts });

export const LiveServerMessage = z.union([LiveEvent, LiveReady, LiveHeartbeat, LiveResync]);
export type LiveServerMessage = z.infer<typeof LiveServerMessage>;

/** WebSocket close codes the server uses (4000–4999 are application codes). */
export const LiveCloseCode = {
  /** The server is shutting down; reconnect (another instance will answer). */
  goingAway: 1001,
  /** The session that opened the socket was signed out or revoked: do not reconnect; sign in again. */
  sessionEnded: 4001,
  /** The client could not keep up with the event stream; reconnect and re-sync. */
  slowConsumer: 4008,
  /** No pong to a ping: the link is dead. */
  heartbeatTimeout: 4009,
} as const;

export const LiveTicket = z.object({
  ticket: z.string().describe("Single use; valid for expiresInSeconds"),
  expiresAt: IsoDateTime,
  expiresInSeconds: z.number().int(),
  path: z.string().describe('Open a WebSocket to `<path>?ticket=<ticket>` on the API origin, e.g. "/ws"'),
});
export type LiveTicket = z.infer<typeof LiveTicket>;

export const liveRoutes = {
  ticket: defineRoute({
    method: "post",
    path: "/api/ws/ticket",
    tag: "live",
    summary: "A short-lived single-use ticket to open the /ws live feed of the signed-in user's organization",
    response: LiveTicket,
    status: 201,
    access: ["owner", "admin", "staff"],
  }),
} as const;
