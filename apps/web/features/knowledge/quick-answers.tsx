"use client";

import { type QuickAnswer, QuickAnswerInput } from "@voxanne/contracts";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextAreaField, TextField } from "@/components/ui/field";
import { LoadError } from "@/components/ui/load-error";
import { SwitchField } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";
import { describeProblem } from "@/lib/api";
import { useContractForm } from "@/lib/forms";
import { StatusBadge } from "./document-list";
import { useKnowledgeActions, useQuickAnswers } from "./use-knowledge";

/** One quick answer's form: a new one (id null) or an edit. Calls onSaved after the API accepted it. */
function QuickAnswerForm({ id, initial, onSaved, onCancel }: { id: string | null; initial: QuickAnswerInput; onSaved: () => void; onCancel?: () => void }) {
  const { saveQuickAnswer } = useKnowledgeActions();
  const { toast } = useToast();
  const { field, formProps, pending, problem } = useContractForm(QuickAnswerInput, {
    defaultValues: initial,
    submit: async (body) => {
      await saveQuickAnswer(id, body);
      toast(id ? "Quick answer saved." : "Quick answer added.", { tone: "success" });
      onSaved();
    },
  });
  return (
    <form {...formProps} aria-label={id ? "Edit quick answer" : "Add a quick answer"} className="space-y-3">
      {problem ? <Alert tone="danger">{describeProblem(problem.error).message}</Alert> : null}
      <TextField label="Question" placeholder="Do you have parking?" {...field("question")} />
      <TextAreaField label="Answer" rows={3} placeholder="Yes, free parking is behind the building on Elm Street." {...field("answer")} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" loading={pending} loadingLabel="Saving…">
          {id ? "Save answer" : "Add answer"}
        </Button>
        {onCancel ? (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function QuickAnswerItem({ qa, canEdit }: { qa: QuickAnswer; canEdit: boolean }) {
  const { setEnabled, remove } = useKnowledgeActions();
  const { toast } = useToast();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      toast(done, { tone: "success" });
    } catch (err) {
      toast(describeProblem(err).message, { tone: "danger" });
    } finally {
      setBusy(false);
    }
  };
  if (editing) {
    return (
      <li className="py-4">
        <QuickAnswerForm
          id={qa.id}
          initial={{ question: qa.question, answer: qa.answer }}
          onSaved={() => setEditing(false)}
          onCancel={() => setEditing(false)}
        />
      </li>
    );
  }
  return (
    <li data-testid="quick-answer" className="space-y-2 py-4 first:pt-0 last:pb-0">
      <div className="flex items-start justify-between gap-2">
        <p className="min-w-0 font-medium">{qa.question}</p>
        <StatusBadge status={qa.status} />
      </div>
      <p className="text-sm text-fg-muted">{qa.answer}</p>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <SwitchField
          label="Used on calls"
          checked={qa.enabled}
          disabled={!canEdit || busy}
          onChange={(on) => void act(() => setEnabled(qa.id, on), on ? "Quick answer is used on calls again." : "Quick answer is no longer used on calls.")}
          className="min-w-0 flex-1"
        />
        {canEdit ? (
          <div className="flex gap-2">
            <Button variant="secondary" size="sm" onClick={() => setEditing(true)} aria-label={`Edit "${qa.question}"`}>
              Edit
            </Button>
            <Button
              variant="ghost"
              size="sm"
              disabled={busy}
              onClick={() => void act(() => remove(qa.id), "Quick answer deleted.")}
              aria-label={`Delete "${qa.question}"`}
            >
              Delete
            </Button>
          </div>
        ) : null}
      </div>
    </li>
  );
}

/** Short question-and-answer pairs (hours, parking, payment, aftercare): the quickest way to teach the receptionist. */
export function QuickAnswers({ canEdit }: { canEdit: boolean }) {
  const list = useQuickAnswers();
  const [formKey, setFormKey] = useState(0);
  return (
    <section aria-labelledby="quick-answers-title" className="rounded-2xl border border-line bg-surface p-5 shadow-xs">
      <h2 id="quick-answers-title" className="text-base font-semibold">
        Quick answers
      </h2>
      <p className="mt-1 text-sm text-fg-muted">Short answers to the questions callers ask most: hours, parking, payment, aftercare.</p>
      {canEdit ? (
        <div className="mt-4 rounded-xl border border-line p-4">
          <QuickAnswerForm key={formKey} id={null} initial={{ question: "", answer: "" }} onSaved={() => setFormKey((k) => k + 1)} />
        </div>
      ) : null}
      <div className="mt-4">
        {list.isPending ? (
          <div role="status" className="h-14 animate-pulse rounded-lg bg-surface-muted">
            <span className="sr-only">Loading quick answers…</span>
          </div>
        ) : list.isError ? (
          <LoadError title="We couldn't load the quick answers" message={describeProblem(list.error).message} onRetry={() => void list.refetch()} />
        ) : list.data.quickAnswers.length === 0 ? (
          <p data-testid="quick-answers-empty" className="text-sm text-fg-muted">
            No quick answers yet.
          </p>
        ) : (
          <ul className="divide-y divide-line">
            {list.data.quickAnswers.map((qa) => (
              <QuickAnswerItem key={qa.id} qa={qa} canEdit={canEdit} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
