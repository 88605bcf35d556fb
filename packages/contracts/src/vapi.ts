import { z } from "zod";
import { defineRoute } from "./route";

/**
 * Vapi server-URL webhooks. Every schema is loose (passthrough): Vapi adds
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

const VariableValues = z.record(z.string(), z.union([z.string(), z.boolean(), z.number()]));

export const VapiAssistantRequestResponse = z.union([
  z.object({
    assistantId: z.string(),
    assistantOverrides: z
      .looseObject({ variableValues: VariableValues })
      .optional()
      .describe("The clinic's latest saved settings (first message, model, voice, …) and the caller's variables"),
  }),
  z.object({
    assistant: z.looseObject({ model: z.looseObject({}) }).describe("A transient assistant from the saved settings, before the first sync"),
    assistantOverrides: z.object({ variableValues: VariableValues }),
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

export const vapiRoutes = {
  tools: defineRoute({
    method: "post",
    path: "/api/vapi/tools",
    tag: "vapi",
    summary: "Vapi tool server URL: answers tool-calls (always HTTP 200 once authenticated)",
    body: VapiServerMessage,
    response: VapiWebhookResponse,
    access: "webhook",
  }),
  webhook: defineRoute({
    method: "post",
    path: "/api/vapi/webhook",
    tag: "vapi",
    summary: "Vapi assistant / phone-number server URL: tool-calls, assistant-request, transfer-destination-request, call events",
    body: VapiServerMessage,
    response: VapiWebhookResponse,
    access: "webhook",
  }),
} as const;
