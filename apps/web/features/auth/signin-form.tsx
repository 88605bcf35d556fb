"use client";

import { LoginBody } from "@voxanne/contracts";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { api, ApiError, apiRoutes, describeProblem, refreshSession } from "@/lib/api";
import { focusFirstInvalid, zodFieldErrors } from "@/lib/form-errors";
import { safeNextPath } from "@/lib/redirects";

type Fields = "email" | "password";

export function SignInForm({ next, initialEmail }: { next?: string; initialEmail?: string }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({ email: initialEmail ?? "", password: "" });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Fields, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [submits, setSubmits] = useState(0);

  useEffect(() => {
    if (submits > 0) focusFirstInvalid(formRef.current);
  }, [submits]);

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

  const set = (field: Fields) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    setFieldErrors((errs) => ({ ...errs, [field]: undefined }));
  };

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setProblem(null);
    const parsed = LoginBody.safeParse(values);
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      setSubmits((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      await api.call(apiRoutes.auth.login, { body: parsed.data });
      router.replace(safeNextPath(next));
    } catch (err) {
      setPending(false);
      if (err instanceof ApiError && err.status === 400 && err.body?.error.fields?.length) {
        setFieldErrors(err.fieldErrors());
        setSubmits((n) => n + 1);
        return;
      }
      setProblem(describeProblem(err).message);
    }
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-5">
      {problem ? <Alert tone="danger">{problem}</Alert> : null}
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="email"
        inputMode="email"
        autoFocus={!initialEmail}
        value={values.email}
        onChange={set("email")}
        error={fieldErrors.email}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        autoFocus={Boolean(initialEmail)}
        value={values.password}
        onChange={set("password")}
        error={fieldErrors.password}
      />
      <Button type="submit" size="lg" className="w-full" loading={pending} loadingLabel="Signing in…">
        Sign in
      </Button>
      <p className="text-center text-sm text-fg-muted">
        New to Voxanne?{" "}
        <Link href="/signup" className="rounded-sm font-medium text-brand-text hover:underline">
          Create your clinic account
        </Link>
      </p>
    </form>
  );
}
