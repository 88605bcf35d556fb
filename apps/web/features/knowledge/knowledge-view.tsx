"use client";

import { Alert } from "@/components/ui/alert";
import { useSession } from "@/lib/session";
import { DocumentList } from "./document-list";
import { QuickAnswers } from "./quick-answers";
import { TryQuestion } from "./try-question";
import { UploadZone } from "./upload-zone";

/**
 * The Knowledge page: the clinic's own answers for the receptionist. Owners and admins upload
 * documents, write quick answers and switch them on or off; everyone sees them and tries questions.
 */
export function KnowledgeView() {
  const me = useSession();
  const canEdit = me.role === "owner" || me.role === "admin";
  return (
    <div className="space-y-5">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Knowledge</h1>
        <p className="mt-1 text-sm text-fg-muted">
          What the receptionist knows about your clinic. It answers callers only from these documents and answers — never from guesses.
        </p>
      </header>
      {canEdit ? null : (
        <Alert tone="info">
          <span data-testid="read-only-note">Only the clinic&apos;s owner or an admin can change the knowledge base.</span> You can see it and try questions.
        </Alert>
      )}
      <div className="grid gap-5 lg:grid-cols-2">
        <div className="min-w-0 space-y-5">
          {canEdit ? <UploadZone /> : null}
          <DocumentList canEdit={canEdit} />
        </div>
        <div className="min-w-0 space-y-5">
          <TryQuestion />
          <QuickAnswers canEdit={canEdit} />
        </div>
      </div>
    </div>
  );
}
