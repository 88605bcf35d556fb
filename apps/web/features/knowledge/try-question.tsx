"use client";

import { KnowledgeSearchQuery } from "@voxanne/contracts";
import { useState } from "react";
import { SearchIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { LoadError } from "@/components/ui/load-error";
import { Spinner } from "@/components/ui/spinner";
import { describeProblem } from "@/lib/api";
import { useKnowledgeSearch } from "./use-knowledge";

const matchLabel = { full_text: "words", trigram: "spelling", vector: "meaning" } as const;

/** "Try a question": exactly what the receptionist would say to it, and the passages it came from. */
export function TryQuestion() {
  const [draft, setDraft] = useState("");
  const [asked, setAsked] = useState("");
  const [invalid, setInvalid] = useState<string | undefined>();
  const search = useKnowledgeSearch(asked);
  const ask = (e: React.FormEvent) => {
    e.preventDefault();
    const checked = KnowledgeSearchQuery.safeParse({ q: draft });
    if (!checked.success) {
      setInvalid(checked.error.issues[0]?.message);
      return;
    }
    setInvalid(undefined);
    setAsked(checked.data.q);
  };
  return (
    <section aria-labelledby="try-title" className="rounded-2xl border border-line bg-surface p-5 shadow-xs">
      <h2 id="try-title" className="text-base font-semibold">
        Try a question
      </h2>
      <p className="mt-1 text-sm text-fg-muted">Ask what a caller might ask and hear what the receptionist would answer.</p>
      <form onSubmit={ask} noValidate className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="min-w-0 flex-1">
          <TextField
            label="Question"
            placeholder="Do you have parking?"
            value={draft}
            error={invalid}
            onChange={(e) => {
              setDraft(e.target.value);
              setInvalid(undefined);
            }}
          />
        </div>
        <Button type="submit" className={invalid ? "sm:mb-7" : undefined}>
          <SearchIcon className="size-4" />
          Ask
        </Button>
      </form>
      {asked ? (
        <div className="mt-4" aria-live="polite">
          {search.isPending ? (
            <p className="flex items-center gap-2 text-sm text-fg-muted">
              <Spinner /> Searching…
            </p>
          ) : search.isError ? (
            <LoadError title="We couldn't search the knowledge base" message={describeProblem(search.error).message} onRetry={() => void search.refetch()} />
          ) : (
            <div className="space-y-4">
              <div className="rounded-xl border border-brand/30 bg-brand-soft p-4">
                <p className="text-xs font-medium uppercase tracking-wide text-brand-text">The receptionist would say</p>
                <p data-testid="spoken-answer" className="mt-1 text-sm text-fg">
                  {search.data.spoken}
                </p>
              </div>
              {search.data.vectorNote ? <p className="text-xs text-fg-subtle">{search.data.vectorNote}</p> : null}
              {search.data.hits.length > 0 ? (
                <div>
                  <p className="text-sm font-medium">From these passages</p>
                  <ol className="mt-2 space-y-2">
                    {search.data.hits.map((hit) => (
                      <li key={hit.chunkId} data-testid="search-hit" className="rounded-lg border border-line p-3">
                        <div className="flex flex-wrap items-center gap-2">
                          <span className="text-sm font-medium">{hit.documentTitle}</span>
                          {hit.heading ? <span className="text-xs text-fg-subtle">› {hit.heading}</span> : null}
                          <span className="ml-auto flex gap-1">
                            {hit.matchedBy.map((m) => (
                              <Badge key={m} tone="neutral">
                                {matchLabel[m]}
                              </Badge>
                            ))}
                          </span>
                        </div>
                        <p className="mt-1 line-clamp-4 text-sm text-fg-muted">{hit.content}</p>
                      </li>
                    ))}
                  </ol>
                </div>
              ) : null}
            </div>
          )}
        </div>
      ) : null}
    </section>
  );
}
