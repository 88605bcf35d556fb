"use client";

import { SignupBody } from "@voxanne/contracts";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { api, ApiError, apiRoutes, describeProblem } from "@/lib/api";
import { focusFirstInvalid, zodFieldErrors } from "@/lib/form-errors";
import { HOME_PATH } from "@/lib/redirects";
import { browserTimeZone } from "@/lib/timezones";
import { TimeZoneSelect } from "./timezone-select";

type Fields = "clinicName" | "fullName" | "email" | "password" | "timezone";
type Problem = { kind: "exists"; email: string } | { kind: "message"; message: string };

export function SignUpForm() {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Record<Fields, string>>({ clinicName: "", fullName: "", email: "", password: "", timezone: "" });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Fields, string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pending, setPending] = useState(false);
  const [submits, setSubmits] = useState(0);

  // The browser's zone is only known on the client; pick it once mounted.
  useEffect(() => {
    setValues((v) => (v.timezone ? v : { ...v, timezone: browserTimeZone() }));
  }, []);

  useEffect(() => {
    if (submits > 0) focusFirstInvalid(formRef.current);
  }, [submits]);

  const setField = (field: Fields, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setFieldErrors((errs) => ({ ...errs, [field]: undefined }));
  };
  const bind = (field: Fields) => ({
    name: field,
    value: values[field],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setField(field, e.target.value),
    error: fieldErrors[field],
  });

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setProblem(null);
    const parsed = SignupBody.safeParse({
      clinicName: values.clinicName,
      fullName: values.fullName.trim() || undefined,
      email: values.email,
      password: values.password,
      timezone: values.timezone || undefined,
    });
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      setSubmits((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      await api.call(apiRoutes.auth.signup, { body: parsed.data });
      router.replace(HOME_PATH);
    } catch (err) {
      setPending(false);
      if (err instanceof ApiError && err.status === 409) {
        setProblem({ kind: "exists", email: parsed.data.email });
        return;
      }
      if (err instanceof ApiError && err.status === 400 && err.body?.error.fields?.length) {
        const fields = err.fieldErrors();
        const known = Object.keys(fields).filter((k): k is Fields => k in values);
        setFieldErrors(Object.fromEntries(known.map((k) => [k, fields[k]])));
        if (known.length < Object.keys(fields).length) setProblem({ kind: "message", message: err.message });
        setSubmits((n) => n + 1);
        return;
      }
      setProblem({ kind: "message", message: describeProblem(err).message });
    }
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-5">
      {problem?.kind === "exists" ? (
        <Alert tone="danger" title="An account with this email already exists">
          <Link href={`/signin?email=${encodeURIComponent(problem.email)}`}>Sign in instead</Link>, or use a different email address.
        </Alert>
      ) : problem ? (
        <Alert tone="danger">{problem.message}</Alert>
      ) : null}
      <TextField label="Clinic name" autoComplete="organization" autoFocus placeholder="Sunrise Dental" {...bind("clinicName")} />
      <TextField label="Your name" autoComplete="name" optional placeholder="Dr. Jane Smith" {...bind("fullName")} />
      <TextField label="Work email" type="email" autoComplete="email" inputMode="email" placeholder="you@clinic.com" {...bind("email")} />
      <TextField label="Password" type="password" autoComplete="new-password" hint="At least 8 characters." {...bind("password")} />
      <TimeZoneSelect value={values.timezone} onChange={(zone) => setField("timezone", zone)} error={fieldErrors.timezone} />
      <Button type="submit" size="lg" className="w-full" loading={pending} loadingLabel="Creating your clinic…">
        Create clinic account
      </Button>
      <p className="text-center text-sm text-fg-muted">
        Already have an account?{" "}
        <Link href="/signin" className="rounded-sm font-medium text-brand-text hover:underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
