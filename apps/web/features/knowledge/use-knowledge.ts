"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { KNOWLEDGE_UPLOAD_FIELD, type KnowledgeDocument, type QuickAnswer, type QuickAnswerInput } from "@voxanne/contracts";
import { useCallback } from "react";
import { ApiError, apiRoutes, callAuthed, refreshSession } from "@/lib/api";
import { routeKey, routeQuery } from "@/lib/query";

/** While a document is being indexed its status is re-read this often (the knowledge-index job takes seconds). */
const PROCESSING_POLL_MS = 1500;

export function useKnowledgeDocuments() {
  return useQuery({
    ...routeQuery(apiRoutes.knowledge.list),
    refetchInterval: (query) => (query.state.data?.documents.some((d) => d.status === "processing") ? PROCESSING_POLL_MS : false),
  });
}

export function useQuickAnswers() {
  return useQuery({
    ...routeQuery(apiRoutes.knowledge.listQuickAnswers),
    refetchInterval: (query) => (query.state.data?.quickAnswers.some((q) => q.status === "processing") ? PROCESSING_POLL_MS : false),
  });
}

export function useKnowledgeSearch(q: string) {
  return useQuery({ ...routeQuery(apiRoutes.knowledge.search, { query: { q } }), enabled: q.trim().length >= 2 });
}

/** POSTs one file as multipart/form-data (the typed client speaks JSON); renews an expired session once. */
async function postFile(file: File): Promise<KnowledgeDocument> {
  const send = () => {
    const form = new FormData();
    form.append(KNOWLEDGE_UPLOAD_FIELD, file, file.name);
    return fetch(apiRoutes.knowledge.upload.path, { method: "POST", body: form, credentials: "same-origin" });
  };
  let res = await send();
  if (res.status === 401 && (await refreshSession())) res = await send();
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body?.error ? body : null);
  return body as KnowledgeDocument;
}

/** Knowledge-page changes; each refreshes the lists it touched. */
export function useKnowledgeActions() {
  const queryClient = useQueryClient();
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.knowledge.list) });
    void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.knowledge.listQuickAnswers) });
    void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.knowledge.search) });
  }, [queryClient]);
  return {
    upload: useCallback(
      async (file: File) => {
        const doc = await postFile(file);
        refresh();
        return doc;
      },
      [refresh],
    ),
    setEnabled: useCallback(
      async (id: string, enabled: boolean) => {
        const doc = await callAuthed(apiRoutes.knowledge.update, { params: { documentId: id }, body: { enabled } });
        refresh();
        return doc;
      },
      [refresh],
    ),
    remove: useCallback(
      async (id: string) => {
        await callAuthed(apiRoutes.knowledge.remove, { params: { documentId: id } });
        refresh();
      },
      [refresh],
    ),
    saveQuickAnswer: useCallback(
      async (id: string | null, body: QuickAnswerInput): Promise<QuickAnswer> => {
        const saved = id
          ? await callAuthed(apiRoutes.knowledge.updateQuickAnswer, { params: { quickAnswerId: id }, body })
          : await callAuthed(apiRoutes.knowledge.createQuickAnswer, { body });
        refresh();
        return saved;
      },
      [refresh],
    ),
  };
}
