"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ImportReport } from "@voxanne/contracts";
import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiRoutes, callAuthed, describeProblem } from "@/lib/api";
import { routeKey } from "@/lib/query";

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Import a CSV or XLSX: checked first, with every problem by row and column; the clinic then chooses what to import. */
export function ImportPanel() {
  const inputId = useId();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const run = useMutation({
    mutationFn: (mode: "check" | "import_all" | "import_valid") =>
      callAuthed(apiRoutes.contactFiles.importContacts, { body: { filename: file!.name, contentBase64: file!.base64, mode } }),
    onSuccess: (r) => {
      setReport(r);
      if (r.imported) {
        void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.contacts.list) });
        void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.contacts.stats) });
      }
    },
  });

  return (
    <section aria-labelledby={`${inputId}-title`} className="space-y-3 rounded-2xl border border-line bg-surface p-4 shadow-xs" data-testid="import-panel">
      <h2 id={`${inputId}-title`} className="text-sm font-semibold">
        Import contacts
      </h2>
      <div className="space-y-1.5">
        <label htmlFor={inputId} className="block text-sm">
          CSV or Excel (.xlsx) file with a Phone column — up to 1,000 rows. Name, Email and Notes are read when present.
        </label>
        <input
          id={inputId}
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          className="block w-full text-sm file:mr-3 file:rounded-lg file:border file:border-line-strong file:bg-surface file:px-3 file:py-1.5 file:text-sm"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            setReport(null);
            run.reset();
            if (!f) return setFile(null);
            const next = { name: f.name, base64: await toBase64(f) };
            setFile(next);
          }}
        />
      </div>
      {file && !report ? (
        <Button size="sm" loading={run.isPending} loadingLabel="Checking…" onClick={() => run.mutate("check")}>
          Check {file.name}
        </Button>
      ) : null}
      {run.error ? <Alert tone="danger">{describeProblem(run.error).message}</Alert> : null}
      {report ? (
        <div className="space-y-3 text-sm" data-testid="import-report">
          {report.imported ? (
            <Alert tone="success">
              Imported: {report.imported.created} new, {report.imported.updated} updated
              {report.errors.length ? `; ${new Set(report.errors.map((e) => e.row)).size} rows skipped` : ""}.
            </Alert>
          ) : (
            <p>
              {report.rows} rows read: {report.valid} ready to import
              {report.duplicatesInFile ? ` (${report.duplicatesInFile} merged with an earlier row for the same phone)` : ""}
              {report.errors.length ? `, ${new Set(report.errors.map((e) => e.row)).size} with problems.` : "."}
            </p>
          )}
          {report.errors.length ? (
            <table className="w-full text-left text-xs">
              <caption className="sr-only">Rows with problems</caption>
              <thead>
                <tr className="text-fg-subtle">
                  <th scope="col" className="py-1 pr-3">
                    Row
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    Column
                  </th>
                  <th scope="col" className="py-1">
                    Problem
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e) => (
                  <tr key={`${e.row}-${e.column}`} className="border-t border-line" data-testid="import-error">
                    <td className="py-1 pr-3 tabular-nums">{e.row}</td>
                    <td className="py-1 pr-3">{e.column}</td>
                    <td className="py-1">{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {!report.imported ? (
            <div className="flex flex-wrap gap-2">
              {report.errors.length === 0 ? (
                <Button size="sm" loading={run.isPending} onClick={() => run.mutate("import_all")}>
                  Import {report.valid} contacts
                </Button>
              ) : report.valid > 0 ? (
                <Button size="sm" variant="secondary" loading={run.isPending} onClick={() => run.mutate("import_valid")}>
                  Import the {report.valid} valid rows, skip the rest
                </Button>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
