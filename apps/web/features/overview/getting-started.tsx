"use client";

import {
  type Agent,
  apiRoutes,
  type ClinicSettings,
  type GoogleIntegration,
  type Me,
  type ServicesResponse,
  type TwilioStatus,
  type VerifiedNumber,
} from "@voxanne/contracts";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { CheckIcon } from "@/components/icons";
import { cx } from "@/components/ui/cx";
import { routeQuery } from "@/lib/query";

type StepState = "done" | "todo" | "unavailable";

export type SetupStep = {
  id: string;
  title: string;
  description: string;
  state: StepState;
  /** Where the user does it, once that page exists. */
  href?: string;
};

/**
 * The setup checklist. Each step's state comes from real data; steps whose page and API do not
 * exist yet say so ("Not available yet") instead of pretending. When a feature lands, give its step
 * an `href` and derive `state` from its endpoint.
 */
/** What the checklist reads; each part is absent until its query answers. */
export type SetupData = {
  agents?: Agent[];
  settings?: Pick<ClinicSettings, "savedAt">;
  services?: Pick<ServicesResponse, "changedAt" | "services">;
  ownNumbers?: VerifiedNumber[];
  knowledgeReady?: boolean;
  twilio?: TwilioStatus;
  google?: GoogleIntegration;
};

export function setupSteps(me: Me, { agents, settings, services, ownNumbers, knowledgeReady = false, twilio, google }: SetupData): SetupStep[] {
  const inbound = agents?.find((a) => a.role === "inbound");
  const activeServices = services?.services.filter((s) => s.active).length;
  return [
    {
      id: "account",
      title: "Create your clinic account",
      description: `${me.organization.name} is set up and you are its ${me.role}.`,
      state: "done",
      href: "/settings#profile",
    },
    {
      id: "timezone",
      title: "Choose your clinic's time zone",
      description: `Appointments and business hours use ${me.organization.timezone}.`,
      state: me.organization.timezone ? "done" : "todo",
      href: "/settings#profile",
    },
    {
      id: "hours",
      title: "Set business hours and booking rules",
      description: "Opening hours, holidays, appointment length, buffers and notice periods.",
      state: settings?.savedAt ? "done" : "todo",
      href: "/settings#hours",
    },
    {
      id: "services",
      title: "Check your services and prices",
      description:
        activeServices === undefined
          ? "What you offer, with prices the receptionist quotes."
          : `${activeServices} active service${activeServices === 1 ? "" : "s"} the receptionist quotes and books.`,
      state: services?.changedAt ? "done" : "todo",
      href: "/services",
    },
    {
      id: "agent",
      title: "Configure your AI receptionist",
      description: "Its name, greeting, voice and what it may book.",
      state: inbound?.settingsSavedAt ? "done" : "todo",
      href: "/receptionist",
    },
    {
      id: "knowledge",
      title: "Teach the receptionist your answers",
      description: "Upload your FAQ, price list or aftercare sheets, or write quick answers (parking, payment, hours).",
      state: knowledgeReady ? "done" : "todo",
      href: "/knowledge",
    },
    {
      id: "phone",
      title: "Connect your phone number",
      description:
        twilio?.status === "active" ? `${twilio.phoneNumber} answers with your receptionist.` : "Bring your Twilio number so patients reach the receptionist.",
      state: twilio?.status === "active" ? "done" : "todo",
      href: "/integrations",
    },
    {
      id: "forwarding",
      title: "Forward your own number (optional)",
      description: "Keep the clinic's existing number: verify it and forward its calls to the receptionist.",
      state: ownNumbers?.some((n) => n.status === "verified" && n.hasForwardingConfig) ? "done" : "todo",
      href: "/phone-forwarding",
    },
    {
      id: "calendar",
      title: "Connect Google Calendar",
      description:
        google?.status === "needs_reconnect"
          ? "Google stopped accepting our access: reconnect it on the Integrations page."
          : "Bookings appear in your calendar and busy times are respected.",
      state: google?.status === "active" ? "done" : "todo",
      href: "/integrations",
    },
  ];
}

