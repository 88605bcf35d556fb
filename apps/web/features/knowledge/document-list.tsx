"use client";

import type { KnowledgeDocument, KnowledgeStatus } from "@voxanne/contracts";
import { useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LoadError } from "@/components/ui/load-error";
import { SwitchField } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";
import { describeProblem } from "@/lib/api";
import { useKnowledgeActions, useKnowledgeDocuments } from "./use-knowledge";

const statusLook: Record<KnowledgeStatus, { label: string; tone: BadgeTone; pulse?: boolean }> = {
  processing: { label: "Processing", tone: "warning", pulse: true },
  ready: { label: "Ready", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
};

const typeLabel: Record<KnowledgeDocument["sourceType"], string> = {
  pdf: "PDF",
  docx: "Word",
  txt: "Text",
  markdown: "Markdown",
  quick_answer: "Quick answer",
};

export function StatusBadge({ status }: { status: KnowledgeStatus }) {
  const look = statusLook[status];
  return (
    <span role="status" data-testid="doc-status" data-status={status}>
      <Badge tone={look.tone} dot pulse={look.pulse}>
        {look.label}
      </Badge>
    </span>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function DocumentRow({ doc, canEdit }: { doc: KnowledgeDocument; canEdit: boolean }) {
  const { setEnabled, remove } = useKnowledgeActions();
  const { toast } = useToast();
  const [confirming, setConfirming] = useState(false);
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
      setConfirming(false);
    }
  };
  return (
    <li data-testid="knowledge-document" data-title={doc.title} className="space-y-3 py-4 first:pt-0 last:pb-0">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-medium">{doc.title}</p>
          <p className="text-xs text-fg-subtle">
            {typeLabel[doc.sourceType]} · {formatSize(doc.sizeBytes)}
            {doc.status === "ready" ? ` · ${doc.chunkCount} ${doc.chunkCount === 1 ? "passage" : "passages"}` : ""}
            {doc.uploadedBy ? ` · added by ${doc.uploadedBy}` : ""}
          </p>
        </div>
        <StatusBadge status={doc.status} />
      </div>
      {doc.error ? <p className="text-sm text-danger">{doc.error}</p> : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <SwitchField
          label="Used on calls"
          description={doc.enabled ? "The receptionist answers from it." : "Disabled: never used on calls."}
          checked={doc.enabled}
          disabled={!canEdit || busy}
          onChange={(on) =>
            void act(() => setEnabled(doc.id, on), on ? `"${doc.title}" is used on calls again.` : `"${doc.title}" is no longer used on calls.`)
          }
          className="min-w-0 flex-1"
        />
        {canEdit ? (
          confirming ? (
            <div className="flex gap-2">
              <Button variant="danger" size="sm" loading={busy} onClick={() => void act(() => remove(doc.id), `"${doc.title}" deleted.`)}>
                Delete for good
              </Button>
              <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
                Keep it
              </Button>
            </div>
          ) : (
            <Button variant="secondary" size="sm" onClick={() => setConfirming(true)} aria-label={`Delete ${doc.title}`}>
              Delete
            </Button>
          )
        ) : null}
      </div>
    </li>
  );
}

/** The uploaded documents with their status; "processing" turns "ready" by itself (use-knowledge.ts polls). */
export function DocumentList({ canEdit }: { canEdit: boolean }) {
  const docs = useKnowledgeDocuments();
  return (
    <section aria-labelledby="documents-title" className="rounded-2xl border border-line bg-surface p-5 shadow-xs">
      <h2 id="documents-title" className="text-base font-semibold">
        Documents
      </h2>
      <div className="mt-3">
        {docs.isPending ? (
          <div role="status" className="space-y-3">
            <span className="sr-only">Loading documents…</span>
            {[0, 1].map((i) => (
              <div key={i} className="h-14 animate-pulse rounded-lg bg-surface-muted" />
            ))}
          </div>
        ) : docs.isError ? (
          <LoadError title="We couldn't load the documents" message={describeProblem(docs.error).message} onRetry={() => void docs.refetch()} />
        ) : docs.data.documents.length === 0 ? (
          <p data-testid="documents-empty" className="text-sm text-fg-muted">
            No documents yet. {canEdit ? "Add your price list, aftercare sheets or FAQ above" : "An owner or admin can add the clinic's documents"} and the
            receptionist will answer callers from them.
          </p>
        ) : (
          <ul className="divide-y divide-line">
            {docs.data.documents.map((doc) => (
              <DocumentRow key={doc.id} doc={doc} canEdit={canEdit} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
