"use client";

import { LoginBody } from "@voxanne/contracts";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { api, apiRoutes, describeProblem, refreshSession } from "@/lib/api";
import { useContractForm } from "@/lib/forms";
import { safeNextPath } from "@/lib/redirects";

export function SignInForm({ next, initialEmail }: { next?: string; initialEmail?: string }) {
  const router = useRouter();
  const { field, formProps, pending, problem } = useContractForm(LoginBody, {
    defaultValues: { email: initialEmail ?? "", password: "" },
    submit: async (body) => {
      await api.call(apiRoutes.auth.login, { body });
      router.replace(safeNextPath(next));
    },
  });

  // The access cookie lapses with its token (an hour) while the refresh cookie, which only the auth
  // routes can see, lives on. Try it once: a returning user goes straight back to where they were.
  useEffect(() => {
    let cancelled = false;
    refreshSession()
      .then((renewed) => {
        if (renewed && !cancelled) router.replace(safeNextPath(next));
      })
      .catch(() => {
        /* API unreachable: the form reports it when the user submits */
      });
    return () => {
      cancelled = true;
    };
  }, [next, router]);

  return (
    <form {...formProps} className="space-y-5">
      {problem ? <Alert tone="danger">{describeProblem(problem.error).message}</Alert> : null}
      <TextField label="Email" type="email" autoComplete="email" inputMode="email" autoFocus={!initialEmail} {...field("email")} />
      <TextField label="Password" type="password" autoComplete="current-password" autoFocus={Boolean(initialEmail)} {...field("password")} />
      <Button type="submit" size="lg" className="w-full" loading={pending} loadingLabel="Signing in…">
        Sign in
      </Button>
      <p className="text-center text-sm">
        <Link href="/forgot-password" className="rounded-sm font-medium text-brand-text hover:underline">
          Forgot your password?
        </Link>
      </p>
      <p className="text-center text-sm text-fg-muted">
        New to Voxanne?{" "}
        <Link href="/signup" className="rounded-sm font-medium text-brand-text hover:underline">
          Create your clinic account
        </Link>
      </p>
    </form>
  );
}
