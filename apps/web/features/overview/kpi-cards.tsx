import type { DashboardStats } from "@voxanne/contracts";
import { ClockIcon, CurrencyIcon, PhoneIcon, PhoneIncomingIcon, PhoneOutgoingIcon, TrendIcon, type IconComponent } from "@/components/icons";
import { cx } from "@/components/ui/cx";
import { formatCount, formatDuration, formatMoney, formatPercent } from "@/lib/format";

type Kpi = { id: string; label: string; value: string; note: string; icon: IconComponent; accent?: boolean };

function kpis(stats: DashboardStats): Kpi[] {
  return [
    {
      id: "total-calls",
      label: "Total calls",
      value: formatCount(stats.totalCalls),
      note: stats.liveCalls > 0 ? `${formatCount(stats.liveCalls)} live now` : `${formatCount(stats.hotLeads)} hot ${stats.hotLeads === 1 ? "lead" : "leads"}`,
      icon: PhoneIcon,
    },
    { id: "inbound-calls", label: "Inbound", value: formatCount(stats.inboundCalls), note: "Patients calling the clinic", icon: PhoneIncomingIcon },
    { id: "outbound-calls", label: "Outbound", value: formatCount(stats.outboundCalls), note: "Calls made by the receptionist", icon: PhoneOutgoingIcon },
    {
      id: "success-rate",
      label: "Success rate",
      value: formatPercent(stats.successRate),
      note: `${formatCount(stats.bookedCalls)} booked of ${formatCount(stats.inboundCalls)} inbound`,
      icon: TrendIcon,
      accent: true,
    },
    { id: "pipeline-value", label: "Pipeline value", value: formatMoney(stats.pipelineValue), note: "Estimated value of these calls", icon: CurrencyIcon },
    { id: "average-duration", label: "Avg. duration", value: formatDuration(stats.averageDurationSeconds), note: "Per answered call", icon: ClockIcon },
  ];
}

/** The six headline numbers for the selected period. */
export function KpiCards({ stats, refreshing }: { stats: DashboardStats; refreshing: boolean }) {
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4 2xl:grid-cols-6" aria-busy={refreshing || undefined}>
      {kpis(stats).map(({ id, label, value, note, icon: Icon, accent }) => (
        <div key={id} className="flex min-w-0 flex-col rounded-2xl border border-line bg-surface p-4 shadow-xs" data-testid={`kpi-${id}`}>
          <dt className="flex items-center justify-between gap-2 text-xs font-medium text-fg-muted sm:text-sm">
            <span className="truncate">{label}</span>
            <span
              className={cx(
                "flex size-7 shrink-0 items-center justify-center rounded-lg",
                accent ? "bg-success-soft text-success" : "bg-brand-soft text-brand-text",
              )}
            >
              <Icon className="size-4" />
            </span>
          </dt>
          <dd className="mt-2 truncate text-2xl font-semibold tracking-tight tabular-nums" data-testid={`kpi-${id}-value`}>
            {value}
          </dd>
          <dd className="mt-1 text-xs leading-snug text-fg-subtle">{note}</dd>
        </div>
      ))}
    </dl>
  );
}

export function KpiCardsSkeleton() {
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4 2xl:grid-cols-6" aria-hidden="true">
      {Array.from({ length: 6 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: fixed loading placeholders
        <div key={i} className="h-[7.25rem] animate-pulse rounded-2xl border border-line bg-surface p-4">
          <div className="h-3 w-20 rounded bg-surface-muted" />
          <div className="mt-4 h-6 w-16 rounded bg-surface-muted" />
          <div className="mt-3 h-2.5 w-24 rounded bg-surface-muted" />
        </div>
      ))}
    </div>
  );
}
