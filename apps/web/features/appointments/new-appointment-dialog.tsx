"use client";

import { CreateAppointmentBody } from "@voxanne/contracts";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { Modal } from "@/components/ui/modal";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiRoutes, callAuthed, describeProblem } from "@/lib/api";
import { formatAppointmentTime } from "@/lib/format";
import { useContractForm } from "@/lib/forms";
import { Alternatives, SlotPicker } from "./slot-picker";
import { useAppointmentActions, useSlots } from "./use-appointments";

type Values = { name: string; phone: string; email: string; serviceId: string; start: string; notes: string };

/** "New appointment": patient, service, a free time from the slot picker; a taken time offers the next free ones. */
export function NewAppointmentDialog({ open, onClose, timeZone, initialDay }: { open: boolean; onClose: () => void; timeZone: string; initialDay: string }) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      title="New appointment"
      description="Booked through the same rules as the receptionist: hours, notice and buffers."
      testId="new-appointment"
    >
      <NewAppointmentForm onDone={onClose} timeZone={timeZone} initialDay={initialDay} />
    </Modal>
  );
}

function NewAppointmentForm({ onDone, timeZone, initialDay }: { onDone: () => void; timeZone: string; initialDay: string }) {
  const { toast } = useToast();
  const { invalidate } = useAppointmentActions();
  const [day, setDay] = useState(initialDay);
  const services = useSlots(day || initialDay, undefined).data?.services ?? [];
  const { field, setField, values, error, formProps, pending, problem } = useContractForm<typeof CreateAppointmentBody, Values>(CreateAppointmentBody, {
    defaultValues: { name: "", phone: "", email: "", serviceId: "", start: "", notes: "" },
    prepare: (v) => ({
      name: v.name,
      phone: v.phone,
      email: v.email || undefined,
      serviceId: v.serviceId || undefined,
      start: v.start,
      notes: v.notes || undefined,
    }),
    submit: async (body) => {
      const { appointment } = await callAuthed(apiRoutes.appointments.create, { body });
      invalidate();
      toast(`Booked ${appointment.contact?.name ?? "the patient"} for ${formatAppointmentTime(appointment.startsAt, timeZone)}.`, { tone: "success" });
      onDone();
    },
  });
  const alternatives = problem?.error instanceof ApiError ? (problem.error.body?.error.alternatives ?? []) : [];
  const serviceId = values("serviceId");
  return (
    <form {...formProps} className="space-y-4" aria-label="New appointment">
      <TextField label="Patient name" autoComplete="name" {...field("name")} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Phone" type="tel" inputMode="tel" autoComplete="tel" placeholder="(212) 555-0123" {...field("phone")} />
        <TextField label="Email" type="email" autoComplete="email" optional {...field("email")} />
      </div>
      <SelectField label="Service" hint="Leave as is for a consultation." {...field("serviceId")}>
        <option value="">Consultation (default)</option>
        {services.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} · {s.durationMinutes} min
          </option>
        ))}
      </SelectField>
      <SlotPicker
        day={day}
        onDayChange={(d) => {
          setDay(d);
          setField("start", "");
        }}
        serviceId={serviceId || undefined}
        value={values("start")}
        onChange={(s) => setField("start", s)}
        timeZone={timeZone}
        error={error("start") ? "Pick a free time." : undefined}
      />
      <TextAreaField label="Notes" optional rows={2} {...field("notes")} />
      {problem ? (
        <Alert tone="danger">
          {describeProblem(problem.error).message}
          <Alternatives starts={alternatives} timeZone={timeZone} onPick={(s) => setField("start", s)} />
        </Alert>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button type="submit" loading={pending} loadingLabel="Booking…">
          Book appointment
        </Button>
      </div>
    </form>
  );
}
