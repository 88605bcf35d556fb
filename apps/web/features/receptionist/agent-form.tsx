"use client";

import { type Agent, type AgentOptions, AgentSettings } from "@voxanne/contracts";
import { useEffect, useMemo, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { SwitchField } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";
import { describeProblem } from "@/lib/api";
import { useContractForm } from "@/lib/forms";
import {
  type AgentFormValues,
  MAX_END_CALL_PHRASES,
  MAX_PHRASE_LENGTH,
  optionLists,
  type PickerOption,
  pickerOptions,
  toFormValues,
  toSettings,
} from "./form-values";
import { PhraseListField } from "./phrase-list";
import { useSaveAgent } from "./use-agents";

export const roleLabels = { inbound: "Inbound", outbound: "Outbound" } as const;

/**
 * Every setting of one receptionist, checked with the contract's schema (AgentSettings) before it
 * is sent. Staff see the same form with every control disabled and no save button. After a save
 * the page gives the form a new key and the saved receptionist: it starts again from what was saved.
 */
export function AgentForm({
  agent,
  options,
  canEdit,
  focusSave,
  onSaved,
}: {
  agent: Agent;
  options: AgentOptions;
  canEdit: boolean;
  /** Move focus to "Save" on mount (the form was just re-created after a save). */
  focusSave: boolean;
  onSaved: (agent: Agent) => void;
}) {
  const { toast } = useToast();
  const save = useSaveAgent(agent.role);
  // What the form starts from, fixed at mount: later cache updates (live sync status) leave the edits alone.
  const [defaultValues] = useState(() => toFormValues(agent));
  const lists = useMemo(() => optionLists(options), [options]);
  const { field, values, setField, formProps, pending, problem, form } = useContractForm<typeof AgentSettings, AgentFormValues>(AgentSettings, {
    defaultValues,
    prepare: toSettings,
    submit: async (body) => {
      const saved = await save(body);
      toast(
        saved.syncStatus === "not_configured"
          ? `${roleLabels[agent.role]} receptionist saved. It is sent to Vapi once Vapi is connected.`
          : `${roleLabels[agent.role]} receptionist saved. Sending it to Vapi…`,
        { tone: "success" },
      );
      onSaved(saved);
    },
  });
  const saveRef = useRef<HTMLButtonElement>(null);
  // Once, on mount: the form was just re-created after a save.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on mount only
  useEffect(() => {
    if (focusSave) saveRef.current?.focus();
  }, []);

  const errors = form.formState.errors;
  const dirty = form.formState.isDirty;
  const useTemplate = values("useTemplate");
  const hipaa = values("hipaaEnabled");
  const phrasesError = errors.endCallPhrases?.message ?? (Array.isArray(errors.endCallPhrases) ? "Each phrase needs 1 to 120 characters" : undefined);
  const id = `agent-${agent.role}`;

  return (
    <form {...formProps} aria-label={`${roleLabels[agent.role]} receptionist settings`} className="space-y-6">
      {problem ? (
        <Alert tone="danger" title="Not saved">
          {describeProblem(problem.error).message}
        </Alert>
      ) : null}
      <fieldset disabled={!canEdit} className="m-0 min-w-0 space-y-6 border-0 p-0">
        <legend className="sr-only">{roleLabels[agent.role]} receptionist settings</legend>

        <Section id={`${id}-greeting`} title="Name and greeting" description="Who answers, and the first thing callers hear.">
          <TextField label="Name" maxLength={80} hint="How the receptionist introduces itself and how it is listed in Vapi." {...field("name")} />
          <TextAreaField
            label="First message"
            rows={3}
            maxLength={1000}
            hint={agent.role === "inbound" ? "Said as soon as the receptionist answers." : "Said when the person picks up."}
            {...field("firstMessage")}
          />
        </Section>

        <Section id={`${id}-instructions`} title="Instructions" description="How the receptionist behaves on a call.">
          <SwitchField
            label="Use the template for my clinic"
            description="Instructions written for your type of clinic, filled in with your hours, services and policies. Turn off to write your own."
            checked={useTemplate}
            onChange={(on) => setField("useTemplate", on)}
          />
          {useTemplate ? null : (
            <TextAreaField
              label="Your instructions"
              rows={10}
              maxLength={20000}
              placeholder="You are the friendly receptionist of…"
              hint="Your clinic's hours, services, policies and emergency instructions are added after these automatically. Left empty, the template is used."
              className="font-mono text-xs"
              {...field("systemPrompt")}
            />
          )}
          <TextAreaField
            label="Emergency script"
            optional
            rows={3}
            maxLength={1000}
            placeholder="If the caller describes a medical emergency, tell them to hang up and call 911 now."
            hint="What the receptionist says when a caller describes an emergency. Left empty, a safe default is used."
            {...field("emergencyScript")}
          />
        </Section>

        <Section id={`${id}-voice`} title="Voice and language" description="How the receptionist sounds and which models listen and think.">
          <div className="grid gap-4 sm:grid-cols-2">
            <Picker label="Voice" list={lists.voices} current={defaultValues.voice} {...field("voice")} />
            <Picker label="Language" list={lists.languages} current={defaultValues.language} {...field("language")} />
            <Picker label="Model" hint="The AI that decides what to say." list={lists.models} current={defaultValues.model} {...field("model")} />
            <Picker
              label="Transcriber"
              hint="Turns what callers say into text."
              list={lists.transcribers}
              current={defaultValues.transcriber}
              {...field("transcriber")}
            />
          </div>
        </Section>

        <Section id={`${id}-calls`} title="During calls">
          <TextField
            label="Maximum call length (minutes)"
            type="number"
            inputMode="numeric"
            min={1}
            max={60}
            step={1}
            className="max-w-40"
            hint="The receptionist ends a call after this long: 1 to 60 minutes."
            {...field("maxDurationSeconds")}
            // The schema counts seconds; say it in the minutes this field is in.
            error={errors.maxDurationSeconds ? "Enter a length from 1 to 60 minutes" : undefined}
          />
          <PhraseListField
            label="End-call phrases"
            hint={`When the receptionist says one of these, it hangs up. Up to ${MAX_END_CALL_PHRASES}.`}
            phrases={values("endCallPhrases")}
            onChange={(phrases) => setField("endCallPhrases", phrases)}
            max={MAX_END_CALL_PHRASES}
            maxLength={MAX_PHRASE_LENGTH}
            error={phrasesError}
          />
        </Section>

        <Section id={`${id}-privacy`} title="Recording and privacy">
          <SwitchField
            label="Record calls"
            description={
              hipaa ? "Vapi does not record while HIPAA mode is on, whatever this says." : "Keep a recording of every call, to play back from the Calls page."
            }
            checked={values("recordingEnabled")}
            onChange={(on) => setField("recordingEnabled", on)}
          />
          <SwitchField
            label="HIPAA mode"
            description="Vapi keeps no recordings or transcripts of your calls. This turns recording off in Vapi."
            checked={hipaa}
            onChange={(on) => setField("hipaaEnabled", on)}
          />
        </Section>
      </fieldset>

      {canEdit ? (
        <div className="sticky bottom-3 z-10 flex flex-wrap items-center justify-end gap-3 rounded-2xl border border-line bg-surface/95 p-3 shadow-lg backdrop-blur supports-[backdrop-filter]:bg-surface/85">
          <p className="mr-auto text-sm text-fg-muted" aria-live="polite">
            {dirty ? "You have unsaved changes." : "Saving sends the receptionist to Vapi."}
          </p>
          {dirty ? (
            <Button variant="ghost" onClick={() => form.reset()} disabled={pending}>
              Discard changes
            </Button>
          ) : null}
          <Button ref={saveRef} type="submit" loading={pending} loadingLabel="Saving…">
            Save
          </Button>
        </div>
      ) : null}
    </form>
  );
}

function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-2xl border border-line bg-surface shadow-xs">
      <div className="border-b border-line px-5 py-4 sm:px-6">
        <h3 id={id} className="text-base font-semibold">
          {title}
        </h3>
        {description ? <p className="mt-0.5 text-sm text-fg-muted">{description}</p> : null}
      </div>
      <div className="space-y-5 px-5 py-5 sm:px-6">{children}</div>
    </section>
  );
}

type PickerProps = Omit<React.ComponentProps<typeof SelectField>, "children"> & { list: PickerOption[]; current: string };

/** One of the API's options; a saved choice it no longer offers stays visible (and fails the check on save). */
function Picker({ list, current, ...props }: PickerProps) {
  return (
    <SelectField {...props}>
      {pickerOptions(list, current).map((o) => (
        <option key={o.key} value={o.key}>
          {o.label}
        </option>
      ))}
    </SelectField>
  );
}
