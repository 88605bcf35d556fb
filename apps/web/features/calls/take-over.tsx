"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { CallDetail } from "@voxanne/contracts";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { useToast } from "@/components/ui/toast";
import { apiRoutes, callAuthed, describeProblem } from "@/lib/api";
import { formatPhone } from "@/lib/format";
import { routeKey } from "@/lib/query";

type Action = "transfer" | "end";

/**
 * "Transfer to me" and "End call" for a call in progress. The API posts to Vapi's control link for
 * the call (the browser never sees it); without one the buttons stay disabled and say why.
 */
export function TakeOver({ call }: { call: CallDetail }) {
  const { toast } = useToast();
  const queryClient = useQueryClient();
  const [confirmingEnd, setConfirmingEnd] = useState(false);
  const takeOver = useMutation({
    mutationFn: (action: Action) => callAuthed(apiRoutes.callActions.takeOver, { params: { callId: call.id }, body: { action } }),
    onSuccess: (result) => {
      setConfirmingEnd(false);
      toast(result.transferredTo ? `Transferring the call to ${formatPhone(result.transferredTo)}.` : result.message, { tone: "success" });
      void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.calls.detail, { params: { callId: call.id } }) });
    },
  });
  const pending = takeOver.isPending ? takeOver.variables : null;

  return (
    <section aria-labelledby="take-over-title" className="space-y-3 rounded-xl border border-line bg-surface p-4" data-testid="take-over">
      <h3 id="take-over-title" className="text-sm font-semibold">
        Take over this call
      </h3>
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          disabled={!call.canTakeOver || takeOver.isPending}
          loading={pending === "transfer"}
          loadingLabel="Transferring…"
          onClick={() => takeOver.mutate("transfer")}
        >
          Transfer to me
        </Button>
        <Button
          variant="secondary"
          size="sm"
          disabled={!call.canTakeOver || takeOver.isPending}
          loading={pending === "end" && !confirmingEnd}
          onClick={() => {
            takeOver.reset();
            setConfirmingEnd(true);
          }}
        >
          End call
        </Button>
      </div>
      {call.canTakeOver ? (
        <p className="text-xs text-fg-subtle">"Transfer to me" rings the clinic's transfer number (Settings or the Agent page).</p>
      ) : (
        <p className="text-xs text-fg-subtle" data-testid="take-over-unavailable">
          This call can't be controlled from here: Vapi sent no control link for it. Calls get one once the assistant has been saved on the Agent page.
        </p>
      )}
      {takeOver.error && !confirmingEnd ? <Alert tone="danger">{describeProblem(takeOver.error).message}</Alert> : null}

      <Modal
        open={confirmingEnd}
        title="End this call?"
        description="The caller is disconnected at once. This can't be undone."
        onClose={() => setConfirmingEnd(false)}
        testId="end-call-confirm"
      >
        {takeOver.error ? <Alert tone="danger">{describeProblem(takeOver.error).message}</Alert> : null}
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="secondary" size="sm" onClick={() => setConfirmingEnd(false)}>
            Keep the call
          </Button>
          <Button variant="danger" size="sm" loading={pending === "end"} loadingLabel="Ending…" onClick={() => takeOver.mutate("end")}>
            End call
          </Button>
        </div>
      </Modal>
    </section>
  );
}
