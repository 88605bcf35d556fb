"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useCallback, useEffect, useRef, useState } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path, type PathValue, type Resolver } from "react-hook-form";
import type { z } from "zod";
import { ApiError } from "./api";

/** Moves focus to the first invalid control so keyboard and screen-reader users land on the problem. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  form?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
}

type ContractFormOptions<S extends z.ZodType, V extends FieldValues> = {
  defaultValues: V;
  /** What the fields hold → what the schema checks (e.g. an empty optional field → undefined). */
  prepare?: (values: V) => z.input<S>;
  /** Sends the checked body. Throw (the API's error) to fail: see `problem`. */
  submit: (body: z.output<S>) => Promise<void>;
};

/**
 * A form checked with a contract's zod schema (the one the API validates with), on submit: each
 * field shows its first problem, cleared as soon as the field is edited, and focus moves to the
 * first invalid field. When `submit` throws, the API's 400 `fields` are shown on the fields they
 * name; anything else (and any field the form does not have) becomes `problem`, with the values
 * that were sent. `pending` stays true after a successful submit (the page is being left).
 *
 * Text inputs, text areas and selects spread `field(name)` (name, ref, handlers, defaultValue and
 * `error` for TextField, TextAreaField, SelectField);
 * other controls read `values(name)` and write `setField(name, value)`. The form spreads `formProps`.
 */
export function useContractForm<S extends z.ZodType<FieldValues, FieldValues>, V extends FieldValues = z.input<S>>(
  schema: S,
  { defaultValues, prepare, submit }: ContractFormOptions<S, V>,
) {
  // The schema checks the prepared values; its errors are keyed by the same field names.
  const checked = zodResolver(schema) as unknown as Resolver<V, unknown, z.output<S>>;
  const resolver: Resolver<V, unknown, z.output<S>> = (values, context, options) => checked((prepare ? prepare(values) : values) as V, context, options);
  const form = useForm<V, unknown, z.output<S>>({
    resolver,
    defaultValues: defaultValues as DefaultValues<V>,
    mode: "onSubmit",
    reValidateMode: "onSubmit",
    shouldFocusError: false, // focusFirstInvalid, in the order the fields are on screen
  });
  const { register, clearErrors, setError, setValue, watch, handleSubmit } = form;
  const errors = form.formState.errors as Partial<Record<string, { message?: string }>>;
  // A field that holds a list (e.g. "1440, 120") gets its items' problems nested by index: show the first.
  const messageOf = (e: unknown): string | undefined => {
    if (!e || typeof e !== "object") return undefined;
    const own = (e as { message?: unknown }).message;
    if (typeof own === "string") return own;
    for (const item of Object.values(e)) {
      const nested = messageOf(item);
      if (nested) return nested;
    }
    return undefined;
  };
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<{ error: unknown; values: z.output<S> | undefined } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const [submits, setSubmits] = useState(0);

  useEffect(() => {
    if (submits > 0) focusFirstInvalid(formRef.current);
  }, [submits]);

  /** Puts a 400's field messages on the fields; false when some were not the form's own. */
  const showFieldErrors = useCallback(
    (err: ApiError): boolean => {
      const fields = err.fieldErrors();
      const own = Object.keys(fields).filter((name) => name in defaultValues);
      for (const name of own) setError(name as Path<V>, { type: "server", message: fields[name] });
      return own.length === Object.keys(fields).length;
    },
    [defaultValues, setError],
  );

  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    setProblem(null);
    let sent: z.output<S> | undefined;
    handleSubmit(async (body) => {
      sent = body;
      setPending(true);
      await submit(body);
    })(e)
      .catch((err: unknown) => {
        setPending(false);
        const fieldsOnly = err instanceof ApiError && err.status === 400 && err.body?.error.fields?.length && showFieldErrors(err);
        if (!fieldsOnly) setProblem({ error: err, values: sent });
      })
      .finally(() => setSubmits((n) => n + 1));
  };

  const field = <N extends Path<V>>(name: N) => {
    const { onChange, ...registered } = register(name);
    return {
      ...registered,
      defaultValue: defaultValues[name] as string | undefined,
      onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
        clearErrors(name);
        return onChange(e);
      },
      error: messageOf(errors[name]),
    };
  };

  const setField = <N extends Path<V>>(name: N, value: PathValue<V, N>) => {
    setValue(name, value, { shouldDirty: true });
    clearErrors(name);
  };

  return {
    field,
    setField,
    values: watch,
    error: (name: Path<V>) => messageOf(errors[name]),
    formProps: { ref: formRef, onSubmit, noValidate: true },
    pending,
    problem,
    form,
  };
}
