"use client";

import { CLINIC_TYPE_LABELS, CLINIC_TYPES, ClinicProfile, type ClinicSettings } from "@voxanne/contracts";
import { useMemo, useState } from "react";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { useContractForm } from "@/lib/forms";
import { useCurrencyOptions } from "@/lib/money";
import { timeZoneGroups } from "@/lib/timezones";
import { SettingsSection } from "./section";
import { useSaveSettings } from "./use-settings";

type ProfileValues = { name: string; timezone: string; clinicType: string; currency: string; address: string };

export function ProfileForm({ settings, canEdit }: { settings: ClinicSettings; canEdit: boolean }) {
  const { toast } = useToast();
  const save = useSaveSettings();
  const [defaultValues] = useState<ProfileValues>(() => ({ ...settings.profile, address: settings.profile.address ?? "" }));
  const zones = useMemo(() => timeZoneGroups([defaultValues.timezone]), [defaultValues.timezone]);
  const currencies = useCurrencyOptions([defaultValues.currency]);
  const { field, formProps, pending, problem } = useContractForm<typeof ClinicProfile, ProfileValues>(ClinicProfile, {
    defaultValues,
    prepare: (v) => ({ ...v, clinicType: v.clinicType as ClinicProfile["clinicType"], address: v.address.trim() || null }),
    submit: async (body) => {
      await save("profile", body);
      toast("Clinic profile saved.", { tone: "success" });
    },
  });
  return (
    <SettingsSection
      id="profile"
      title="Clinic profile"
      description="Who you are and where: the receptionist uses your name, time zone and currency."
      canEdit={canEdit}
      pending={pending}
      problem={problem?.error}
      formProps={formProps}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Clinic name" maxLength={120} autoComplete="organization" {...field("name")} />
        <SelectField label="Clinic type" hint="Picks the receptionist's instructions." {...field("clinicType")}>
          {CLINIC_TYPES.map((t) => (
            <option key={t} value={t}>
              {CLINIC_TYPE_LABELS[t]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Time zone" hint="Business hours and appointment times use this zone." {...field("timezone")}>
          {zones.map((g) => (
            <optgroup key={g.region} label={g.region}>
              {g.zones.map((z) => (
                <option key={z.value} value={z.value}>
                  {z.label}
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
        <SelectField label="Currency" hint="Prices are shown and spoken in it." {...field("currency")}>
          {currencies.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </SelectField>
      </div>
      <TextAreaField label="Address" optional rows={2} maxLength={300} placeholder="12 High Street, Bristol BS1 4DJ" {...field("address")} />
    </SettingsSection>
  );
}
