"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { CallDetail } from "@voxanne/contracts";
import Link from "next/link";
import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { apiRoutes, callAuthed, describeProblem } from "@/lib/api";
import { formatPhone } from "@/lib/format";
import { routeKey } from "@/lib/query";
import { useSession } from "@/lib/session";

const SMS_LIMIT = 160;

/** The drawer's actions: transcript download, a 24-hour recording link (owners and admins), and a follow-up text. Each is audited by the API. */
export function CallActions({ call }: { call: CallDetail }) {
  const me = useSession();
  const { toast } = useToast();
  const queryClient = useQueryClient();
  const messageId = useId();
  const [text, setText] = useState("");
  const [shareEmail, setShareEmail] = useState("");
  const number = call.contact?.phone ?? (call.direction === "outbound" ? call.toNumber : call.fromNumber);
  const canShare = me.role === "owner" || me.role === "admin";

  const exportTranscript = useMutation({
    mutationFn: () => callAuthed(apiRoutes.callActions.exportTranscript, { params: { callId: call.id } }),
    onSuccess: ({ filename, content }) => {
      const url = URL.createObjectURL(new Blob([content], { type: "text/plain;charset=utf-8" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      toast(`Downloaded ${filename}.`, { tone: "success" });
    },
  });
  const share = useMutation({
    mutationFn: (email: string) => callAuthed(apiRoutes.callActions.share, { params: { callId: call.id }, body: email ? { email } : {} }),
  });
  const followUp = useMutation({
    mutationFn: (message: string) => callAuthed(apiRoutes.callActions.followUp, { params: { callId: call.id }, body: { message } }),
    onSuccess: (outcome) => {
      if (outcome.status !== "not_sent" && outcome.status !== "failed") setText("");
      void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.calls.detail, { params: { callId: call.id } }) });
    },
  });

  return (
    <section aria-labelledby="call-actions-title" className="space-y-4 rounded-xl border border-line bg-surface p-4" data-testid="call-actions">
      <h3 id="call-actions-title" className="text-sm font-semibold">
        Follow up
      </h3>
      <div className="flex flex-wrap gap-2">
        {number ? (
          <a
            href={`tel:${number}`}
            className="inline-flex h-8 items-center rounded-lg border border-line-strong px-3 text-sm font-medium hover:bg-surface-muted focus-visible:outline-2 focus-visible:outline-ring"
          >
            Call {formatPhone(number)}
          </a>
        ) : null}
        <Button variant="secondary" size="sm" loading={exportTranscript.isPending} onClick={() => exportTranscript.mutate()} disabled={!call.analyzed}>
          Download transcript
        </Button>
        {canShare && call.hasRecording ? (
          <Button variant="secondary" size="sm" loading={share.isPending} onClick={() => share.mutate(shareEmail.trim())}>
            {shareEmail.trim() ? "Share and email" : "Share recording"}
          </Button>
        ) : null}
      </div>
      {canShare && call.hasRecording ? (
        <div className="space-y-1 text-sm">
          <label htmlFor={`${messageId}-share-email`} className="block font-medium">
            Email the link to (optional)
          </label>
          <input
            id={`${messageId}-share-email`}
            type="email"
            value={shareEmail}
            onChange={(e) => setShareEmail(e.target.value)}
            placeholder="name@example.com"
            className="block h-9 w-full rounded-lg border border-line-strong bg-surface px-2 text-sm focus:border-brand focus:ring-[3px] focus:ring-brand/20 focus:outline-none"
          />
        </div>
      ) : null}
      {exportTranscript.error ? <Alert tone="danger">{describeProblem(exportTranscript.error).message}</Alert> : null}
      {share.error ? <Alert tone="danger">{describeProblem(share.error).message}</Alert> : null}
      {share.data ? (
        <div className="space-y-1.5 text-sm" data-testid="share-link">
          <label htmlFor={`${messageId}-link`} className="block font-medium">
            Recording link (works for 24 hours)
          </label>
          <input
            id={`${messageId}-link`}
            readOnly
            value={share.data.url}
            className="block h-9 w-full rounded-lg border border-line-strong bg-surface-muted px-2 font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
          {share.data.email ? (
            <p className="text-fg-muted" role="status">
              {share.data.email.status === "not_sent" || share.data.email.status === "failed"
                ? `The email was not sent: ${share.data.email.reason ?? "unknown reason"}`
                : "The link is on its way by email (without SMTP_URL it waits in the Outbox)."}
            </p>
          ) : null}
        </div>
      ) : null}

      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) followUp.mutate(text.trim());
        }}
      >
        <label htmlFor={messageId} className="flex items-baseline justify-between text-sm font-medium">
          <span>Text the caller</span>
          <span className={text.length > SMS_LIMIT ? "text-xs text-danger" : "text-xs font-normal text-fg-subtle"} aria-live="polite">
            {text.length}/{SMS_LIMIT}
          </span>
        </label>
        <textarea
          id={messageId}
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Thanks for calling! …"
          className="block w-full rounded-lg border border-line-strong bg-surface px-3 py-2 text-sm focus:border-brand focus:ring-[3px] focus:ring-brand/20 focus:outline-none"
        />
        {followUp.error ? <Alert tone="danger">{describeProblem(followUp.error).message}</Alert> : null}
        {followUp.data ? (
          followUp.data.status === "not_sent" || followUp.data.status === "failed" ? (
            <Alert tone="danger" title="Not sent">
              {followUp.data.reason} {followUp.data.reason?.includes("Twilio") ? <Link href="/integrations">Connect Twilio</Link> : null}
            </Alert>
          ) : (
            <Alert tone="success">On its way to {followUp.data.recipient ? formatPhone(followUp.data.recipient) : "the caller"}.</Alert>
          )
        ) : null}
        <div className="flex justify-end">
          <Button type="submit" size="sm" disabled={!text.trim() || text.length > SMS_LIMIT || !number} loading={followUp.isPending} loadingLabel="Sending…">
            Send text
          </Button>
        </div>
      </form>
    </section>
  );
}
