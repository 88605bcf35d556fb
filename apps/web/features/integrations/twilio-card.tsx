"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRoutes, type TwilioConnectBody, TwilioConnectWithApiKey, TwilioConnectWithToken, type TwilioStatus } from "@voxanne/contracts";
import { useState } from "react";
import { PhoneIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { LoadError } from "@/components/ui/load-error";
import { Spinner } from "@/components/ui/spinner";
import { useToast } from "@/components/ui/toast";
import { callAuthed, describeProblem } from "@/lib/api";
import { useContractForm } from "@/lib/forms";
import { routeKey, routeQuery } from "@/lib/query";
import { useSession } from "@/lib/session";

/**
 * The clinic's own Twilio account and number: status, connect (account SID + auth token, or an
 * API key), disconnect. Owners and admins change it; staff see the status. Secrets are sent once
 * and never shown again: the API returns none.
 */
export function TwilioCard() {
  const me = useSession();
  const status = useQuery(routeQuery(apiRoutes.integrations.twilioStatus));
  const canChange = me.role === "owner" || me.role === "admin";
  return (
    <section aria-labelledby="twilio-title" className="rounded-2xl border border-line bg-surface p-5 shadow-xs sm:p-6" data-testid="twilio-card">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex items-center gap-3">
          <span className="flex size-9 items-center justify-center rounded-lg bg-brand-soft text-brand-text" aria-hidden="true">
            <PhoneIcon className="size-5" />
          </span>
          <div>
            <h2 id="twilio-title" className="text-base font-semibold">
              Twilio phone number
            </h2>
            <p className="text-sm text-fg-muted">Your own number answers with the receptionist and sends texts to patients.</p>
          </div>
        </div>
        {status.data ? <StatusBadge status={status.data} /> : null}
      </div>
      <div className="mt-5">
        {status.isPending ? (
          <Spinner label="Loading the Twilio connection…" />
        ) : status.isError ? (
          <LoadError title="We couldn't load the Twilio connection" message={describeProblem(status.error).message} onRetry={() => void status.refetch()} />
        ) : status.data.status === "active" ? (
          <Connected status={status.data} canChange={canChange} />
        ) : canChange ? (
          <ConnectForm status={status.data} />
        ) : (
          <p className="text-sm text-fg-muted">Not connected. Ask your clinic's owner or an admin to connect Twilio.</p>
        )}
      </div>
    </section>
  );
}

function StatusBadge({ status }: { status: TwilioStatus }) {
  if (status.status === "active")
    return (
      <Badge tone="success" dot>
        Connected
      </Badge>
    );
  if (status.status === "needs_reconnect" || status.status === "failed") return <Badge tone="warning">Needs attention</Badge>;
  return <Badge>Not connected</Badge>;
}

function useSetStatus() {
  const queryClient = useQueryClient();
  return (next: TwilioStatus) => queryClient.setQueryData(routeKey(apiRoutes.integrations.twilioStatus), next);
}

function Connected({ status, canChange }: { status: TwilioStatus; canChange: boolean }) {
  const setStatus = useSetStatus();
  const { toast } = useToast();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const disconnect = async () => {
    if (!window.confirm("Disconnect Twilio? The number stops answering with the receptionist and no more texts are sent.")) return;
    setPending(true);
    setError(null);
    try {
      setStatus(await callAuthed(apiRoutes.integrations.twilioDisconnect));
      toast("Twilio disconnected.", { tone: "success" });
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="space-y-4">
      <dl className="grid gap-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-fg-subtle">Number</dt>
          <dd className="font-medium tabular-nums" data-testid="twilio-number">
            {status.phoneNumber}
          </dd>
        </div>
        <div>
          <dt className="text-fg-subtle">Account</dt>
          <dd className="font-mono text-xs break-all">{status.accountSid}</dd>
        </div>
        <div>
          <dt className="text-fg-subtle">Receptionist</dt>
          <dd>{status.linkedToAssistant ? "Answers calls to this number" : "Answers once the receptionist is synced"}</dd>
        </div>
        <div>
          <dt className="text-fg-subtle">Delivery reports and STOP replies</dt>
          <dd>{status.webhooksVerified ? "Verified with your auth token" : "Not available with an API key"}</dd>
        </div>
      </dl>
      {status.notes.map((note) => (
        <Alert key={note} tone="warning">
          {note}
        </Alert>
      ))}
      {error ? <Alert tone="danger">{describeProblem(error).message}</Alert> : null}
      {canChange ? (
        <Button variant="secondary" onClick={() => void disconnect()} loading={pending} loadingLabel="Disconnecting…">
          Disconnect
        </Button>
      ) : null}
    </div>
  );
}

function ConnectForm({ status }: { status: TwilioStatus }) {
  const [mode, setMode] = useState<"auth_token" | "api_key">("auth_token");
  return (
    <div className="space-y-4">
      {status.unavailableReason ? (
        <Alert tone="warning" title="Connecting is off on this server">
          {status.unavailableReason}
        </Alert>
      ) : null}
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="sr-only">How to sign in to Twilio</legend>
        <label className="inline-flex items-center gap-2">
          <input type="radio" name="twilio-mode" checked={mode === "auth_token"} onChange={() => setMode("auth_token")} />
          Auth token (recommended)
        </label>
        <label className="inline-flex items-center gap-2">
          <input type="radio" name="twilio-mode" checked={mode === "api_key"} onChange={() => setMode("api_key")} />
          API key
        </label>
      </fieldset>
      {mode === "auth_token" ? <TokenForm disabled={Boolean(status.unavailableReason)} /> : <ApiKeyForm disabled={Boolean(status.unavailableReason)} />}
    </div>
  );
}

function useConnect() {
  const setStatus = useSetStatus();
  const { toast } = useToast();
  return async (body: TwilioConnectBody) => {
    const next = await callAuthed(apiRoutes.integrations.twilioConnect, { body });
    setStatus(next);
    toast(`Connected ${next.phoneNumber}.`, { tone: "success" });
  };
}

const SID_HINT = "Twilio Console → Account info. Starts with AC.";
const NUMBER_HINT = "A number in this Twilio account, in international format (+12125550123).";

function TokenForm({ disabled }: { disabled: boolean }) {
  const connect = useConnect();
  const { field, formProps, pending, problem } = useContractForm(TwilioConnectWithToken, {
    defaultValues: { accountSid: "", authToken: "", phoneNumber: "" },
    submit: connect,
  });
  return (
    <form {...formProps} className="space-y-3" aria-label="Connect Twilio with the auth token">
      <TextField label="Account SID" autoComplete="off" spellCheck={false} hint={SID_HINT} disabled={disabled} {...field("accountSid")} />
      <TextField
        label="Auth token"
        type="password"
        autoComplete="off"
        hint="Stored encrypted; never shown again."
        disabled={disabled}
        {...field("authToken")}
      />
      <TextField label="Phone number" type="tel" inputMode="tel" hint={NUMBER_HINT} disabled={disabled} {...field("phoneNumber")} />
      {problem ? <Alert tone="danger">{describeProblem(problem.error).message}</Alert> : null}
      <Button type="submit" disabled={disabled} loading={pending} loadingLabel="Connecting…">
        Connect Twilio
      </Button>
    </form>
  );
}

function ApiKeyForm({ disabled }: { disabled: boolean }) {
  const connect = useConnect();
  const { field, formProps, pending, problem } = useContractForm(TwilioConnectWithApiKey, {
    defaultValues: { accountSid: "", apiKeySid: "", apiKeySecret: "", phoneNumber: "" },
    submit: connect,
  });
  return (
    <form {...formProps} className="space-y-3" aria-label="Connect Twilio with an API key">
      <TextField label="Account SID" autoComplete="off" spellCheck={false} hint={SID_HINT} disabled={disabled} {...field("accountSid")} />
      <TextField label="API key SID" autoComplete="off" spellCheck={false} hint="Starts with SK." disabled={disabled} {...field("apiKeySid")} />
      <TextField
        label="API key secret"
        type="password"
        autoComplete="off"
        hint="Stored encrypted; never shown again."
        disabled={disabled}
        {...field("apiKeySecret")}
      />
      <TextField label="Phone number" type="tel" inputMode="tel" hint={NUMBER_HINT} disabled={disabled} {...field("phoneNumber")} />
      {problem ? <Alert tone="danger">{describeProblem(problem.error).message}</Alert> : null}
      <Button type="submit" disabled={disabled} loading={pending} loadingLabel="Connecting…">
        Connect Twilio
      </Button>
    </form>
  );
}