export function GettingStarted({ me }: { me: Me }) {
  // Until it loads (or if it fails) the step simply shows as to do, with its link.
  const agents = useQuery(routeQuery(apiRoutes.agents.list));
  const ownNumbers = useQuery(routeQuery(apiRoutes.telephony.verifiedNumbers));
  const settings = useQuery(routeQuery(apiRoutes.settings.get));
  const services = useQuery(routeQuery(apiRoutes.services.list));
  const documents = useQuery(routeQuery(apiRoutes.knowledge.list));
  const quickAnswers = useQuery(routeQuery(apiRoutes.knowledge.listQuickAnswers));
  const knowledgeReady =
    (documents.data?.documents.some((d) => d.status === "ready") ?? false) || (quickAnswers.data?.quickAnswers.some((q) => q.status === "ready") ?? false);
  const twilio = useQuery(routeQuery(apiRoutes.integrations.twilioStatus));
  const google = useQuery(routeQuery(apiRoutes.integrations.google));
  const steps = setupSteps(me, {
    agents: agents.data?.agents,
    settings: settings.data,
    services: services.data,
    ownNumbers: ownNumbers.data?.numbers,
    knowledgeReady,
    twilio: twilio.data,
    google: google.data,
  });
  const done = steps.filter((s) => s.state === "done").length;
  const percent = Math.round((done / steps.length) * 100);
  return (
    <section aria-labelledby="getting-started-title" className="rounded-2xl border border-line bg-surface shadow-xs">
      <div className="border-b border-line px-5 py-4 sm:px-6">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="getting-started-title" className="text-base font-semibold">
            Getting started
          </h2>
          <p className="text-sm text-fg-muted" data-testid="setup-progress">
            {done} of {steps.length} done
          </p>
        </div>
        <div
          className="mt-3 h-1.5 overflow-hidden rounded-full bg-surface-muted"
          role="progressbar"
          aria-label="Setup progress"
          aria-valuemin={0}
          aria-valuemax={steps.length}
          aria-valuenow={done}
        >
          <div className="h-full rounded-full bg-brand transition-[width]" style={{ width: `${percent}%` }} />
        </div>
      </div>
      <ol className="divide-y divide-line">
        {steps.map((step, index) => (
          <li key={step.id} className="flex items-start gap-4 px-5 py-4 sm:px-6">
            <StepMarker state={step.state} index={index} />
            <div className="min-w-0 flex-1">
              <p className={cx("text-sm font-medium", step.state === "done" ? "text-fg-muted" : "text-fg")}>
                {step.title}
                <span className="sr-only">{step.state === "done" ? " (done)" : step.state === "todo" ? " (to do)" : " (not available yet)"}</span>
              </p>
              <p className="mt-0.5 text-sm text-fg-subtle">{step.description}</p>
              {step.state === "unavailable" ? <SoonBadge className="mt-2 inline-flex sm:hidden" /> : null}
            </div>
            {step.state === "unavailable" ? (
              <SoonBadge className="mt-0.5 hidden shrink-0 sm:inline-flex" />
            ) : step.href ? (
              <Link
                href={step.href}
                className="shrink-0 rounded-md text-sm font-medium text-brand-text hover:underline"
                aria-label={`${step.state === "todo" ? "Start" : "Review"}: ${step.title}`}
              >
                {step.state === "todo" ? "Start" : "Review"}
              </Link>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function SoonBadge({ className }: { className?: string }) {
  return (
    <span className={cx("rounded-full border border-line px-2 py-0.5 text-xs text-fg-subtle", className)} aria-hidden="true">
      Not available yet
    </span>
  );
}

function StepMarker({ state, index }: { state: StepState; index: number }) {
  if (state === "done") {
    return (
      <span className="mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full bg-success text-white dark:text-black" aria-hidden="true">
        <CheckIcon className="size-3.5" strokeWidth={2.5} />
      </span>
    );
  }
  return (
    <span
      className={cx(
        "mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full border text-xs font-medium",
        state === "todo" ? "border-brand text-brand-text" : "border-line-strong text-fg-subtle",
      )}
      aria-hidden="true"
    >
      {index + 1}
    </span>
  );
}
