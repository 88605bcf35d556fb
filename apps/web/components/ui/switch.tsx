"use client";

import { useId, type ReactNode } from "react";
import { cx } from "./cx";

/**
 * An on/off setting: a `role="switch"` button with its label and a one-line description, so it is
 * named and described for screen readers and toggled with Space or Enter. Disabled inside a
 * disabled fieldset like any button.
 */
export function SwitchField({
  label,
  description,
  checked,
  onChange,
  disabled,
  className,
}: {
  label: string;
  description?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  className?: string;
}) {
  const id = useId();
  return (
    <div className={cx("flex items-start justify-between gap-4", className)}>
      <div className="min-w-0 space-y-0.5">
        <p id={`${id}-label`} className="text-sm font-medium text-fg">
          {label}
        </p>
        {description ? (
          <p id={`${id}-description`} className="text-xs leading-relaxed text-fg-subtle">
            {description}
          </p>
        ) : null}
      </div>
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-labelledby={`${id}-label`}
        aria-describedby={description ? `${id}-description` : undefined}
        disabled={disabled}
        onClick={() => onChange(!checked)}
        className={cx(
          "relative mt-0.5 inline-flex h-6 w-11 shrink-0 items-center rounded-full border transition-colors",
          "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-60",
          checked ? "border-transparent bg-brand" : "border-line-strong bg-surface-muted",
        )}
      >
        <span
          aria-hidden="true"
          className={cx("inline-block size-4.5 rounded-full bg-white shadow-sm transition-transform", checked ? "translate-x-5.5" : "translate-x-0.5")}
        />
      </button>
    </div>
  );
}
