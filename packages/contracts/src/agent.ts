import { z } from "zod";
import { defineRoute, IsoDateTime } from "./route";

/**
 * The clinic's receptionist in Vapi: one inbound and one outbound agent. The option lists below are
 * the only voices, models, transcribers and languages offered; the API validates against them and
 * serves them to the dashboard.
 */
export const AgentRole = z.enum(["inbound", "outbound"]);
export type AgentRole = z.infer<typeof AgentRole>;

export const VOICE_OPTIONS = [
  { provider: "vapi", voiceId: "Elliot", label: "Elliot — calm, warm (Vapi)" },
  { provider: "vapi", voiceId: "Savannah", label: "Savannah — bright, friendly (Vapi)" },
  { provider: "vapi", voiceId: "Rohan", label: "Rohan — clear, upbeat (Vapi)" },
  { provider: "11labs", voiceId: "21m00Tcm4TlvDq8ikWAM", label: "Rachel — soft, reassuring (ElevenLabs)" },
  { provider: "11labs", voiceId: "pNInz6obpgDQGcFmaJgB", label: "Adam — deep, steady (ElevenLabs)" },
  { provider: "openai", voiceId: "alloy", label: "Alloy — neutral (OpenAI)" },
  { provider: "openai", voiceId: "nova", label: "Nova — warm (OpenAI)" },
  { provider: "deepgram", voiceId: "aura-asteria-en", label: "Asteria — professional (Deepgram)" },
] as const;

export const MODEL_OPTIONS = [
  { provider: "openai", model: "gpt-4o", label: "GPT-4o (OpenAI) — recommended" },
  { provider: "openai", model: "gpt-4o-mini", label: "GPT-4o mini (OpenAI) — faster, cheaper" },
  { provider: "anthropic", model: "claude-3-5-sonnet-20241022", label: "Claude 3.5 Sonnet (Anthropic)" },
  { provider: "google", model: "gemini-2.0-flash", label: "Gemini 2.0 Flash (Google)" },
] as const;

export const TRANSCRIBER_OPTIONS = [
  { provider: "deepgram", model: "nova-3", label: "Deepgram Nova 3 — recommended" },
  { provider: "deepgram", model: "nova-2-medical", label: "Deepgram Nova 2 Medical" },
  { provider: "assembly-ai", model: "universal-streaming", label: "AssemblyAI Universal" },
  { provider: "openai", model: "gpt-4o-transcribe", label: "OpenAI GPT-4o Transcribe" },
] as const;

export const LANGUAGE_OPTIONS = [
  { code: "en-US", label: "English (US)" },
  { code: "en-GB", label: "English (UK)" },
  { code: "en-AU", label: "English (Australia)" },
  { code: "es-US", label: "Spanish (US)" },
  { code: "fr-FR", label: "French" },
  { code: "de-DE", label: "German" },
] as const;

export const AgentOptions = z.object({
  voices: z.array(z.object({ provider: z.string(), voiceId: z.string(), label: z.string() })),
  models: z.array(z.object({ provider: z.string(), model: z.string(), label: z.string() })),
  transcribers: z.array(z.object({ provider: z.string(), model: z.string(), label: z.string() })),
  languages: z.array(z.object({ code: z.string(), label: z.string() })),
});
export type AgentOptions = z.infer<typeof AgentOptions>;
export const AGENT_OPTIONS: AgentOptions = {
  voices: [...VOICE_OPTIONS],
  models: [...MODEL_OPTIONS],
  transcribers: [...TRANSCRIBER_OPTIONS],
  languages: [...LANGUAGE_OPTIONS],
};

/** An object of `keys` whose values must be one of the offered options (e.g. a voice's provider and id together). */
function oneOf<K extends string>(list: readonly Record<K | "label", string>[], keys: readonly K[], what: string) {
  const shape = Object.fromEntries(keys.map((k) => [k, z.string()])) as Record<K, z.ZodString>;
  return z
    .object(shape)
    .refine((v) => list.some((o) => keys.every((k) => o[k] === (v as Record<K, string>)[k])), { message: `Choose one of the offered ${what}` });
}

