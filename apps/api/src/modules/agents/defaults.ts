import type { AgentRole, AgentSettings } from "@voxanne/contracts";

/** What a receptionist starts as, before the clinic changes anything. */
export function defaultAgentSettings(role: AgentRole, clinicName: string): AgentSettings {
  return {
    name: role === "inbound" ? "Receptionist" : "Follow-up caller",
    firstMessage:
      role === "inbound"
        ? `Thank you for calling ${clinicName}, this is the virtual receptionist. How can I help you today?`
        : `Hello, this is the virtual assistant from ${clinicName}. Is now a good time to talk?`,
    systemPrompt: null,
    voice: { provider: "vapi", voiceId: "Elliot" },
    model: { provider: "openai", model: "gpt-4o" },
    transcriber: { provider: "deepgram", model: "nova-3" },
    language: "en-US",
    maxDurationSeconds: 900,
    endCallPhrases: ["goodbye", "have a great day"],
    emergencyScript: null,
    recordingEnabled: true,
    hipaaEnabled: false,
  };
}
