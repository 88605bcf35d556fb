import { z } from "zod";
import { LeadStatus, LeadTemperature } from "./contact";
import { defineRoute, IsoDateTime, Uuid } from "./route";

export const CallDirection = z.enum(["inbound", "outbound", "web"]);
export type CallDirection = z.infer<typeof CallDirection>;

/** Vapi's call statuses we keep, in lifecycle order (a call only ever moves forward). */
export const CallStatus = z.enum(["scheduled", "queued", "ringing", "in-progress", "forwarding", "ended"]);
export type CallStatus = z.infer<typeof CallStatus>;

export const SentimentLabel = z.enum(["positive", "neutral", "negative"]);
export type SentimentLabel = z.infer<typeof SentimentLabel>;

export const RecordingStatus = z.enum(["pending", "processing", "completed", "failed"]);
export type RecordingStatus = z.infer<typeof RecordingStatus>;

export const CallUrgency = z.enum(["low", "normal", "high"]);
export type CallUrgency = z.infer<typeof CallUrgency>;

/** The caller as the calls table shows them (null for web calls and withheld numbers). */
export const CallContact = z.object({
  id: Uuid,
  name: z.string().nullable(),
  phone: z.string(),
  leadStatus: LeadStatus,
  leadScore: z.number().int().min(0).max(100),
  leadTemperature: LeadTemperature,
});
export type CallContact = z.infer<typeof CallContact>;

/** One row of the calls table. */
export const CallListItem = z.object({
  id: Uuid,
  vapiCallId: z.string(),
  direction: CallDirection,
  status: CallStatus,
  fromNumber: z.string().nullable(),
  toNumber: z.string().nullable(),
  startedAt: IsoDateTime,
  endedAt: IsoDateTime.nullable(),
  durationSeconds: z.number().int().nullable(),
  summary: z.string().nullable(),
  sentimentLabel: SentimentLabel.nullable(),
  sentimentScore: z.number().min(-1).max(1).nullable(),
  urgency: CallUrgency,
  isEmergency: z.boolean(),
  bookingConfirmed: z.boolean(),
  financialValue: z.number(),
  leadScore: z.number().int().nullable(),
  leadTemperature: LeadTemperature.nullable(),
  serviceInterests: z.array(z.string()),
  recordingStatus: RecordingStatus,
  hasRecording: z.boolean(),
  endedReason: z.string().nullable(),
  transferred: z.boolean(),
  /** False until the end-of-call report has been processed (transcript, sentiment, value). */
  analyzed: z.boolean(),
  contact: CallContact.nullable(),
});
export type CallListItem = z.infer<typeof CallListItem>;

/** A line of the conversation as stored (PII-redacted). */
export const CallTranscriptMessage = z.object({
  role: z.enum(["assistant", "user", "system", "tool_call", "tool_result"]),
  text: z.string(),
  secondsFromStart: z.number().nullable(),
  toolName: z.string().nullable(),
});
export type CallTranscriptMessage = z.infer<typeof CallTranscriptMessage>;

export const CallAppointment = z.object({
  id: Uuid,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  status: z.string(),
  serviceName: z.string().nullable(),
});

export const CallOutboundMessage = z.object({
  id: Uuid,
  method: z.enum(["sms", "email"]),
  purpose: z.string(),
  recipient: z.string().nullable(),
  content: z.string(),
  status: z.enum(["queued", "sent", "delivered", "failed", "not_sent"]),
  statusReason: z.string().nullable(),
  createdAt: IsoDateTime,
  sentAt: IsoDateTime.nullable(),
});
export type CallOutboundMessage = z.infer<typeof CallOutboundMessage>;

export const CallDetail = CallListItem.extend({
  transcript: z.string().nullable(),
  messages: z.array(CallTranscriptMessage),
  recordingUrl: z
    .string()
    .nullable()
    .describe("Our API's player link for the recording (same origin, 15 minutes, signed-in members of this clinic); never where it is stored"),
  stereoRecordingUrl: z.string().nullable().describe("The same for the two-channel recording, when there is one"),
  transferTo: z.string().nullable(),
  transferTime: IsoDateTime.nullable(),
  transferReason: z.string().nullable(),
  sentimentSource: z.enum(["vapi", "lexicon"]).nullable(),
  cost: z.number().nullable(),
  appointments: z.array(CallAppointment),
  outboundMessages: z.array(CallOutboundMessage).describe("SMS/email sent (or deliberately not sent) because of this call"),
  canTakeOver: z.boolean().describe("The call is live and Vapi gave us its control link: staff may transfer it to the clinic or end it"),
  emergencyTransfer: z
    .object({ status: z.enum(["transferred", "failed", "requested", "not_possible"]), note: z.string().nullable() })
    .nullable()
    .describe("What became of the transfer when the caller described an emergency"),
});
export type CallDetail = z.infer<typeof CallDetail>;

const optionalDate = IsoDateTime.optional();

