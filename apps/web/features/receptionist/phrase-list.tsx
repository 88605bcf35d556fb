"use client";

import { useId, useRef, useState } from "react";
import { CloseIcon, PlusIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";

/**
 * A short list of phrases: each with a remove button, and an input that adds one (Enter or "Add").
 * Duplicates (ignoring case) are not added twice.
 */
export function PhraseListField({
  label,
  hint,
  phrases,
  onChange,
  max,
  maxLength,
  error,
}: {
  label: string;
  hint: string;
  phrases: string[];
  onChange: (phrases: string[]) => void;
  max: number;
  maxLength: number;
  error?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);
  const full = phrases.length >= max;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  const add = () => {
    const phrase = draft.trim();
    if (!phrase || full) return;
    if (!phrases.some((p) => p.toLowerCase() === phrase.toLowerCase())) onChange([...phrases, phrase]);
    setDraft("");
    inputRef.current?.focus();
  };

  const remove = (index: number) => {
    onChange(phrases.filter((_, i) => i !== index));
    inputRef.current?.focus();
  };

  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="text-sm font-medium text-fg">
        {label}
      </label>
      {phrases.length ? (
        <ul className="flex flex-wrap gap-2" aria-label="Phrases that end a call" data-testid="end-call-phrases">
          {phrases.map((phrase, index) => (
            <li key={phrase} className="inline-flex max-w-full items-center gap-1 rounded-full border border-line bg-surface-muted py-0.5 pr-1 pl-3 text-sm">
              <span className="min-w-0 truncate">{phrase}</span>
              <button
                type="button"
                onClick={() => remove(index)}
                aria-label={`Remove “${phrase}”`}
                className="rounded-full p-1 text-fg-subtle hover:bg-surface hover:text-fg disabled:cursor-not-allowed"
              >
                <CloseIcon className="size-3.5" />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-fg-subtle">No phrases: the receptionist ends calls when the caller is done.</p>
      )}
      <div className="flex gap-2">
        <input
          id={id}
          ref={inputRef}
          value={draft}
          maxLength={maxLength}
          disabled={full}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault(); // add the phrase, don't submit the form
              add();
            }
          }}
          placeholder={full ? `At most ${max} phrases` : "e.g. talk to you soon"}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${hintId}` : hintId}
          className={cx(
            "block h-10 w-full min-w-0 rounded-lg border bg-surface px-3 text-sm text-fg shadow-xs placeholder:text-fg-subtle focus:ring-[3px] focus:outline-none focus-visible:outline-none disabled:opacity-60",
            error ? "border-danger focus:border-danger focus:ring-danger/20" : "border-line-strong focus:border-brand focus:ring-brand/20",
          )}
        />
        <Button variant="secondary" onClick={add} disabled={full || !draft.trim()}>
          <PlusIcon className="size-4" />
          Add
        </Button>
      </div>
      {error ? (
        <p id={errorId} className="text-sm text-danger">
          {error}
        </p>
      ) : null}
      <p id={hintId} className="text-xs text-fg-subtle">
        {hint}
      </p>
    </div>
  );
}
