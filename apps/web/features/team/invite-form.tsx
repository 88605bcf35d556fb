"use client";

import { InviteBody } from "@voxanne/contracts";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiRoutes, callAuthed, describeProblem } from "@/lib/api";
import { useContractForm } from "@/lib/forms";
import { useTeamChanged } from "./use-team";

const deliveryNote = {
  sent: "The invite email is on its way.",
  outbox: "Development: the email is in the Outbox (no SMTP_URL set).",
  not_sent: "The email could not be sent: email is not configured on the server (SMTP_URL).",
  failed: "The mail server refused the email; try again or check SMTP_URL.",
  duplicate: "",
} as const;

/** Invite by email with a role; the link works once for 72 hours. A fresh form after each invite. */
export function InviteForm() {
  const [round, setRound] = useState<{ n: number; role: "admin" | "staff" }>({ n: 0, role: "staff" });
  return <InviteFormRound key={round.n} role={round.role} onDone={(role) => setRound((r) => ({ n: r.n + 1, role }))} />;
}

function InviteFormRound({ role, onDone }: { role: "admin" | "staff"; onDone: (role: "admin" | "staff") => void }) {
  const changed = useTeamChanged();
  const { toast } = useToast();
  const { field, formProps, pending, problem } = useContractForm(InviteBody, {
    defaultValues: { email: "", role },
    submit: async (body) => {
      const sent = await callAuthed(apiRoutes.team.invite, { body });
      changed();
      onDone(body.role);
      toast(`Invited ${sent.email}. ${deliveryNote[sent.delivery]}`, {
        tone: sent.delivery === "failed" || sent.delivery === "not_sent" ? "danger" : "success",
      });
    },
  });
  return (
    <form {...formProps} className="space-y-4 rounded-2xl border border-line bg-surface p-5 shadow-xs" aria-labelledby="invite-heading">
      <h2 id="invite-heading" className="text-base font-semibold">
        Invite someone
      </h2>
      {problem ? <Alert tone="danger">{describeProblem(problem.error).message}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_10rem_auto] sm:items-end">
        <TextField label="Email" type="email" inputMode="email" autoComplete="off" {...field("email")} />
        <SelectField label="Role" {...field("role")}>
          <option value="staff">Staff</option>
          <option value="admin">Admin</option>
        </SelectField>
        <Button type="submit" loading={pending} loadingLabel="Inviting…" className="sm:mb-px">
          Send invite
        </Button>
      </div>
      <p className="text-xs text-fg-subtle">
        Staff handle calls, patients and bookings. Admins also change settings, services and the team. The link works once, for 72 hours.
      </p>
    </form>
  );
}