export const CallsQuery = z
  .object({
    from: optionalDate.describe("Calls that started at or after this instant"),
    to: optionalDate.describe("Calls that started before this instant"),
    direction: CallDirection.optional(),
    status: z
      .enum(["live", "ended", "booked", "missed", "transferred", "emergency"])
      .optional()
      .describe("live = not ended yet; booked = an appointment was made; missed = ended within 10 s or never answered"),
    sentiment: SentimentLabel.optional(),
    q: z
      .string()
      .trim()
      .max(100, { message: "Search is limited to 100 characters" })
      .optional()
      .describe("Caller name, phone digits, or words in the summary/transcript"),
    cursor: z.string().max(200).optional().describe("nextCursor from the previous page"),
    limit: z.coerce
      .number({ message: "limit must be a number" })
      .int()
      .min(1, { message: "limit must be between 1 and 100" })
      .max(100, { message: "limit must be between 1 and 100" })
      .default(25),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: "from must be before to", path: ["from"] });
export type CallsQuery = z.input<typeof CallsQuery>;

export const CallsPage = z.object({
  items: z.array(CallListItem),
  nextCursor: z.string().nullable().describe("Pass as cursor to get the next page; null on the last page"),
});
export type CallsPage = z.infer<typeof CallsPage>;

export const callsRoutes = {
  list: defineRoute({
    method: "get",
    path: "/api/calls-dashboard",
    tag: "calls",
    summary: "Calls, newest first: filter by date, direction, status, sentiment; search; cursor pagination",
    query: CallsQuery,
    response: CallsPage,
    access: ["owner", "admin", "staff"],
  }),
  detail: defineRoute({
    method: "get",
    path: "/api/calls-dashboard/:callId",
    tag: "calls",
    summary: "One call: transcript, messages, recording URL and status, sentiment, value, appointments, alerts",
    response: CallDetail,
    access: ["owner", "admin", "staff"],
  }),
} as const;

// Call actions (the drawer's buttons) ------------------------------------------------------

export const TranscriptExport = z.object({
  filename: z.string().describe("e.g. call-2026-03-10-maria-lopez.txt"),
  content: z.string().describe("The PII-redacted transcript as plain text, speaker-labelled"),
});
export const ShareRecordingBody = z.object({
  email: z.email({ message: "Enter a valid email address, or leave it empty" }).optional().describe("Also email the link to this address"),
});
export const SharedRecording = z.object({
  url: z.string().describe("Absolute link that plays the recording without signing in, until expiresAt"),
  expiresAt: IsoDateTime,
  email: z
    .object({ status: z.enum(["queued", "sent", "delivered", "failed", "not_sent"]), reason: z.string().nullable() })
    .nullable()
    .describe("What happened to the email, when one was asked for"),
});
export type SharedRecording = z.infer<typeof SharedRecording>;
export const FollowUpBody = z.object({
  message: z.string().trim().min(1, { message: "Write the message" }).max(160, { message: "Keep it to 160 characters (one text message)" }),
});
export const FollowUpResult = z.object({
  id: Uuid.nullable(),
  method: z.enum(["sms", "email"]),
  status: z.enum(["queued", "sent", "delivered", "failed", "not_sent"]),
  reason: z.string().nullable(),
  recipient: z.string().nullable(),
});

export const TakeOverBody = z.object({
  action: z.enum(["transfer", "end"], { message: 'action must be "transfer" (to the clinic\'s transfer number) or "end"' }),
});
export const TakeOverResult = z.object({
  action: z.enum(["transfer", "end"]),
  transferredTo: z.string().nullable(),
  message: z.string(),
});
export type TakeOverResult = z.infer<typeof TakeOverResult>;

export const callActionRoutes = {
  takeOver: defineRoute({
    method: "post",
    path: "/api/calls-dashboard/:callId/take-over",
    tag: "calls",
    summary: "Take over a live call: transfer it to the clinic's transfer number, or end it (audited; 409 when it cannot be controlled)",
    body: TakeOverBody,
    response: TakeOverResult,
    access: ["owner", "admin", "staff"],
    action: "take over calls",
  }),
  exportCalls: defineRoute({
    method: "post",
    path: "/api/calls-dashboard/export",
    tag: "calls",
    summary: "Calls in a date range (default the last 30 days, at most 10,000) as a CSV file (audited)",
    body: z.object({ from: IsoDateTime.optional(), to: IsoDateTime.optional() }),
    response: z.object({ filename: z.string(), content: z.string() }),
    access: ["owner", "admin"],
    action: "export calls",
  }),
  exportTranscript: defineRoute({
    method: "post",
    path: "/api/calls-dashboard/:callId/transcript/export",
    tag: "calls",
    summary: "The call's transcript as a .txt file's name and text (audited)",
    response: TranscriptExport,
    access: ["owner", "admin", "staff"],
    action: "export transcripts",
  }),
  share: defineRoute({
    method: "post",
    path: "/api/calls-dashboard/:callId/share",
    tag: "calls",
    summary: "A signed link to the recording that stops working after 24 hours, optionally emailed (audited)",
    body: ShareRecordingBody,
    response: SharedRecording,
    access: ["owner", "admin"],
    action: "share call recordings",
  }),
  followUp: defineRoute({
    method: "post",
    path: "/api/calls-dashboard/:callId/followup",
    tag: "calls",
    summary: "Text the caller (≤ 160 characters); recorded not_sent with the reason without Twilio or after an opt-out (audited)",
    body: FollowUpBody,
    response: FollowUpResult,
    access: ["owner", "admin", "staff"],
    action: "send follow-ups",
  }),
} as const;