/** What a clinic owner or admin sets (PUT /api/agents/:role). */
export const AgentSettings = z.object({
  name: z.string().trim().min(1, "Give the receptionist a name").max(80, "At most 80 characters"),
  firstMessage: z.string().trim().min(1, "Write what the receptionist says first").max(1000, "At most 1,000 characters"),
  systemPrompt: z
    .string()
    .max(20000, "At most 20,000 characters")
    .nullable()
    .describe("Your own instructions; null uses the template for your clinic type, filled in with your hours, services and policies"),
  voice: oneOf(VOICE_OPTIONS, ["provider", "voiceId"], "voices"),
  model: oneOf(MODEL_OPTIONS, ["provider", "model"], "models"),
  transcriber: oneOf(TRANSCRIBER_OPTIONS, ["provider", "model"], "transcribers"),
  language: z.enum(LANGUAGE_OPTIONS.map((l) => l.code) as [string, ...string[]], { message: "Choose one of the offered languages" }),
  maxDurationSeconds: z.number().int().min(60, "At least 60 seconds").max(3600, "At most one hour"),
  endCallPhrases: z.array(z.string().trim().min(1).max(120)).max(10, "At most 10 phrases"),
  emergencyScript: z.string().trim().max(1000, "At most 1,000 characters").nullable(),
  recordingEnabled: z.boolean(),
  hipaaEnabled: z.boolean().describe("Vapi's HIPAA compliance plan: no recordings or transcripts are kept by Vapi"),
});
export type AgentSettings = z.infer<typeof AgentSettings>;

export const AgentSyncStatus = z.enum(["not_configured", "pending", "syncing", "synced", "failed"]);
export type AgentSyncStatus = z.infer<typeof AgentSyncStatus>;

export const Agent = AgentSettings.extend({
  role: AgentRole,
  /** The prompt the assistant gets: the clinic's own, or the template filled in. */
  renderedPrompt: z.string(),
  syncStatus: AgentSyncStatus,
  syncError: z.string().nullable(),
  lastSyncedAt: IsoDateTime.nullable(),
  vapiAssistantId: z.string().nullable(),
  /** When the clinic last saved it (null: still the defaults). */
  settingsSavedAt: IsoDateTime.nullable(),
  updatedAt: IsoDateTime,
});
export type Agent = z.infer<typeof Agent>;

/** Whether this server can reach Vapi, and why not. */
export const VapiAvailability = z.object({
  configured: z.boolean(),
  reason: z.string().nullable().describe("What to set when not configured"),
  webTest: z.object({ enabled: z.boolean(), publicKey: z.string().nullable(), reason: z.string().nullable() }),
  callMyPhone: z.object({ enabled: z.boolean(), reason: z.string().nullable() }),
});
export type VapiAvailability = z.infer<typeof VapiAvailability>;

export const AgentsResponse = z.object({ agents: z.array(Agent), options: AgentOptions, vapi: VapiAvailability });
export type AgentsResponse = z.infer<typeof AgentsResponse>;
export const AgentResponse = z.object({ agent: Agent, options: AgentOptions, vapi: VapiAvailability });

export const RoleParams = z.object({ role: AgentRole });

export const TestCallBody = z.object({
  phone: z
    .string()
    .trim()
    .regex(/^\+[1-9][0-9]{6,14}$/, "Enter the number in international format, like +12125550123"),
});
export const TestCallResponse = z.object({ callId: z.string(), status: z.string() });

export const agentRoutes = {
  list: defineRoute({
    method: "get",
    path: "/api/agents",
    tag: "agents",
    summary: "The clinic's receptionists (inbound and outbound), the options to choose from, and whether Vapi is configured",
    response: AgentsResponse,
    access: ["owner", "admin", "staff"],
  }),
  get: defineRoute({
    method: "get",
    path: "/api/agents/:role",
    tag: "agents",
    summary: "One receptionist",
    params: RoleParams,
    response: AgentResponse,
    access: ["owner", "admin", "staff"],
  }),
  save: defineRoute({
    method: "put",
    path: "/api/agents/:role",
    tag: "agents",
    summary: "Save a receptionist; answers at once with syncStatus pending (or not_configured) and syncs to Vapi in the background",
    params: RoleParams,
    body: AgentSettings,
    response: Agent,
    access: ["owner", "admin"],
    action: "change the receptionist",
  }),
  testCall: defineRoute({
    method: "post",
    path: "/api/agents/:role/test-call",
    tag: "agents",
    summary: "Call my phone: the receptionist calls the given number (rate-limited, audited)",
    params: RoleParams,
    body: TestCallBody,
    response: TestCallResponse,
    status: 201,
    access: ["owner", "admin"],
    action: "place a test call",
  }),
} as const;
