"use client";

import {
  CARRIERS,
  type Carrier,
  DEFAULT_RING_TIME_SECONDS,
  type ForwardingConfig,
  type ForwardingType,
  RING_TIME_CHOICES,
  type TelephonyAvailability,
  type VerifiedNumber,
} from "@voxanne/contracts";
import { type ReactNode, useEffect, useId, useState } from "react";
import { CheckIcon, PhoneIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { TextField } from "@/components/ui/field";
import { LoadError } from "@/components/ui/load-error";
import { describeProblem } from "@/lib/api";
import { useSession } from "@/lib/session";
import { useForwardingConfig, useTabState, useTelephonyActions, useVerifiedNumbers } from "./use-telephony";

type Step = 1 | 2 | 3 | 4 | 5;
type Draft = {
  step: Step;
  verificationId: string | null;
  /** Twilio's code for the pending call: on screen while Twilio calls (this tab only). */
  validationCode: string | null;
  carrier: Carrier | null;
  forwardingType: ForwardingType;
  ringTimeSeconds: number;
  voicemailNumber: string;
};
const START: Draft = {
  step: 1,
  verificationId: null,
  validationCode: null,
  carrier: null,
  forwardingType: "safety_net",
  ringTimeSeconds: DEFAULT_RING_TIME_SECONDS,
  voicemailNumber: "",
};

const STEPS: { step: Step; label: string }[] = [
  { step: 1, label: "Verify your number" },
  { step: 2, label: "Choose your carrier" },
  { step: 3, label: "Forwarding and ring time" },
  { step: 4, label: "Dial the code" },
  { step: 5, label: "Test and confirm" },
];

const carrierLabel = (c: Carrier) => CARRIERS.find((x) => x.id === c)?.label ?? c;
const isGsm = (c: Carrier | null) => c !== null && c !== "verizon";
/** A dial string as a tel: link: `#` must be escaped or the dialler drops everything after it. */
const telHref = (code: string) => `tel:${code.replace(/#/g, "%23")}`;

/**
 * Phone forwarding: five steps from "verify the clinic's own number" to "the receptionist answers
 * it". Each step is checked by the API (the verification with Twilio, the codes from the API's
 * carrier table); the step and the choices are kept per tab (sessionStorage) so a reload resumes
 * where the owner was, and what the server knows (verified, configured) always wins.
 */
export function ForwardingWizard() {
  const me = useSession();
  const canEdit = me.role === "owner" || me.role === "admin";
  const [draft, setDraft, loaded] = useTabState<Draft>(`voxanne:phone-forwarding:${me.organization.id}`, START);
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const [poll, setPoll] = useState(false);
  const numbers = useVerifiedNumbers(poll);
  const list = numbers.data?.numbers ?? [];
  const selected = list.find((n) => n.id === draft.verificationId) ?? null;
  const config = useForwardingConfig(selected?.status === "verified" ? selected.id : null);
  const saved = config.data?.config ?? null;

  const pendingNow = selected?.status === "pending";
  useEffect(() => setPoll(pendingNow), [pendingNow]);
  // Twilio's callback verified the number while the owner was on step 1: move on.
  useEffect(() => {
    if (draft.step === 1 && selected?.status === "verified") setDraft((d) => ({ ...d, step: 2, validationCode: null }));
  }, [draft.step, selected?.status, setDraft]);

  // What the server knows wins over the tab's memory.
  const step: Step = selected?.status !== "verified" ? 1 : draft.step >= 4 && !saved ? 3 : draft.step === 1 ? 2 : draft.step;

  if (!loaded || numbers.isPending) return <WizardSkeleton />;
  if (numbers.isError) {
    return <LoadError title="We couldn't load your phone numbers" message={describeProblem(numbers.error).message} onRetry={() => void numbers.refetch()} />;
  }

  return (
    <div className="space-y-5">
      <Progress step={step} />
      {canEdit ? null : (
        <Alert tone="info">
          <span data-testid="read-only-note">Only the clinic&apos;s owner or an admin can verify numbers and set up forwarding.</span> You can see how it is set
          up.
        </Alert>
      )}
      <section aria-labelledby="wizard-step-title" className="rounded-2xl border border-line bg-surface p-5 shadow-xs sm:p-6">
        <h2 id="wizard-step-title" className="text-lg font-semibold" data-testid="wizard-step-title">
          Step {step} of 5: {STEPS[step - 1]!.label}
        </h2>
        <div className="mt-4">
          {step === 1 ? (
            <VerifyStep
              availability={numbers.data.availability}
              numbers={list}
              selected={selected}
              validationCode={draft.validationCode}
              canEdit={canEdit}
              onStarted={(id, code) => update({ verificationId: id, validationCode: code })}
              onChoose={(id) => update({ verificationId: id, validationCode: null, step: 2 })}
              onRestart={() => update({ verificationId: null, validationCode: null })}
            />
          ) : step === 2 ? (
            <CarrierStep
              carrier={draft.carrier}
              phone={selected!.phoneNumber}
              onChoose={(carrier) => update({ carrier })}
              onBack={() => update({ step: 1, verificationId: null })}
              onNext={() => update({ step: 3 })}
            />
          ) : step === 3 ? (
            <TypeStep
              draft={draft}
              canEdit={canEdit}
              verifiedCallerId={selected!.id}
              receptionistNumber={numbers.data.availability.receptionistNumber}
              onChange={update}
              onBack={() => update({ step: 2 })}
              onSaved={() => update({ step: 4 })}
            />
          ) : step === 4 ? (
            <DialStep config={saved!} onBack={() => update({ step: 3 })} onNext={() => update({ step: 5 })} />
          ) : (
            <TestStep config={saved!} canEdit={canEdit} onBack={() => update({ step: 4 })} onRestart={() => setDraft(START)} />
          )}
        </div>
      </section>
    </div>
  );
}

function Progress({ step }: { step: Step }) {
  return (
    <nav aria-label="Setup steps">
      <ol className="grid grid-cols-5 gap-1.5 sm:gap-3">
        {STEPS.map((s) => {
          const state = s.step < step ? "done" : s.step === step ? "current" : "todo";
          return (
            <li key={s.step} aria-current={state === "current" ? "step" : undefined} className="min-w-0">
              <div className={cx("h-1.5 rounded-full", state === "todo" ? "bg-surface-muted" : "bg-brand")} aria-hidden="true" />
              <p className={cx("mt-1.5 flex items-center gap-1 text-xs", state === "current" ? "font-semibold text-fg" : "text-fg-subtle")}>
                {state === "done" ? <CheckIcon className="size-3 shrink-0" /> : null}
                <span className="truncate">
                  <span className="sm:hidden">{s.step}</span>
                  <span className="hidden sm:inline">{s.label}</span>
                </span>
                <span className="sr-only">{state === "done" ? " (done)" : state === "current" ? " (current step)" : ""}</span>
              </p>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert tone="danger" className="mt-4">
      <span data-testid="wizard-problem">{describeProblem(error).message}</span>
    </Alert>
  );
}

function Actions({ children }: { children: ReactNode }) {
  return <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-between">{children}</div>;
}

const statusTone = { verified: "success", pending: "warning", failed: "danger", expired: "neutral" } as const;

function VerifyStep({
  availability,
  numbers,
  selected,
  validationCode,
  canEdit,
  onStarted,
  onChoose,
  onRestart,
}: {
  availability: TelephonyAvailability;
  numbers: VerifiedNumber[];
  selected: VerifiedNumber | null;
  validationCode: string | null;
  canEdit: boolean;
  onStarted: (id: string, code: string | null) => void;
  onChoose: (id: string) => void;
  onRestart: () => void;
}) {
  const actions = useTelephonyActions();
  const [phone, setPhone] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const verified = numbers.filter((n) => n.status === "verified");

  if (selected && selected.status !== "verified") {
    const pending = selected.status === "pending";
    return (
      <div>
        {pending && validationCode ? (
          <div className="rounded-xl border border-line bg-surface-muted p-4 text-center sm:p-6">
            <p className="text-sm text-fg-muted">
              Twilio is calling <strong className="text-fg">{selected.phoneNumber}</strong>. Answer, then type this code on the phone&apos;s keypad:
            </p>
            <p className="mt-3 font-mono text-4xl font-semibold tracking-[0.3em] text-fg sm:text-5xl" data-testid="validation-code">
              {validationCode}
            </p>
            <p className="mt-3 text-xs text-fg-subtle">
              This page moves on by itself once Twilio confirms it. The code is valid for 10 minutes and is never stored.
            </p>
          </div>
        ) : pending ? (
          <Alert tone="warning">
            Twilio&apos;s call to {selected.phoneNumber} is in progress in another tab or session. Start again here to get a new code.
          </Alert>
        ) : (
          <Alert
            tone={selected.status === "failed" ? "danger" : "warning"}
            title={selected.status === "failed" ? "Verification failed" : "Verification expired"}
          >
            {selected.status === "failed"
              ? "Twilio's call ended without the right code (not answered, busy, or a wrong code). Start again for a new call."
              : "The 10 minutes to type the code have passed. Start again for a new call."}
          </Alert>
        )}
        {selected.lockedUntil ? (
          <Alert tone="danger" className="mt-4">
            This number is locked until {new Date(selected.lockedUntil).toLocaleTimeString()} after 5 checks.
          </Alert>
        ) : null}
        {note ? (
          <Alert tone="info" className="mt-4">
            <span data-testid="confirm-note">{note}</span>
          </Alert>
        ) : null}
        <Problem error={error} />
        <Actions>
          <Button variant="ghost" onClick={onRestart}>
            Use another number
          </Button>
          {pending && canEdit ? (
            <Button
              loading={busy}
              onClick={() =>
                run(async () => {
                  const res = await actions.confirm(selected.id);
                  setNote(res.verified ? null : res.message);
                })
              }
            >
              I&apos;ve typed the code
            </Button>
          ) : null}
        </Actions>
      </div>
    );
  }

  return (
    <div className="space-y-5">
      <p className="text-sm text-fg-muted">
        Prove the clinic owns the number you want to forward. Twilio calls it and shows a 6-digit code here; you type that code on the phone&apos;s keypad.
      </p>
      {availability.twilioConnected ? null : (
        <Alert tone="warning" title="Twilio is not connected">
          <span data-testid="twilio-reason">{availability.reason}</span>
        </Alert>
      )}
      {availability.receptionistNumber ? null : (
        <Alert tone="warning" title="No receptionist number yet">
          Calls are forwarded to your receptionist&apos;s Twilio number. Connect one before step 3.
        </Alert>
      )}
      {verified.length > 0 ? (
        <div>
          <h3 className="text-sm font-semibold">Your verified numbers</h3>
          <ul className="mt-2 divide-y divide-line rounded-xl border border-line">
            {numbers.map((n) => (
              <li key={n.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                <span className="min-w-0">
                  <span className="font-medium">{n.phoneNumber}</span>{" "}
                  <Badge tone={statusTone[n.status]} className="ml-1">
                    {n.status}
                  </Badge>
                </span>
                {n.status === "verified" ? (
                  <Button size="sm" variant="secondary" onClick={() => onChoose(n.id)}>
                    {n.hasForwardingConfig ? "Manage forwarding" : "Forward this number"}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {canEdit ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const res = await actions.initiate(phone.replace(/[\s().-]/g, ""));
              onStarted(res.verification.id, res.validationCode);
            });
          }}
          className="space-y-4"
        >
          <TextField
            label="Your clinic's phone number"
            hint="In international format, like +14155550123"
            inputMode="tel"
            autoComplete="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
          />
          <Problem error={error} />
          <Button type="submit" loading={busy} disabled={!availability.twilioConnected || phone.trim() === ""} className="w-full sm:w-auto">
            <PhoneIcon className="size-4" />
            Call me with a code
          </Button>
        </form>
      ) : numbers.length === 0 ? (
        <p className="rounded-xl border border-dashed border-line-strong p-6 text-center text-sm text-fg-muted" data-testid="numbers-empty">
          No numbers verified yet.
        </p>
      ) : null}
    </div>
  );
}

function CarrierStep({
  carrier,
  phone,
  onChoose,
  onBack,
  onNext,
}: {
  carrier: Carrier | null;
  phone: string;
  onChoose: (c: Carrier) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  return (
    <div>
      <p className="text-sm text-fg-muted">
        Which mobile network is <strong className="text-fg">{phone}</strong> on? The dial codes differ.
      </p>
      <fieldset className="mt-4">
        <legend className="sr-only">Carrier</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {CARRIERS.map((c) => (
            <Choice key={c.id} name="carrier" checked={carrier === c.id} onChange={() => onChoose(c.id)} label={c.label} />
          ))}
        </div>
      </fieldset>
      <Actions>
        <Button variant="ghost" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onNext} disabled={carrier === null}>
          Next
        </Button>
      </Actions>
    </div>
  );
}

function Choice({ name, checked, onChange, label, hint }: { name: string; checked: boolean; onChange: () => void; label: string; hint?: string }) {
  const id = useId();
  return (
    <label
      htmlFor={id}
      className={cx(
        "flex cursor-pointer items-start gap-3 rounded-xl border px-4 py-3 text-sm transition-colors",
        checked ? "border-brand bg-brand-soft" : "border-line-strong hover:bg-surface-muted",
      )}
    >
      <input id={id} type="radio" name={name} checked={checked} onChange={onChange} className="mt-0.5 accent-[var(--color-brand)]" />
      <span>
        <span className="block font-medium text-fg">{label}</span>
        {hint ? <span className="mt-0.5 block text-fg-muted">{hint}</span> : null}
      </span>
    </label>
  );
}

function TypeStep({
  draft,
  canEdit,
  verifiedCallerId,
  receptionistNumber,
  onChange,
  onBack,
  onSaved,
}: {
  draft: Draft;
  canEdit: boolean;
  verifiedCallerId: string;
  receptionistNumber: string | null;
  onChange: (patch: Partial<Draft>) => void;
  onBack: () => void;
  onSaved: () => void;
}) {
  const actions = useTelephonyActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const carrier = draft.carrier ?? "other_gsm";
  const ringTimeApplies = isGsm(carrier) && draft.forwardingType === "safety_net";
  const sliderId = useId();
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await actions.save({
        verifiedCallerId,
        carrier,
        forwardingType: draft.forwardingType,
        ringTimeSeconds: ringTimeApplies ? draft.ringTimeSeconds : null,
        voicemailNumber: ringTimeApplies && draft.voicemailNumber.trim() ? draft.voicemailNumber.replace(/[\s().-]/g, "") : null,
      });
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <fieldset>
        <legend className="text-sm text-fg-muted">Which calls should the receptionist answer?</legend>
        <div className="mt-3 grid gap-2 sm:grid-cols-2">
          <Choice
            name="forwarding-type"
            checked={draft.forwardingType === "safety_net"}
            onChange={() => onChange({ forwardingType: "safety_net" })}
            label="Missed calls only (safety net)"
            hint="Your phone rings first; calls you don't answer, or while you're busy, go to the receptionist."
          />
          <Choice
            name="forwarding-type"
            checked={draft.forwardingType === "total_ai"}
            onChange={() => onChange({ forwardingType: "total_ai" })}
            label="All calls"
            hint="The receptionist answers every call; your phone does not ring."
          />
        </div>
      </fieldset>
      {ringTimeApplies ? (
        <div className="mt-5 space-y-4">
          <div>
            <label htmlFor={sliderId} className="flex items-baseline justify-between text-sm font-medium">
              <span>Ring time before forwarding</span>
              <span data-testid="ring-time-value">{draft.ringTimeSeconds} seconds</span>
            </label>
            <input
              id={sliderId}
              type="range"
              min={RING_TIME_CHOICES[0]}
              max={RING_TIME_CHOICES[RING_TIME_CHOICES.length - 1]}
              step={5}
              value={draft.ringTimeSeconds}
              onChange={(e) => onChange({ ringTimeSeconds: Number(e.target.value) })}
              aria-valuetext={`${draft.ringTimeSeconds} seconds`}
              className="mt-2 w-full accent-[var(--color-brand)]"
            />
            <p className="mt-1 text-xs text-fg-subtle">GSM networks allow 5 to 30 seconds, in steps of 5.</p>
          </div>
          <TextField
            label="Your carrier voicemail number"
            optional
            inputMode="tel"
            hint="Dial *#61# now and note the number it shows: we'll give you the code to restore voicemail later."
            value={draft.voicemailNumber}
            onChange={(e) => onChange({ voicemailNumber: e.target.value })}
          />
        </div>
      ) : carrier === "verizon" ? (
        <p className="mt-4 text-sm text-fg-muted" data-testid="verizon-no-ring-time">
          Verizon sets the ring time itself; there is no code to change it.
        </p>
      ) : null}
      {receptionistNumber ? null : (
        <Alert tone="warning" className="mt-4">
          Connect the receptionist&apos;s Twilio number first: calls are forwarded to it.
        </Alert>
      )}
      <Problem error={error} />
      <Actions>
        <Button variant="ghost" onClick={onBack}>
          Back
        </Button>
        {canEdit ? (
          <Button loading={busy} onClick={() => void save()} disabled={!receptionistNumber}>
            Show my code
          </Button>
        ) : null}
      </Actions>
    </div>
  );
}

function DialStep({ config, onBack, onNext }: { config: ForwardingConfig; onBack: () => void; onNext: () => void }) {
  const { codes } = config;
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <p className="text-sm text-fg-muted">
        On <strong className="text-fg">{config.simPhoneNumber}</strong> ({carrierLabel(config.carrier)}), dial this code and press call. Wait for the network to
        confirm (&ldquo;Setting activated&rdquo;).
      </p>
      <div className="mt-4 rounded-xl border border-line bg-surface-muted p-4 text-center sm:p-6">
        <p className="font-mono text-2xl font-semibold break-all text-fg sm:text-4xl" data-testid="activation-code">
          {codes.activationCode}
        </p>
        <div className="mt-4 flex flex-col gap-2 sm:flex-row sm:justify-center">
          <a
            href={telHref(codes.activationCode)}
            className="inline-flex h-11 items-center justify-center gap-2 rounded-lg bg-brand px-5 font-medium text-brand-fg sm:hidden"
            data-testid="dial-link"
          >
            <PhoneIcon className="size-4" />
            Dial now
          </a>
          <Button
            variant="secondary"
            onClick={() => {
              void navigator.clipboard?.writeText(codes.activationCode).then(() => setCopied(true));
            }}
          >
            {copied ? "Copied" : "Copy code"}
          </Button>
        </div>
      </div>
      <dl className="mt-4 grid gap-3 text-sm sm:grid-cols-2">
        <div className="rounded-lg border border-line p-3">
          <dt className="text-fg-muted">To turn forwarding off, dial</dt>
          <dd className="mt-1 font-mono text-lg font-semibold" data-testid="deactivation-code">
            {codes.deactivationCode}
          </dd>
        </div>
        {codes.statusCode ? (
          <div className="rounded-lg border border-line p-3">
            <dt className="text-fg-muted">To check the setting, dial</dt>
            <dd className="mt-1 font-mono text-lg font-semibold">{codes.statusCode}</dd>
          </div>
        ) : null}
      </dl>
      {codes.voicemailWarning ? (
        <Alert tone="warning" title="Voicemail" className="mt-4">
          <p data-testid="voicemail-warning">{codes.voicemailWarning.message}</p>
          <p className="mt-1">
            Restore code: <span className="font-mono font-semibold">{codes.voicemailWarning.restoreCode ?? codes.voicemailWarning.restoreCodePattern}</span>
          </p>
        </Alert>
      ) : null}
      <p className="mt-4 text-xs text-fg-subtle">
        If the phone says &ldquo;Invalid MMI&rdquo; or &ldquo;Setting failed&rdquo;, use its call-forwarding menu or your carrier&apos;s app.
      </p>
      <Actions>
        <Button variant="ghost" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onNext}>I&apos;ve dialled it</Button>
      </Actions>
    </div>
  );
}

function TestStep({ config, canEdit, onBack, onRestart }: { config: ForwardingConfig; canEdit: boolean; onBack: () => void; onRestart: () => void }) {
  const actions = useTelephonyActions();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [offCode, setOffCode] = useState<string | null>(null);
  const act = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const test = (outcome: "forwarded" | "not_forwarded") =>
    act(outcome, async () => {
      const res = await actions.confirmForwarding({ forwardingConfigId: config.id, outcome });
      setMessage(res.message);
    });
  return (
    <div>
      {config.status === "active" ? (
        <Alert tone="success" title="Forwarding is on">
          <span data-testid="forwarding-active">
            {config.forwardingType === "total_ai" ? "Every call" : "Every missed call"} to {config.simPhoneNumber} reaches the receptionist at{" "}
            {config.destinationNumber}.
          </span>
        </Alert>
      ) : config.status === "disabled" ? (
        <Alert tone="info" title="Forwarding is off">
          Dial <span className="font-mono font-semibold">{offCode ?? config.codes.deactivationCode}</span> on {config.simPhoneNumber} if you haven&apos;t yet.
        </Alert>
      ) : (
        <p className="text-sm text-fg-muted">
          From another phone, call <strong className="text-fg">{config.simPhoneNumber}</strong>
          {config.forwardingType === "safety_net" ? " and don't answer it" : ""}. Did the receptionist pick up?
        </p>
      )}
      {message && config.status !== "active" ? (
        <Alert tone={config.status === "test_failed" ? "warning" : "info"} className="mt-4">
          <span data-testid="test-message">{message}</span>
        </Alert>
      ) : null}
      <Problem error={error} />
      {canEdit ? (
        <Actions>
          <div className="flex flex-col-reverse gap-2 sm:flex-row">
            <Button variant="ghost" onClick={onBack}>
              Back
            </Button>
            {config.status === "active" ? (
              <Button
                variant="secondary"
                loading={busy === "off"}
                onClick={() =>
                  act("off", async () => {
                    const res = await actions.disable(config.id);
                    setOffCode(res.deactivationCode);
                  })
                }
              >
                Turn forwarding off
              </Button>
            ) : null}
          </div>
          {config.status === "active" || config.status === "disabled" ? (
            <Button variant="secondary" onClick={onRestart}>
              Forward another number
            </Button>
          ) : (
            <div className="flex flex-col gap-2 sm:flex-row">
              <Button variant="secondary" loading={busy === "not_forwarded"} onClick={() => void test("not_forwarded")}>
                No, it didn&apos;t
              </Button>
              <Button loading={busy === "forwarded"} onClick={() => void test("forwarded")}>
                Yes, the receptionist answered
              </Button>
            </div>
          )}
        </Actions>
      ) : null}
    </div>
  );
}

function WizardSkeleton() {
  return (
    <div className="space-y-5" role="status" aria-busy="true" aria-label="Loading phone forwarding">
      <div className="h-8 animate-pulse rounded-lg bg-surface-muted" />
      <div className="h-64 animate-pulse rounded-2xl bg-surface-muted" />
    </div>
  );
}
