import { z } from "zod";
import { defineRoute } from "./route";

/**
 * Vapi server-URL webhooks (reference/vapi.md §1). Every schema is loose (passthrough): Vapi adds
 * fields often, and a webhook must never fail because of one we don't know.
 */

const looseString = z.string().nullish();

export const VapiCall = z.looseObject({
  id: looseString,
  orgId: looseString,
  type: looseString,
  status: looseString,
  assistantId: looseString,
  phoneNumberId: looseString,
  customer: z.looseObject({ number: looseString, name: looseString }).nullish(),
  monitor: z.looseObject({ controlUrl: looseString }).nullish(),
});
export type VapiCall = z.infer<typeof VapiCall>;

/** One tool call as it arrives: `{id, function:{name, arguments}}` or `{id, name, arguments|parameters}`. */
export const VapiToolCall = z.looseObject({
  id: z.string().nullish(),
  type: looseString,
  name: looseString,
  function: z.looseObject({ name: looseString, arguments: z.unknown() }).nullish(),
  arguments: z.unknown(),
  parameters: z.unknown(),
});
export type VapiToolCall = z.infer<typeof VapiToolCall>;

export const VapiMessage = z.looseObject({
  type: z.string({ message: "message.type is required" }).min(1, { message: "message.type is required" }),
  timestamp: z.union([z.number(), z.string()]).nullish(),
  call: VapiCall.nullish(),
  assistant: z.looseObject({ id: looseString, name: looseString }).nullish(),
  phoneNumber: z.looseObject({ id: looseString, number: looseString }).nullish(),
  customer: z.looseObject({ number: looseString, name: looseString }).nullish(),
  toolCallList: z.array(z.unknown()).nullish(),
  toolCalls: z.array(z.unknown()).nullish(),
  toolWithToolCallList: z.array(z.unknown()).nullish(),
  functionCall: z.looseObject({ name: looseString, parameters: z.unknown() }).nullish(),
});
export type VapiMessage = z.infer<typeof VapiMessage>;

export const VapiServerMessage = z.looseObject({ message: VapiMessage });
export type VapiServerMessage = z.infer<typeof VapiServerMessage>;

/** `result` and `error` are single-line strings (Vapi drops anything else). */
export const VapiToolCallResult = z.object({
  toolCallId: z.string(),
  name: z.string(),
  result: z.string().optional(),
  error: z.string().optional(),
});
export type VapiToolCallResult = z.infer<typeof VapiToolCallResult>;

export const VapiToolCallsResponse = z.object({ results: z.array(VapiToolCallResult) });

export const VapiAssistantRequestResponse = z.union([
  z.object({
    assistantId: z.string(),
    assistantOverrides: z.object({ variableValues: z.record(z.string(), z.union([z.string(), z.boolean(), z.number()])) }).optional(),
  }),
  z.object({ error: z.string().describe("Spoken to the caller; the call is rejected") }),
]);

export const VapiTransferDestinationResponse = z.union([
  z.object({
    destination: z.object({ type: z.literal("number"), number: z.string(), message: z.string().optional() }),
    message: z.object({ type: z.literal("request-start"), message: z.string() }).optional(),
  }),
  z.object({ error: z.string().describe("Why the call is not transferred; spoken by the assistant") }),
]);

export const VapiWebhookResponse = z.union([
  VapiToolCallsResponse,
  VapiAssistantRequestResponse,
  VapiTransferDestinationResponse,
  z.object({ result: z.string() }).describe("Legacy function-call"),
  z.object({}).describe("Every message type that needs no reply"),
]);

/**
 * The tools' arguments as the assistant is told to send them. The C4 tool sync turns these into
 * each Vapi tool's `function.parameters` (z.toJSONSchema). The handlers also accept common
 * aliases (patientName, startTime, …), because models paraphrase parameter names.
 */
export const vapiToolArguments = {
  checkAvailability: z.object({
    date: z
      .string()
      .optional()
      .describe('The day or range the caller asked for, in their words: "tomorrow", "next Tuesday", "March 10", "this week". Omit for the next open times.'),
    timeOfDay: z.string().optional().describe('"morning", "afternoon" or "evening" when the caller has a preference'),
    service: z.string().optional().describe("The treatment the caller wants, e.g. Botox or consultation"),
  }),
  bookClinicAppointment: z.object({
    name: z.string().describe("The patient's full name"),
    start: z.string().describe("The start exactly as checkAvailability gave it, e.g. 2026-03-10T14:00:00-04:00"),
    service: z.string().optional().describe("The treatment, e.g. Botox; defaults to a consultation"),
    phone: z.string().optional().describe("The patient's phone number if different from the number they are calling from"),
    email: z.string().optional(),
    notes: z.string().optional(),
  }),
  rescheduleAppointment: z.object({
    newStart: z.string().describe("The new start exactly as checkAvailability gave it"),
    currentStart: z.string().optional().describe("When the existing appointment is, if the caller has several"),
    phone: z.string().optional().describe("The number the appointment was booked under, if not the calling number"),
    name: z.string().optional(),
  }),
  cancelAppointment: z.object({
    appointmentStart: z.string().optional().describe("When the appointment to cancel is, if the caller has several"),
    phone: z.string().optional().describe("The number the appointment was booked under, if not the calling number"),
    name: z.string().optional(),
    reason: z.string().optional(),
  }),
  lookupCaller: z.object({
    phone: z.string().optional().describe("Only when the call has no caller ID"),
  }),
  getServicePrice: z.object({
    service: z.string().describe('The treatment or the caller\'s words for it, e.g. "nose job"'),
  }),
  transferCall: z.object({
    reason: z.string().optional().describe("Why the caller wants a person"),
  }),
} as const;
export type VapiToolName = keyof typeof vapiToolArguments;

export const vapiRoutes = {
  tools: defineRoute({
    method: "post",
    path: "/api/vapi/tools",
    tag: "vapi",
    summary: "Vapi tool server URL: answers tool-calls (always HTTP 200 once authenticated)",
    body: VapiServerMessage,
    response: VapiWebhookResponse,
  }),
  webhook: defineRoute({
    method: "post",
    path: "/api/vapi/webhook",
    tag: "vapi",
    summary: "Vapi assistant / phone-number server URL: tool-calls, assistant-request, transfer-destination-request, call events",
    body: VapiServerMessage,
    response: VapiWebhookResponse,
  }),
} as const;
