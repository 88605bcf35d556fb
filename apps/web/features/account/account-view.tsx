"use client";

import { type Account, ChangePasswordBody, UpdateAccountBody } from "@voxanne/contracts";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { LoadError } from "@/components/ui/load-error";
import { SwitchField } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";
import { apiRoutes, callAuthed, describeProblem } from "@/lib/api";
import { useContractForm } from "@/lib/forms";
import { routeKey, routeQuery } from "@/lib/query";
import { useSession } from "@/lib/session";

/** Your own account: name, password, and (owners) the morning summary email. */
export function AccountView() {
  const account = useQuery(routeQuery(apiRoutes.account.get));
  return (
    <div className="max-w-2xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
        <p className="mt-1 text-sm text-fg-muted">Your name, password and email preferences.</p>
      </header>
      {account.isPending ? (
        <div className="h-40 animate-pulse rounded-2xl bg-surface-muted" role="status" aria-busy="true" aria-label="Loading your account" />
      ) : account.isError ? (
        <LoadError title="We couldn't load your account" message={describeProblem(account.error).message} onRetry={() => void account.refetch()} />
      ) : (
        <>
          <Remounted render={(done) => <NameForm account={account.data} onDone={done} />} />
          {account.data.canReceiveDailySummary ? <DailySummary account={account.data} /> : null}
          <Remounted render={(done) => <PasswordForm onDone={done} />} />
        </>
      )}
    </div>
  );
}

/** A form is fresh again after a save (useContractForm keeps `pending` once it succeeded). */
function Remounted({ render }: { render: (done: () => void) => React.ReactNode }) {
  const [round, setRound] = useState(0);
  return <div key={round}>{render(() => setRound((n) => n + 1))}</div>;
}

function useAccountSaved() {
  const queryClient = useQueryClient();
  const { reload } = useSession();
  return (saved: Account) => {
    queryClient.setQueryData(routeKey(apiRoutes.account.get), saved);
    reload();
  };
}

function NameForm({ account, onDone }: { account: Account; onDone: () => void }) {
  const saved = useAccountSaved();
  const { toast } = useToast();
  const { field, formProps, pending, problem } = useContractForm(UpdateAccountBody, {
    defaultValues: { fullName: account.fullName ?? "" },
    submit: async (body) => {
      saved(await callAuthed(apiRoutes.account.update, { body }));
      toast("Your name is saved.", { tone: "success" });
      onDone();
    },
  });
  return (
    <form {...formProps} className="space-y-4 rounded-2xl border border-line bg-surface p-5 shadow-xs" aria-labelledby="name-heading">
      <h2 id="name-heading" className="text-base font-semibold">
        Profile
      </h2>
      {problem ? <Alert tone="danger">{describeProblem(problem.error).message}</Alert> : null}
      <TextField label="Email" value={account.email} readOnly disabled hint="Your sign-in email can't be changed here." />
      <TextField label="Your name" autoComplete="name" {...field("fullName")} />
      <Button type="submit" loading={pending} loadingLabel="Saving…">
        Save name
      </Button>
    </form>
  );
}

function DailySummary({ account }: { account: Account }) {
  const saved = useAccountSaved();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section className="space-y-3 rounded-2xl border border-line bg-surface p-5 shadow-xs" aria-labelledby="summary-heading">
      <h2 id="summary-heading" className="text-base font-semibold">
        Emails
      </h2>
      {problem ? <Alert tone="danger">{problem}</Alert> : null}
      <SwitchField
        label="Daily summary"
        description="Each morning at 7:00 (clinic time): yesterday's calls, bookings, hot leads and emergencies."
        checked={account.dailySummary}
        disabled={busy}
        onChange={(dailySummary) => {
          setBusy(true);
          setProblem(null);
          callAuthed(apiRoutes.account.update, { body: { dailySummary } })
            .then(saved)
            .catch((err: unknown) => setProblem(describeProblem(err).message))
            .finally(() => setBusy(false));
        }}
      />
    </section>
  );
}

function PasswordForm({ onDone }: { onDone: () => void }) {
  const { toast } = useToast();
  const { field, formProps, pending, problem } = useContractForm(ChangePasswordBody, {
    defaultValues: { currentPassword: "", newPassword: "" },
    submit: async (body) => {
      await callAuthed(apiRoutes.auth.changePassword, { body });
      toast("Password changed. Your other devices were signed out.", { tone: "success" });
      onDone();
    },
  });
  return (
    <form {...formProps} className="space-y-4 rounded-2xl border border-line bg-surface p-5 shadow-xs" aria-labelledby="password-heading">
      <h2 id="password-heading" className="text-base font-semibold">
        Password
      </h2>
      {problem ? <Alert tone="danger">{describeProblem(problem.error).message}</Alert> : null}
      <TextField label="Current password" type="password" autoComplete="current-password" {...field("currentPassword")} />
      <TextField label="New password" type="password" autoComplete="new-password" hint="At least 8 characters." {...field("newPassword")} />
      <Button type="submit" loading={pending} loadingLabel="Changing…">
        Change password
      </Button>
    </form>
  );
}
