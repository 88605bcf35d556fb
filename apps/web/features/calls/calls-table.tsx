"use client";

import type { CallListItem } from "@voxanne/contracts";
import { GlobeIcon, PhoneIncomingIcon, PhoneOutgoingIcon } from "@/components/icons";
import { cx } from "@/components/ui/cx";
import { formatDateTime, formatDuration, formatMoney, formatPhone } from "@/lib/format";
import { directionLabels, OutcomeBadge, SentimentBadge } from "./call-badges";

export function callerName(call: CallListItem): string {
  if (call.contact?.name) return call.contact.name;
  const number = call.direction === "outbound" ? call.toNumber : call.fromNumber;
  return number ? formatPhone(number) : call.direction === "web" ? "Web caller" : "Unknown caller";
}

function callerNumber(call: CallListItem): string | null {
  const number = call.contact?.phone ?? (call.direction === "outbound" ? call.toNumber : call.fromNumber);
  return call.contact?.name && number ? formatPhone(number) : null;
}

const directionIcons = { inbound: PhoneIncomingIcon, outbound: PhoneOutgoingIcon, web: GlobeIcon } as const;

/**
 * The calls as a table. Below `md` the secondary columns fold into the caller cell so the table
 * fits 375 px without scrolling sideways. Each caller name is a button (keyboard access); the
 * whole row is clickable with a pointer.
 */
export function CallsTable({
  items,
  fresh,
  timeZone,
  selectedId,
  onOpen,
}: {
  items: CallListItem[];
  fresh: ReadonlySet<string>;
  timeZone: string;
  selectedId: string | null;
  onOpen: (call: CallListItem, opener: HTMLElement) => void;
}) {
  return (
    <div className="overflow-hidden rounded-2xl border border-line bg-surface shadow-xs">
      <table className="w-full table-fixed text-left text-sm" data-testid="calls-table">
        <caption className="sr-only">Calls, newest first. Choose a caller to see the transcript and recording.</caption>
        <thead className="border-b border-line bg-surface-muted/60 text-xs font-medium text-fg-muted">
          <tr>
            <th scope="col" className="px-4 py-3 font-medium sm:px-5">
              Caller
            </th>
            <th scope="col" className="hidden w-40 px-3 py-3 font-medium md:table-cell">
              Started
            </th>
            <th scope="col" className="hidden w-24 px-3 py-3 font-medium md:table-cell">
              Duration
            </th>
            <th scope="col" className="w-30 px-2 py-3 font-medium sm:w-32 sm:px-3">
              Outcome
            </th>
            <th scope="col" className="hidden w-28 px-3 py-3 font-medium lg:table-cell">
              Sentiment
            </th>
            <th scope="col" className="hidden w-24 px-4 py-3 text-right font-medium sm:px-5 md:table-cell">
              Value
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {items.map((call) => {
            const DirectionIcon = directionIcons[call.direction];
            const number = callerNumber(call);
            const started = formatDateTime(call.startedAt, timeZone);
            return (
              <tr
                key={call.id}
                data-testid="call-row"
                data-call-id={call.id}
                data-vapi-call-id={call.vapiCallId}
                onClick={(e) => {
                  const button = e.currentTarget.querySelector<HTMLButtonElement>("button[data-open-call]");
                  if (button && e.target !== button && !window.getSelection()?.toString()) button.click();
                }}
                className={cx(
                  "cursor-pointer transition-colors duration-700 hover:bg-surface-muted",
                  fresh.has(call.id) && "bg-brand-soft",
                  selectedId === call.id && "bg-surface-muted",
                )}
              >
                <td className="px-4 py-3 align-top sm:px-5">
                  <div className="flex min-w-0 items-start gap-3">
                    <span
                      className={cx(
                        "mt-0.5 hidden size-8 shrink-0 items-center justify-center rounded-full sm:flex",
                        call.status !== "ended" ? "bg-brand-soft text-brand-text" : "bg-surface-muted text-fg-muted",
                      )}
                      title={directionLabels[call.direction]}
                    >
                      <DirectionIcon className="size-4" />
                    </span>
                    <div className="min-w-0">
                      <button
                        type="button"
                        data-open-call
                        onClick={(e) => onOpen(call, e.currentTarget)}
                        className="max-w-full truncate rounded text-left font-medium text-fg hover:underline focus-visible:outline-offset-1"
                      >
                        {callerName(call)}
                      </button>
                      <p className="truncate text-xs text-fg-subtle">
                        <span className="sr-only">{directionLabels[call.direction]} call. </span>
                        {number ?? directionLabels[call.direction]}
                      </p>
                      <p className="truncate text-xs text-fg-subtle md:hidden">
                        <time dateTime={call.startedAt}>{started}</time>
                        {call.status === "ended" ? ` · ${formatDuration(call.durationSeconds)}` : ""}
                      </p>
                      {call.summary ? <p className="mt-1 hidden truncate text-xs text-fg-muted xl:block">{call.summary}</p> : null}
                    </div>
                  </div>
                </td>
                <td className="hidden px-3 py-3 align-top whitespace-nowrap text-fg-muted md:table-cell">
                  <time dateTime={call.startedAt}>{started}</time>
                </td>
                <td className="hidden px-3 py-3 align-top text-fg-muted tabular-nums md:table-cell">
                  {call.status === "ended" ? formatDuration(call.durationSeconds) : "—"}
                </td>
                <td className="px-2 py-3 align-top sm:px-3">
                  <OutcomeBadge call={call} />
                </td>
                <td className="hidden px-3 py-3 align-top lg:table-cell">
                  <SentimentBadge sentiment={call.sentimentLabel} />
                </td>
                <td className="hidden px-4 py-3 text-right align-top font-medium tabular-nums sm:px-5 md:table-cell">
                  {call.financialValue > 0 ? formatMoney(call.financialValue) : <span className="font-normal text-fg-subtle">—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function CallsTableSkeleton() {
  return (
    <div className="overflow-hidden rounded-2xl border border-line bg-surface" aria-hidden="true">
      <div className="h-10 border-b border-line bg-surface-muted/60" />
      {Array.from({ length: 8 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: fixed loading placeholders
        <div key={i} className="flex items-center gap-4 border-b border-line px-5 py-4 last:border-0">
          <div className="size-8 animate-pulse rounded-full bg-surface-muted" />
          <div className="flex-1 space-y-2">
            <div className="h-3.5 w-40 animate-pulse rounded bg-surface-muted" />
            <div className="h-3 w-28 animate-pulse rounded bg-surface-muted" />
          </div>
          <div className="h-5 w-20 animate-pulse rounded-full bg-surface-muted" />
        </div>
      ))}
    </div>
  );
}
