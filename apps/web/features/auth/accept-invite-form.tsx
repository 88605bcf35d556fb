"use client";

import { AcceptInviteBody, type InvitePreview } from "@voxanne/contracts";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { TextField } from "@/components/ui/field";
import { api, apiRoutes, describeProblem } from "@/lib/api";
import { useContractForm } from "@/lib/forms";

const roleWords = { admin: "an admin", staff: "staff" } as const;

/**
 * The invite link's page: says which clinic and role the invite is for, then creates the account
 * (name + password) and signs in. A revoked, expired or used link says so and whom to ask.
 */
export function AcceptInviteForm({ token }: { token: string }) {
  const router = useRouter();
  // The sign-in pages have no query cache (app/(auth)/layout.tsx): one request, held in state.
  const [preview, setPreview] = useState<{ data?: InvitePreview; error?: unknown }>({});
  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    api
      .call(apiRoutes.team.previewInvite, { body: { token } })
      .then((data) => !cancelled && setPreview({ data }))
      .catch((error: unknown) => !cancelled && setPreview({ error }));
    return () => {
      cancelled = true;
    };
  }, [token]);
  const { field, formProps, pending, problem } = useContractForm(AcceptInviteBody, {
    defaultValues: { token, fullName: "", password: "" },
    submit: async (body) => {
      await api.call(apiRoutes.team.acceptInvite, { body });
      router.replace("/overview");
    },
  });

  if (!token) {
    return <Alert tone="danger">This invite link is incomplete. Open the link from your invite email again, or ask your clinic for a new invite.</Alert>;
  }
  if (!preview.data && !preview.error) {
    return (
      <p className="flex items-center gap-2 text-sm text-fg-muted" role="status">
        <Spinner className="size-4" /> Checking your invite…
      </p>
    );
  }
  if (!preview.data) {
    return (
      <div className="space-y-4">
        <Alert tone="danger" title="This invite can't be used">
          <span data-testid="invite-problem">{describeProblem(preview.error).message}</span>
        </Alert>
        <p className="text-sm text-fg-muted">
          Already joined?{" "}
          <Link href="/signin" className="font-medium text-brand-text hover:underline">
            Sign in
          </Link>
        </p>
      </div>
    );
  }
  const invite = preview.data;
  return (
    <form {...formProps} className="space-y-5">
      <p className="text-sm text-fg-muted" data-testid="invite-summary">
        You&apos;re joining <strong className="text-fg">{invite.clinicName}</strong> as {roleWords[invite.role]}, with the email{" "}
        <strong className="text-fg">{invite.email}</strong>.
      </p>
      {problem ? <Alert tone="danger">{describeProblem(problem.error).message}</Alert> : null}
      <TextField label="Your name" autoComplete="name" autoFocus {...field("fullName")} />
      <TextField label="Choose a password" type="password" autoComplete="new-password" hint="At least 8 characters." {...field("password")} />
      <Button type="submit" size="lg" className="w-full" loading={pending} loadingLabel="Joining…">
        Join {invite.clinicName}
      </Button>
    </form>
  );
}
