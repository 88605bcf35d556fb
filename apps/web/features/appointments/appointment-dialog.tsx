"use client";

import type { AppointmentItem, MessageOutcome } from "@voxanne/contracts";
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { useToast } from "@/components/ui/toast";
import { ApiError, describeProblem } from "@/lib/api";
import { formatAppointmentTime, formatPhone, formatTime } from "@/lib/format";
import { localDayOf } from "./calendar-range";
import { Alternatives, SlotPicker } from "./slot-picker";
import { useAppointmentActions } from "./use-appointments";

const SOURCE_LABEL: Record<AppointmentItem["source"], string> = {
  voice: "Booked by the receptionist",
  dashboard: "Booked by the front desk",
  import: "Imported",
};

/** One appointment: who, what, when, and what the front desk can do with it (move, cancel, remind). */
export function AppointmentDialog({
  appointment,
  timeZone,
  onClose,
  onMoved,
}: {
  appointment: AppointmentItem | null;
  timeZone: string;
  onClose: () => void;
  onMoved: (next: AppointmentItem) => void;
}) {
  return (
    <Modal
      open={appointment !== null}
      onClose={onClose}
      title={appointment ? (appointment.contact?.name ?? "Appointment") : ""}
      description={appointment ? `${appointment.service?.name ?? "Appointment"} · ${formatAppointmentTime(appointment.startsAt, timeZone)}` : null}
      testId="appointment-dialog"
    >
      {appointment ? <AppointmentDetails key={appointment.id} appointment={appointment} timeZone={timeZone} onClose={onClose} onMoved={onMoved} /> : null}
    </Modal>
  );
}

function AppointmentDetails({
  appointment,
  timeZone,
  onClose,
  onMoved,
}: {
  appointment: AppointmentItem;
  timeZone: string;
  onClose: () => void;
  onMoved: (next: AppointmentItem) => void;
}) {
  const { toast } = useToast();
  const { reschedule, cancel, remind } = useAppointmentActions();
  const [moving, setMoving] = useState(false);
  const [day, setDay] = useState(localDayOf(appointment.startsAt, timeZone));
  const [start, setStart] = useState("");
  const [reminder, setReminder] = useState<MessageOutcome | null>(null);
  const active = appointment.status === "booked" || appointment.status === "confirmed";
  const moveError = reschedule.error;
  const alternatives = moveError instanceof ApiError ? (moveError.body?.error.alternatives ?? []) : [];

  const move = (to: string) =>
    reschedule.mutate(
      { id: appointment.id, start: to },
      {
        onSuccess: ({ appointment: next }) => {
          toast(`Moved to ${formatAppointmentTime(next.startsAt, timeZone)}.`, { tone: "success" });
          onMoved(next);
        },
      },
    );

  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-2 text-sm">
        <dt className="text-fg-subtle">Phone</dt>
        <dd>
          {appointment.contact ? (
            <a href={`tel:${appointment.contact.phone}`} className="font-medium text-brand-text underline-offset-2 hover:underline">
              {formatPhone(appointment.contact.phone)}
            </a>
          ) : (
            "—"
          )}
        </dd>
        {appointment.contact?.email ? (
          <>
            <dt className="text-fg-subtle">Email</dt>
            <dd className="break-all">{appointment.contact.email}</dd>
          </>
        ) : null}
        <dt className="text-fg-subtle">Time</dt>
        <dd>
          {formatAppointmentTime(appointment.startsAt, timeZone)} – {formatTime(appointment.endsAt, timeZone)}
        </dd>
        <dt className="text-fg-subtle">Status</dt>
        <dd className="flex flex-wrap gap-1.5">
          <Badge tone={active ? "success" : "neutral"}>{appointment.status === "booked" ? "Booked" : appointment.status.replace("_", " ")}</Badge>
          {appointment.confirmationSent ? <Badge tone="brand">Reminder sent</Badge> : null}
        </dd>
        <dt className="text-fg-subtle">How</dt>
        <dd>{SOURCE_LABEL[appointment.source]}</dd>
        {appointment.notes ? (
          <>
            <dt className="text-fg-subtle">Notes</dt>
            <dd className="whitespace-pre-wrap">{appointment.notes}</dd>
          </>
        ) : null}
      </dl>

      {reminder ? <ReminderOutcome outcome={reminder} /> : null}
      {cancel.error ? <Alert tone="danger">{describeProblem(cancel.error).message}</Alert> : null}
      {remind.error ? <Alert tone="danger">{describeProblem(remind.error).message}</Alert> : null}

      {active && moving ? (
        <div className="space-y-3 rounded-xl border border-line p-3">
          <SlotPicker
            day={day}
            onDayChange={(d) => {
              setDay(d);
              setStart("");
            }}
            serviceId={appointment.service?.id}
            excludeAppointmentId={appointment.id}
            value={start}
            onChange={setStart}
            timeZone={timeZone}
          />
          {moveError ? (
            <Alert tone="danger">
              {describeProblem(moveError).message}
              <Alternatives starts={alternatives} timeZone={timeZone} onPick={move} />
            </Alert>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => setMoving(false)}>
              Back
            </Button>
            <Button disabled={!start} loading={reschedule.isPending} loadingLabel="Moving…" onClick={() => move(start)}>
              Move here
            </Button>
          </div>
        </div>
      ) : active ? (
        <div className="flex flex-wrap justify-end gap-2">
          <Button
            variant="ghost"
            loading={cancel.isPending}
            loadingLabel="Cancelling…"
            onClick={() =>
              cancel.mutate(
                { id: appointment.id },
                {
                  onSuccess: () => {
                    toast("Appointment cancelled. The time is free again.", { tone: "success" });
                    onClose();
                  },
                },
              )
            }
          >
            Cancel appointment
          </Button>
          <Button
            variant="secondary"
            loading={remind.isPending && remind.variables?.method === "email"}
            onClick={() => remind.mutate({ id: appointment.id, method: "email" }, { onSuccess: (r) => setReminder(r.message) })}
          >
            Email reminder
          </Button>
          <Button
            variant="secondary"
            loading={remind.isPending && remind.variables?.method === "sms"}
            onClick={() => remind.mutate({ id: appointment.id, method: "sms" }, { onSuccess: (r) => setReminder(r.message) })}
          >
            Text reminder
          </Button>
          <Button onClick={() => setMoving(true)}>Reschedule</Button>
        </div>
      ) : null}
    </div>
  );
}

/** What happened to a message, in words; a missing Twilio connection links to where to fix it. */
export function ReminderOutcome({ outcome }: { outcome: MessageOutcome }) {
  if (outcome.status === "not_sent" || outcome.status === "failed") {
    return (
      <Alert tone="danger" title="Not sent">
        {outcome.reason} {outcome.reason?.includes("Twilio") ? <Link href="/integrations">Connect Twilio</Link> : null}
      </Alert>
    );
  }
  return (
    <Alert tone="success">
      {outcome.status === "queued" ? "On its way" : "Sent"} to{" "}
      {outcome.recipient ? (outcome.method === "sms" ? formatPhone(outcome.recipient) : outcome.recipient) : "the patient"}.
    </Alert>
  );
}
