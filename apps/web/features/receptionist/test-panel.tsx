"use client";

import { type Agent, TestCallBody, type VapiAvailability } from "@voxanne/contracts";
import { useState } from "react";
import { MicIcon, PhoneOutgoingIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiRoutes, callAuthed, describeProblem } from "@/lib/api";
import { useContractForm } from "@/lib/forms";
import { useWebTest } from "./use-web-test";

/**
 * Try the receptionist: "Call my phone" (Vapi rings the given number) and "Web test" (a call in
 * the browser with the Vapi web SDK). Owners and admins only; each is disabled with the reason
 * when this server cannot offer it.
 */
export function TestPanel({ agent, vapi }: { agent: Agent; vapi: VapiAvailability }) {
  // After a call is placed the form starts afresh (with the same number) for the next one.
  const [placed, setPlaced] = useState<{ count: number; phone: string }>({ count: 0, phone: "" });
  const notConnectedId = `tests-unavailable-${agent.role}`;
  return (
    <section aria-labelledby={`test-title-${agent.role}`} className="rounded-2xl border border-line bg-surface p-5 shadow-xs">
      <h2 id={`test-title-${agent.role}`} className="text-base font-semibold">
        Try it
      </h2>
      <p className="mt-1 text-sm text-fg-muted">Tests use the settings last synced to Vapi: save first.</p>
      {vapi.configured ? null : (
        <p
          id={notConnectedId}
          className="mt-3 rounded-lg border border-line bg-surface-muted px-3 py-2 text-xs leading-relaxed text-fg-muted"
          data-testid="tests-unavailable"
        >
          <span className="font-medium text-fg">Test calls are off.</span> {vapi.reason ?? "Vapi is not connected on this server."}
        </p>
      )}
      <div className="mt-4 space-y-5">
        <CallMyPhone
          key={placed.count}
          agent={agent}
          vapi={vapi}
          notConnectedId={notConnectedId}
          phone={placed.phone}
          onPlaced={(phone) => setPlaced((p) => ({ count: p.count + 1, phone }))}
        />
        <div className="border-t border-line pt-5">
          <WebTest agent={agent} vapi={vapi} notConnectedId={notConnectedId} />
        </div>
      </div>
    </section>
  );
}

function CallMyPhone({
  agent,
  vapi,
  notConnectedId,
  phone,
  onPlaced,
}: {
  agent: Agent;
  vapi: VapiAvailability;
  notConnectedId: string;
  phone: string;
  onPlaced: (phone: string) => void;
}) {
  const { toast } = useToast();
  // Vapi not connected at all is said once for both tests (notConnectedId); otherwise this test's own reason.
  const off = !vapi.configured || !vapi.callMyPhone.enabled;
  const reason = vapi.configured && !vapi.callMyPhone.enabled ? (vapi.callMyPhone.reason ?? "Call my phone is not available on this server.") : null;
  const { field, formProps, pending, problem } = useContractForm(TestCallBody, {
    defaultValues: { phone },
    submit: async (body) => {
      await callAuthed(apiRoutes.agents.testCall, { params: { role: agent.role }, body });
      toast(`Calling ${body.phone} now. Answer to talk to your receptionist.`, { tone: "success" });
      onPlaced(body.phone);
    },
  });
  return (
    <form {...formProps} className="space-y-3" aria-label="Call my phone">
      <TextField
        label="Your phone number"
        type="tel"
        autoComplete="tel"
        inputMode="tel"
        placeholder="+12125550123"
        disabled={off}
        hint={reason ?? "Your mobile in international format. The receptionist calls it from the clinic's number."}
        {...field("phone")}
      />
      {problem ? (
        <Alert tone="danger" className="text-left">
          {describeProblem(problem.error).message}
        </Alert>
      ) : null}
      <Button
        type="submit"
        variant="secondary"
        className="w-full"
        disabled={off}
        aria-describedby={vapi.configured ? undefined : notConnectedId}
        loading={pending}
        loadingLabel="Placing the call…"
      >
        <PhoneOutgoingIcon className="size-4" />
        Call my phone
      </Button>
    </form>
  );
}

function WebTest({ agent, vapi, notConnectedId }: { agent: Agent; vapi: VapiAvailability; notConnectedId: string }) {
  const { state, start, stop } = useWebTest();
  // Vapi not connected at all is said once for both tests (notConnectedId).
  const reason = !vapi.configured
    ? null
    : !vapi.webTest.enabled || !vapi.webTest.publicKey
      ? (vapi.webTest.reason ?? "The web test is not available on this server.")
      : !agent.vapiAssistantId
        ? "Save the receptionist and wait until it shows Synced, then start a web test."
        : null;
  const off = !vapi.configured || reason !== null;
  const hintId = `web-test-hint-${agent.role}`;
  const live = state.status === "live" || state.status === "ending";
  return (
    <div className="space-y-3">
      <div>
        <p className="text-sm font-medium text-fg">Web test</p>
        <p className="mt-0.5 text-xs text-fg-subtle" id={hintId}>
          {reason ?? "Talk to the receptionist from this browser, with your microphone."}
        </p>
      </div>
      {state.status === "error" ? <Alert tone="danger">{state.message}</Alert> : null}
      {live ? (
        <div
          className="flex items-center justify-between gap-3 rounded-lg border border-success-line bg-success-soft px-3 py-2 text-sm text-success"
          role="status"
        >
          <span className="inline-flex items-center gap-2">
            <span className="size-2 animate-pulse rounded-full bg-current" aria-hidden="true" />
            {state.status === "live" && state.speaking ? "The receptionist is speaking…" : "On a web test call"}
          </span>
        </div>
      ) : null}
      {live ? (
        <Button variant="danger" className="w-full" onClick={stop} loading={state.status === "ending"} loadingLabel="Ending…">
          End web test
        </Button>
      ) : (
        <Button
          variant="secondary"
          className="w-full"
          disabled={off}
          aria-describedby={vapi.configured ? hintId : `${notConnectedId} ${hintId}`}
          loading={state.status === "starting"}
          loadingLabel="Starting…"
          onClick={() => {
            if (vapi.webTest.publicKey && agent.vapiAssistantId) void start(vapi.webTest.publicKey, agent.vapiAssistantId);
          }}
        >
          <MicIcon className="size-4" />
          Web test
        </Button>
      )}
    </div>
  );
}
