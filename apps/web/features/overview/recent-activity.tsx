"use client";

import type { ActivityItem, ActivityKind } from "@voxanne/contracts";
import Link from "next/link";
import { AlertIcon, CalendarIcon, PhoneIcon, PhoneIncomingIcon, PhoneOutgoingIcon, SparkIcon, type IconComponent } from "@/components/icons";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { formatDateTime, formatMoney, formatPhone, formatRelative } from "@/lib/format";
import { useSession } from "@/lib/session";
import { useNow } from "@/lib/use-now";

const kinds: Record<ActivityKind, { label: string; tone: BadgeTone; icon: IconComponent }> = {
  call_live: { label: "Live", tone: "brand", icon: PhoneIncomingIcon },
  call_booked: { label: "Booked", tone: "success", icon: CalendarIcon },
  call_completed: { label: "Completed", tone: "neutral", icon: PhoneIcon },
  call_missed: { label: "Missed", tone: "warning", icon: PhoneIcon },
  call_transferred: { label: "Transferred", tone: "brand", icon: PhoneOutgoingIcon },
  call_emergency: { label: "Emergency", tone: "danger", icon: AlertIcon },
  hot_lead: { label: "Hot lead", tone: "danger", icon: SparkIcon },
  appointment_cancelled: { label: "Cancelled", tone: "neutral", icon: CalendarIcon },
};

const iconTones: Record<BadgeTone, string> = {
  brand: "bg-brand-soft text-brand-text",
  success: "bg-success-soft text-success",
  neutral: "bg-surface-muted text-fg-muted",
  warning: "bg-warning-soft text-warning",
  danger: "bg-danger-soft text-danger",
};

/** The last ten things that happened (from the stats endpoint, so it survives reloads and reconnects). */
export function RecentActivity({ items, className }: { items: ActivityItem[]; className?: string }) {
  const timeZone = useSession().organization.timezone;
  const now = useNow();
  return (
    <section aria-labelledby="recent-activity-title" className={cx("flex min-w-0 flex-col rounded-2xl border border-line bg-surface shadow-xs", className)}>
      <div className="flex items-center justify-between gap-3 border-b border-line px-5 py-4 sm:px-6">
        <h2 id="recent-activity-title" className="text-base font-semibold">
          Recent activity
        </h2>
        <Link href="/calls" className="rounded-md text-sm font-medium text-brand-text hover:underline">
          All calls
        </Link>
      </div>
      {items.length === 0 ? (
        <p className="px-6 py-10 text-center text-sm text-fg-subtle">Nothing has happened yet.</p>
      ) : (
        <ol className="divide-y divide-line" data-testid="recent-activity">
          {items.map((item) => {
            const look = kinds[item.kind];
            const Icon = look.icon;
            const content = (
              <>
                <span className={cx("flex size-8 shrink-0 items-center justify-center rounded-full", iconTones[look.tone])} aria-hidden="true">
                  <Icon className="size-4" />
                </span>
                <span className="min-w-0 flex-1">
                  <span className="block text-sm font-medium break-words text-fg sm:truncate">{item.title}</span>
                  <span className="mt-0.5 block truncate text-xs text-fg-subtle">
                    <time dateTime={item.at} title={formatDateTime(item.at, timeZone)}>
                      {formatRelative(item.at, timeZone, Math.max(now, Date.parse(item.at)))}
                    </time>
                    {item.phone && item.contactName ? ` · ${formatPhone(item.phone)}` : ""}
                  </span>
                </span>
                <span className="flex shrink-0 flex-col items-end gap-1">
                  <Badge tone={look.tone}>{look.label}</Badge>
                  {item.value > 0 ? <span className="text-xs font-medium text-fg-muted tabular-nums">{formatMoney(item.value)}</span> : null}
                </span>
              </>
            );
            return (
              <li key={item.id}>
                {item.callId ? (
                  <Link
                    href={`/calls?call=${item.callId}`}
                    className="flex items-center gap-3 px-5 py-3 transition-colors hover:bg-surface-muted focus-visible:-outline-offset-2 sm:px-6"
                  >
                    {content}
                  </Link>
                ) : (
                  <div className="flex items-center gap-3 px-5 py-3 sm:px-6">{content}</div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
