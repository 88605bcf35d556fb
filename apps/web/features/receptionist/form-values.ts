import type { Agent, AgentOptions, AgentSettings } from "@voxanne/contracts";
import type { z } from "zod";

/**
 * What the editor's fields hold. The keys are the contract's (AgentSettings), so the schema's and
 * the API's field errors land on the field that shows them; the values are what the controls hold:
 * a picker holds its option's key ("provider|id"), the maximum duration the minutes as typed, and
 * the optional texts an empty string.
 */
export type AgentFormValues = {
  name: string;
  firstMessage: string;
  /** Form only: "Use the template for my clinic" (sends `systemPrompt: null`). */
  useTemplate: boolean;
  systemPrompt: string;
  voice: string;
  model: string;
  transcriber: string;
  language: string;
  /** Minutes, as typed; sent as seconds. */
  maxDurationSeconds: string;
  endCallPhrases: string[];
  emergencyScript: string;
  recordingEnabled: boolean;
  hipaaEnabled: boolean;
};

export const MAX_END_CALL_PHRASES = 10;
export const MAX_PHRASE_LENGTH = 120;

/** A picker option's key: its provider and id. */
export const optionKey = (provider: string, id: string) => `${provider}|${id}`;

function splitKey(key: string): [string, string] {
  const at = key.indexOf("|");
  return at < 0 ? ["", ""] : [key.slice(0, at), key.slice(at + 1)];
}

function minutesText(seconds: number): string {
  const minutes = seconds / 60;
  return Number.isInteger(minutes) ? String(minutes) : minutes.toFixed(1);
}

/** A saved receptionist as the editor shows it. */
export function toFormValues(agent: Agent): AgentFormValues {
  return {
    name: agent.name,
    firstMessage: agent.firstMessage,
    useTemplate: agent.systemPrompt === null,
    systemPrompt: agent.systemPrompt ?? "",
    voice: optionKey(agent.voice.provider, agent.voice.voiceId),
    model: optionKey(agent.model.provider, agent.model.model),
    transcriber: optionKey(agent.transcriber.provider, agent.transcriber.model),
    language: agent.language,
    maxDurationSeconds: minutesText(agent.maxDurationSeconds),
    endCallPhrases: [...agent.endCallPhrases],
    emergencyScript: agent.emergencyScript ?? "",
    recordingEnabled: agent.recordingEnabled,
    hipaaEnabled: agent.hipaaEnabled,
  };
}

/** Minutes as typed → whole seconds; anything that is not a number stays NaN for the schema to refuse. */
function minutesToSeconds(text: string): number {
  const trimmed = text.trim().replace(",", ".");
  return trimmed === "" ? Number.NaN : Math.round(Number(trimmed) * 60);
}

/** What the fields hold → the body the schema checks (and the API receives). */
export function toSettings(values: AgentFormValues): z.input<typeof AgentSettings> {
  const [voiceProvider, voiceId] = splitKey(values.voice);
  const [modelProvider, model] = splitKey(values.model);
  const [transcriberProvider, transcriberModel] = splitKey(values.transcriber);
  const ownPrompt = values.systemPrompt.trim() ? values.systemPrompt : null;
  return {
    name: values.name,
    firstMessage: values.firstMessage,
    // An empty own prompt is the template anyway (the API renders the template for it).
    systemPrompt: values.useTemplate ? null : ownPrompt,
    voice: { provider: voiceProvider, voiceId },
    model: { provider: modelProvider, model },
    transcriber: { provider: transcriberProvider, model: transcriberModel },
    language: values.language,
    maxDurationSeconds: minutesToSeconds(values.maxDurationSeconds),
    endCallPhrases: values.endCallPhrases.map((p) => p.trim()).filter(Boolean),
    emergencyScript: values.emergencyScript.trim() ? values.emergencyScript : null,
    recordingEnabled: values.recordingEnabled,
    hipaaEnabled: values.hipaaEnabled,
  };
}

export type PickerOption = { key: string; label: string };

/**
 * A picker's options from the API's list. A saved value the list no longer offers is kept as an
 * option (marked), so the picker shows what is saved; the schema asks for another one on save.
 */
export function pickerOptions(list: PickerOption[], current: string): PickerOption[] {
  if (!current || list.some((o) => o.key === current)) return list;
  return [...list, { key: current, label: `${splitKey(current)[1] || current} (no longer offered)` }];
}

export function optionLists(options: AgentOptions) {
  return {
    voices: options.voices.map((v) => ({ key: optionKey(v.provider, v.voiceId), label: v.label })),
    models: options.models.map((m) => ({ key: optionKey(m.provider, m.model), label: m.label })),
    transcribers: options.transcribers.map((t) => ({ key: optionKey(t.provider, t.model), label: t.label })),
    languages: options.languages.map((l) => ({ key: l.code, label: l.label })),
  };
}
