"use client";

import { ForgotPasswordBody, ResetPasswordBody } from "@voxanne/contracts";
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { api, apiRoutes, describeProblem } from "@/lib/api";
import { useContractForm } from "@/lib/forms";

/** "Forgot password": always the same answer, so it never tells whether an email has an account. */
export function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { field, formProps, pending, problem } = useContractForm(ForgotPasswordBody, {
    defaultValues: { email: "" },
    submit: async (body) => {
      await api.call(apiRoutes.account.forgotPassword, { body });
      setSentTo(body.email);
    },
  });
  if (sentTo) {
    return (
      <div className="space-y-4">
        <Alert tone="success" title="Check your email">
          <span data-testid="reset-sent">
            If {sentTo} belongs to a Voxanne account, a link to choose a new password is on its way. It works once, for 60 minutes.
          </span>
        </Alert>
        <Link href="/signin" className="text-sm font-medium text-brand-text hover:underline">
          Back to sign in
        </Link>
      </div>
    );
  }
  return (
    <form {...formProps} className="space-y-5">
      {problem ? <Alert tone="danger">{describeProblem(problem.error).message}</Alert> : null}
      <TextField label="Email" type="email" autoComplete="email" inputMode="email" autoFocus {...field("email")} />
      <Button type="submit" size="lg" className="w-full" loading={pending} loadingLabel="Sending…">
        Email me a reset link
      </Button>
      <p className="text-center text-sm text-fg-muted">
        Remembered it?{" "}
        <Link href="/signin" className="font-medium text-brand-text hover:underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}

/** The reset link's page: a new password, once. */
export function ResetPasswordForm({ token }: { token: string }) {
  const [doneFor, setDoneFor] = useState<string | null>(null);
  const { field, formProps, pending, problem } = useContractForm(ResetPasswordBody, {
    defaultValues: { token, newPassword: "" },
    submit: async (body) => {
      const { email } = await api.call(apiRoutes.account.resetPassword, { body });
      setDoneFor(email);
    },
  });
  if (doneFor) {
    return (
      <div className="space-y-4">
        <Alert tone="success" title="Password changed">
          <span data-testid="reset-done">Your password is changed and every session was signed out. Sign in with the new password.</span>
        </Alert>
        <Link href={`/signin?email=${encodeURIComponent(doneFor)}`} className="text-sm font-medium text-brand-text hover:underline">
          Sign in
        </Link>
      </div>
    );
  }
  if (!token) {
    return <Alert tone="danger">This reset link is incomplete. Open the link from the email again, or ask for a new one.</Alert>;
  }
  return (
    <form {...formProps} className="space-y-5">
      {problem ? (
        <Alert tone="danger">
          <span data-testid="reset-problem">{describeProblem(problem.error).message}</span>{" "}
          <Link href="/forgot-password" className="font-medium underline">
            Ask for a new link
          </Link>
        </Alert>
      ) : null}
      <TextField label="New password" type="password" autoComplete="new-password" autoFocus hint="At least 8 characters." {...field("newPassword")} />
      <Button type="submit" size="lg" className="w-full" loading={pending} loadingLabel="Saving…">
        Set new password
      </Button>
    </form>
  );
}
