"use client";

import { KNOWLEDGE_MAX_UPLOAD_BYTES, KNOWLEDGE_UPLOAD_EXTENSIONS } from "@voxanne/contracts";
import { useRef, useState } from "react";
import { UploadIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { useToast } from "@/components/ui/toast";
import { describeProblem } from "@/lib/api";
import { useKnowledgeActions } from "./use-knowledge";

const MAX_MB = KNOWLEDGE_MAX_UPLOAD_BYTES / 1024 / 1024;

/**
 * Drop files here, or choose them with the button (keyboard and touch). Each file is uploaded in
 * turn; a refused file shows the API's reason (damaged, password-protected, too large…) and the
 * others still go through.
 */
export function UploadZone() {
  const { upload } = useKnowledgeActions();
  const { toast } = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [uploading, setUploading] = useState<string | null>(null);
  const [problems, setProblems] = useState<{ file: string; message: string }[]>([]);

  const send = async (files: File[]) => {
    setProblems([]);
    for (const file of files) {
      setUploading(file.name);
      try {
        await upload(file);
        toast(`"${file.name}" uploaded. It is being prepared for calls.`, { tone: "success" });
      } catch (err) {
        setProblems((list) => [...list, { file: file.name, message: describeProblem(err).message }]);
      }
    }
    setUploading(null);
    if (input.current) input.current.value = "";
  };

  return (
    <section aria-labelledby="upload-title" className="rounded-2xl border border-line bg-surface p-5 shadow-xs">
      <h2 id="upload-title" className="text-base font-semibold">
        Add documents
      </h2>
      <fieldset
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (!uploading) void send([...e.dataTransfer.files]);
        }}
        className={cx(
          "mt-3 flex min-w-0 flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed px-4 py-8 text-center transition-colors",
          dragging ? "border-brand bg-brand-soft" : "border-line-strong bg-surface-muted",
        )}
      >
        <legend className="sr-only">Drop files here, or choose them, to upload</legend>
        <UploadIcon className="size-8 text-fg-subtle" />
        <p className="text-sm text-fg-muted">Drag PDF, Word (.docx), text or Markdown files here — up to {MAX_MB} MB each.</p>
        <Button variant="secondary" onClick={() => input.current?.click()} loading={uploading !== null} loadingLabel={`Uploading ${uploading ?? ""}…`}>
          Choose files
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          className="sr-only"
          tabIndex={-1}
          aria-label="Files to upload"
          data-testid="file-input"
          accept={KNOWLEDGE_UPLOAD_EXTENSIONS.join(",")}
          onChange={(e) => void send([...(e.target.files ?? [])])}
        />
      </fieldset>
      {problems.length > 0 ? (
        <div className="mt-3 space-y-2">
          {problems.map((p) => (
            <Alert key={p.file} tone="danger" title={`"${p.file}" was not added`}>
              <p data-testid="upload-error">{p.message}</p>
            </Alert>
          ))}
        </div>
      ) : null}
    </section>
  );
}
