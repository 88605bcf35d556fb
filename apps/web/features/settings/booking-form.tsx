"use client";

import { BookingRules, type ClinicSettings } from "@voxanne/contracts";
import { useState } from "react";
import { TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { useContractForm } from "@/lib/forms";
import { SettingsSection } from "./section";
import { useSaveSettings } from "./use-settings";

type BookingValues = Record<keyof BookingRules, string>;
const minutes = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));

const FIELDS: { name: keyof BookingRules; label: string; hint: string; max: number }[] = [
  { name: "slotMinutes", label: "Slot length (minutes)", hint: "Appointments start on this step: 30 gives 9:00, 9:30, 10:00…", max: 480 },
  { name: "bufferBeforeMinutes", label: "Buffer before (minutes)", hint: "Kept free before each appointment.", max: 240 },
  { name: "bufferAfterMinutes", label: "Buffer after (minutes)", hint: "Kept free after each appointment, e.g. to clean a room.", max: 240 },
  {
    name: "minBookingNoticeMinutes",
    label: "Minimum booking notice (minutes)",
    hint: "How soon a caller may book: 60 = not within the next hour.",
    max: 43200,
  },
  {
    name: "minCancelNoticeMinutes",
    label: "Minimum cancel notice (minutes)",
    hint: "Later cancellations and changes go to the front desk: 1440 = 24 hours.",
    max: 43200,
  },
];

export function BookingForm({ settings, canEdit }: { settings: ClinicSettings; canEdit: boolean }) {
  const { toast } = useToast();
  const save = useSaveSettings();
  const [defaultValues] = useState<BookingValues>(() => Object.fromEntries(Object.entries(settings.booking).map(([k, v]) => [k, String(v)])) as BookingValues);
  const { field, formProps, pending, problem } = useContractForm<typeof BookingRules, BookingValues>(BookingRules, {
    defaultValues,
    prepare: (v) => Object.fromEntries(Object.entries(v).map(([k, s]) => [k, minutes(s)])) as BookingRules,
    submit: async (body) => {
      await save("booking", body);
      toast("Booking rules saved. The receptionist uses them on its next call.", { tone: "success" });
    },
  });
  return (
    <SettingsSection
      id="booking"
      title="Booking rules"
      description="How the receptionist offers and books appointments."
      canEdit={canEdit}
      pending={pending}
      problem={problem?.error}
      formProps={formProps}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        {FIELDS.map((f) => (
          <TextField key={f.name} label={f.label} type="number" inputMode="numeric" min={0} max={f.max} step={1} hint={f.hint} {...field(f.name)} />
        ))}
      </div>
    </SettingsSection>
  );
}
