"use client";

import { type ClinicSettings, SMS_REMINDERS_MAX, SmsSettings } from "@voxanne/contracts";
import { useState } from "react";
import { TextField } from "@/components/ui/field";
import { SwitchField } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";
import { useContractForm } from "@/lib/forms";
import { SettingsSection } from "./section";
import { useSaveSettings } from "./use-settings";

type SmsValues = { quietStart: string; quietEnd: string; hourlyLimit: string; bookingConfirmation: boolean; reminderOffsetsMinutes: string };

/** "1440, 120" → [1440, 120]; an empty field is no reminders, a word stays NaN for the schema to name. */
const minutesList = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);

export function SmsForm({ settings, canEdit }: { settings: ClinicSettings; canEdit: boolean }) {
  const { toast } = useToast();
  const save = useSaveSettings();
  const [defaultValues] = useState<SmsValues>(() => ({
    quietStart: settings.sms.quietStart,
    quietEnd: settings.sms.quietEnd,
    hourlyLimit: String(settings.sms.hourlyLimit),
    bookingConfirmation: settings.sms.bookingConfirmation,
    reminderOffsetsMinutes: settings.sms.reminderOffsetsMinutes.join(", "),
  }));
  const { field, formProps, pending, problem, values, setField } = useContractForm<typeof SmsSettings, SmsValues>(SmsSettings, {
    defaultValues,
    prepare: (v) => ({
      quietStart: v.quietStart,
      quietEnd: v.quietEnd,
      hourlyLimit: v.hourlyLimit.trim() === "" ? Number.NaN : Number(v.hourlyLimit),
      bookingConfirmation: v.bookingConfirmation,
      reminderOffsetsMinutes: minutesList(v.reminderOffsetsMinutes),
    }),
    submit: async (body) => {
      await save("sms", body);
      toast("Text message settings saved. They apply to the next text.", { tone: "success" });
    },
  });
  return (
    <SettingsSection
      id="sms"
      title="Text messages"
      description="When and how often patients are texted. Texts go through your Twilio account once it is connected under Integrations."
      canEdit={canEdit}
      pending={pending}
      problem={problem?.error}
      formProps={formProps}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Quiet hours start" type="time" hint="Texts due after this wait until quiet hours end (clinic time)." {...field("quietStart")} />
        <TextField label="Quiet hours end" type="time" hint="The same start and end time: no quiet hours." {...field("quietEnd")} />
        <TextField
          label="Most texts per hour"
          type="number"
          inputMode="numeric"
          min={1}
          max={500}
          step={1}
          hint="A cap for the whole clinic, so a mistake cannot send hundreds of texts."
          {...field("hourlyLimit")}
        />
        <TextField
          label="Reminders (minutes before)"
          optional
          inputMode="numeric"
          placeholder="1440, 120"
          hint={`Up to ${SMS_REMINDERS_MAX}, separated by commas: 1440 = 24 hours, 120 = 2 hours. Empty: no reminders.`}
          {...field("reminderOffsetsMinutes")}
        />
      </div>
      <SwitchField
        className="mt-4"
        label="Confirm bookings by text"
        description="The patient gets a text with the time as soon as an appointment is booked."
        checked={values("bookingConfirmation")}
        onChange={(on) => setField("bookingConfirmation", on)}
      />
    </SettingsSection>
  );
}
