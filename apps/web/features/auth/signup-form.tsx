"use client";

import { CLINIC_TYPE_LABELS, CLINIC_TYPES, SignupBody } from "@voxanne/contracts";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { api, ApiError, apiRoutes, describeProblem } from "@/lib/api";
import { useContractForm } from "@/lib/forms";
import { useCurrencyOptions } from "@/lib/money";
import { HOME_PATH } from "@/lib/redirects";
import { browserTimeZone } from "@/lib/timezones";
import { TimeZoneSelect } from "./timezone-select";

export function SignUpForm() {
  const router = useRouter();
  const { field, setField, values, error, formProps, pending, problem, form } = useContractForm(SignupBody, {
    defaultValues: { clinicName: "", fullName: "", email: "", password: "", timezone: "", clinicType: "med_spa" as SignupBody["clinicType"], currency: "USD" },
    prepare: (v) => ({ ...v, fullName: v.fullName.trim() || undefined, timezone: v.timezone || undefined }),
    submit: async (body) => {
      await api.call(apiRoutes.auth.signup, { body });
      router.replace(HOME_PATH);
    },
  });

  // The browser's zone is only known on the client; pick it once mounted.
  const { getValues, setValue } = form;
  useEffect(() => {
    if (!getValues("timezone")) setValue("timezone", browserTimeZone());
  }, [getValues, setValue]);

  const currencies = useCurrencyOptions();

  // The API does not say whether the email is registered (docs/SECURITY.md § Sign-up); neither do we.
  const notCreated = problem?.error instanceof ApiError && problem.error.status === 409 ? problem.values?.email : undefined;

  return (
    <form {...formProps} className="space-y-5">
      {notCreated !== undefined ? (
        <Alert tone="danger" title="We couldn't create an account with these details">
          If you already have a Voxanne account, <Link href={`/signin?email=${encodeURIComponent(notCreated)}`}>sign in instead</Link>. Otherwise use a
          different email address.
        </Alert>
      ) : problem ? (
        <Alert tone="danger">{describeProblem(problem.error).message}</Alert>
      ) : null}
      <TextField label="Clinic name" autoComplete="organization" autoFocus placeholder="Sunrise Dental" {...field("clinicName")} />
      <TextField label="Your name" autoComplete="name" optional placeholder="Dr. Jane Smith" {...field("fullName")} />
      <TextField label="Work email" type="email" autoComplete="email" inputMode="email" placeholder="you@clinic.com" {...field("email")} />
      <TextField label="Password" type="password" autoComplete="new-password" hint="At least 8 characters." {...field("password")} />
      <TimeZoneSelect value={values("timezone")} onChange={(zone) => setField("timezone", zone)} error={error("timezone")} />
      <div className="grid gap-5 sm:grid-cols-2">
        <SelectField label="Type of clinic" hint="Your services start from a list for this kind of clinic." {...field("clinicType")}>
          {CLINIC_TYPES.map((t) => (
            <option key={t} value={t}>
              {CLINIC_TYPE_LABELS[t]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Currency" hint="Prices are shown and spoken in it." {...field("currency")}>
          {currencies.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </SelectField>
      </div>
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
