"use client";

import { type Service, ServiceInput } from "@voxanne/contracts";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextAreaField, TextField } from "@/components/ui/field";
import { SwitchField } from "@/components/ui/switch";
import { describeProblem } from "@/lib/api";
import { useContractForm } from "@/lib/forms";

type ServiceValues = { name: string; price: string; durationMinutes: string; keywords: string; description: string; active: boolean };
const number = (v: string) => (v.trim() === "" ? undefined : Number(v));

/** Add or edit one service, checked with the contract's ServiceInput before it is sent. */
export function ServiceForm({
  service,
  currency,
  onSubmit,
  onCancel,
}: {
  service: Service | null;
  currency: string;
  onSubmit: (body: ServiceInput) => Promise<void>;
  onCancel: () => void;
}) {
  const [defaultValues] = useState<ServiceValues>(() => ({
    name: service?.name ?? "",
    price: service ? String(service.price) : "",
    durationMinutes: service ? String(service.durationMinutes) : "30",
    keywords: service?.keywords.join(", ") ?? "",
    description: service?.description ?? "",
    active: service?.active ?? true,
  }));
  const { field, values, setField, formProps, pending, problem } = useContractForm<typeof ServiceInput, ServiceValues>(ServiceInput, {
    defaultValues,
    prepare: (v) => ({
      name: v.name,
      price: number(v.price) as number,
      durationMinutes: number(v.durationMinutes) as number,
      keywords: v.keywords
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean),
      description: v.description.trim() || null,
      active: v.active,
    }),
    submit: onSubmit,
  });
  const title = service ? `Edit ${service.name}` : "Add a service";
  return (
    <form {...formProps} aria-label={title} className="space-y-4 rounded-2xl border border-line bg-surface p-5 shadow-xs sm:p-6">
      <h2 className="text-base font-semibold">{title}</h2>
      {problem ? (
        <Alert tone="danger" title="Not saved">
          {describeProblem(problem.error).message}
        </Alert>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField label="Name" maxLength={120} placeholder="Teeth whitening" {...field("name")} />
        <TextField label={`Price (${currency})`} type="number" inputMode="decimal" min={0} step="0.01" placeholder="150" {...field("price")} />
        <TextField label="Length (minutes)" type="number" inputMode="numeric" min={5} max={480} step={5} {...field("durationMinutes")} />
      </div>
      <TextField
        label="Keywords"
        optional
        placeholder="whitening, bleaching, white teeth"
        hint="Words callers use for it, separated by commas. The receptionist matches them to quote this price."
        {...field("keywords")}
      />
      <TextAreaField label="Description" optional rows={2} maxLength={1000} {...field("description")} />
      <SwitchField
        label="Active"
        description="Inactive services are not quoted or booked by the receptionist."
        checked={values("active")}
        onChange={(on) => setField("active", on)}
      />
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="ghost" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" loading={pending} loadingLabel="Saving…">
          {service ? "Save service" : "Add service"}
        </Button>
      </div>
    </form>
  );
}
