import type { ReactNode } from "react";
import { AlertIcon, CheckIcon } from "../icons";
import { cx } from "./cx";

type Tone = "danger" | "warning" | "success" | "info";

const tones: Record<Tone, string> = {
  danger: "border-danger-line bg-danger-soft text-danger",
  warning: "border-warning-line bg-warning-soft text-warning",
  success: "border-success-line bg-success-soft text-success",
  info: "border-line bg-brand-soft text-brand-text",
};

/**
 * An inline message. Errors use role="alert" so screen readers announce them as soon as they
 * appear; other tones are polite status messages.
 */
export function Alert({ tone = "danger", title, children, className }: { tone?: Tone; title?: string; children?: ReactNode; className?: string }) {
  const Icon = tone === "success" ? CheckIcon : AlertIcon;
  return (
    <div role={tone === "danger" ? "alert" : "status"} className={cx("flex gap-3 rounded-lg border px-3.5 py-3 text-sm", tones[tone], className)}>
      <Icon className="mt-0.5 size-4.5 shrink-0" />
      <div className="min-w-0 space-y-1">
        {title ? <p className="font-semibold">{title}</p> : null}
        {children ? <div className="leading-relaxed [&_a]:font-medium [&_a]:underline [&_a]:underline-offset-2">{children}</div> : null}
      </div>
    </div>
  );
}
