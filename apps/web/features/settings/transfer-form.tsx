"use client";

import { AFTER_HOURS_LABELS, AFTER_HOURS_MODES, type ClinicSettings, TransferSettings } from "@voxanne/contracts";
import { useState } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { useContractForm } from "@/lib/forms";
import { SettingsSection } from "./section";
import { useSaveSettings } from "./use-settings";

type TransferValues = { transferNumber: string; afterHoursMode: string; hotLeadAlertNumber: string; emergencyNumber: string };
const orNull = (v: string) => v.replace(/[\s()-]/g, "") || null;

export function TransferForm({ settings, canEdit }: { settings: ClinicSettings; canEdit: boolean }) {
  const { toast } = useToast();
  const save = useSaveSettings();
  const t = settings.transfer;
  const [defaultValues] = useState<TransferValues>(() => ({
    transferNumber: t.transferNumber ?? "",
    afterHoursMode: t.afterHoursMode,
    hotLeadAlertNumber: t.hotLeadAlertNumber ?? "",
    emergencyNumber: t.emergencyNumber ?? "",
  }));
  const { field, formProps, pending, problem } = useContractForm<typeof TransferSettings, TransferValues>(TransferSettings, {
    defaultValues,
    prepare: (v) => ({
      transferNumber: orNull(v.transferNumber),
      afterHoursMode: v.afterHoursMode as TransferSettings["afterHoursMode"],
      hotLeadAlertNumber: orNull(v.hotLeadAlertNumber),
      emergencyNumber: v.emergencyNumber.trim() || null,
    }),
    submit: async (body) => {
      await save("transfer", body);
      toast("Transfer and alerts saved.", { tone: "success" });
    },
  });
  return (
    <SettingsSection
      id="transfer"
      title="Transfer and alerts"
      description="Where callers who ask for a person go, and who hears about hot leads."
      canEdit={canEdit}
      pending={pending}
      problem={problem?.error}
      formProps={formProps}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Transfer number"
          optional
          type="tel"
          inputMode="tel"
          placeholder="+12125550123"
          hint="In international format. Empty: the receptionist takes a message instead."
          {...field("transferNumber")}
        />
        <SelectField label="After hours" hint="What the receptionist does when a caller asks for a person while you are closed." {...field("afterHoursMode")}>
          {AFTER_HOURS_MODES.map((m) => (
            <option key={m} value={m}>
              {AFTER_HOURS_LABELS[m]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Hot-lead alert number"
          optional
          type="tel"
          inputMode="tel"
          placeholder="+12125550123"
          hint="Gets a text when a caller is likely to book but did not."
          {...field("hotLeadAlertNumber")}
        />
        <TextField
          label="Emergency number"
          optional
          inputMode="numeric"
          placeholder="911"
          maxLength={6}
          hint="What callers describing an emergency are told to dial. Empty: your country's number."
          {...field("emergencyNumber")}
        />
      </div>
    </SettingsSection>
  );
}
