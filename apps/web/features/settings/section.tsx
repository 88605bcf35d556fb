import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describeProblem } from "@/lib/api";

/** One card of the Settings page: a heading, its controls, and (for owners and admins) its own Save. */
export function SettingsSection({
  id,
  title,
  description,
  canEdit,
  pending,
  problem,
  formProps,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  canEdit: boolean;
  pending: boolean;
  problem: unknown;
  /** From useContractForm (or the same shape): ref for focusing the first invalid field, and the submit handler. */
  formProps: { ref?: React.Ref<HTMLFormElement>; onSubmit: (e: React.FormEvent<HTMLFormElement>) => void };
  children: ReactNode;
}) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="scroll-mt-20 rounded-2xl border border-line bg-surface shadow-xs">
      <div className="border-b border-line px-5 py-4 sm:px-6">
        <h2 id={`${id}-title`} className="text-base font-semibold">
          {title}
        </h2>
        {description ? <p className="mt-0.5 text-sm text-fg-muted">{description}</p> : null}
      </div>
      <form ref={formProps.ref} onSubmit={formProps.onSubmit} noValidate aria-label={title} className="space-y-5 px-5 py-5 sm:px-6">
        {problem ? (
          <Alert tone="danger" title="Not saved">
            {describeProblem(problem).message}
          </Alert>
        ) : null}
        <fieldset disabled={!canEdit} className="m-0 min-w-0 space-y-5 border-0 p-0">
          <legend className="sr-only">{title}</legend>
          {children}
        </fieldset>
        {canEdit ? (
          <div className="flex justify-end">
            <Button type="submit" loading={pending} loadingLabel="Saving…">
              Save {title.toLowerCase()}
            </Button>
          </div>
        ) : null}
      </form>
    </section>
  );
}
