"use client";

import { useId, useState, type ComponentProps, type ReactNode } from "react";
import { ChevronDownIcon, EyeIcon, EyeOffIcon } from "../icons";
import { cx } from "./cx";

const control =
  "block w-full rounded-lg border bg-surface px-3 text-sm text-fg shadow-xs placeholder:text-fg-subtle " +
  "transition-colors focus:outline-none focus-visible:outline-none focus:ring-[3px] disabled:opacity-60";

function controlState(invalid: boolean) {
  return invalid
    ? "border-danger focus:border-danger focus:ring-danger/20"
    : "border-line-strong hover:border-fg-subtle focus:border-brand focus:ring-brand/20";
}

type FieldShellProps = {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  optional?: boolean;
  children: (described: { describedBy: string | undefined; invalid: boolean }) => ReactNode;
};

/** Label, control, hint and error, wired together with aria-describedby / aria-invalid. */
function FieldShell({ id, label, hint, error, optional, children }: FieldShellProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="flex items-baseline justify-between text-sm font-medium text-fg">
        <span>{label}</span>
        {optional ? <span className="text-xs font-normal text-fg-subtle">Optional</span> : null}
      </label>
      {children({ describedBy, invalid: Boolean(error) })}
      {error ? (
        <p id={errorId} className="text-sm text-danger">
          {error}
        </p>
      ) : hint ? (
        <p id={hintId} className="text-xs text-fg-subtle">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type TextFieldProps = Omit<ComponentProps<"input">, "id"> & { label: string; hint?: ReactNode; error?: string; optional?: boolean };

export function TextField({ label, hint, error, optional, className, type = "text", ...props }: TextFieldProps) {
  const id = useId();
  const [revealed, setRevealed] = useState(false);
  const isPassword = type === "password";
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      {({ describedBy, invalid }) => (
        <div className="relative">
          <input
            id={id}
            type={isPassword && revealed ? "text" : type}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            className={cx(control, "h-10", isPassword && "pr-11", controlState(invalid), className)}
            {...props}
          />
          {isPassword ? (
            <button
              type="button"
              onClick={() => setRevealed((v) => !v)}
              aria-label={revealed ? "Hide password" : "Show password"}
              aria-pressed={revealed}
              className="absolute inset-y-0 right-0 flex w-10 items-center justify-center rounded-r-lg text-fg-subtle hover:text-fg focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring"
            >
              {revealed ? <EyeOffIcon className="size-4.5" /> : <EyeIcon className="size-4.5" />}
            </button>
          ) : null}
        </div>
      )}
    </FieldShell>
  );
}

type SelectFieldProps = Omit<ComponentProps<"select">, "id"> & { label: string; hint?: ReactNode; error?: string; optional?: boolean };

export function SelectField({ label, hint, error, optional, className, children, ...props }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      {({ describedBy, invalid }) => (
        <div className="relative">
          <select
            id={id}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            className={cx(control, "h-10 appearance-none pr-10", controlState(invalid), className)}
            {...props}
          >
            {children}
          </select>
          <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-fg-subtle" />
        </div>
      )}
    </FieldShell>
  );
}

type TextAreaFieldProps = Omit<ComponentProps<"textarea">, "id"> & { label: string; hint?: ReactNode; error?: string; optional?: boolean };

export function TextAreaField({ label, hint, error, optional, className, rows = 3, ...props }: TextAreaFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      {({ describedBy, invalid }) => (
        <textarea
          id={id}
          rows={rows}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          className={cx(control, "min-h-20 resize-y py-2 leading-relaxed", controlState(invalid), className)}
          {...props}
        />
      )}
    </FieldShell>
  );
}
