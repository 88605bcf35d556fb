"use client";

import type { DashboardStats } from "@voxanne/contracts";
import { useId, useState } from "react";
import { cx } from "@/components/ui/cx";
import { formatCount, formatDay, formatMoney } from "@/lib/format";

type Day = DashboardStats["daily"][number];

/**
 * The axis maximum: four gridlines at a whole, round step (1–5, then 1, 2, 2.5, 5 × 10ⁿ) so the
 * busiest day fits and the labels are whole calls.
 */
export function niceMax(value: number): number {
  const raw = Math.max(1, value / 4);
  if (raw <= 5) return Math.ceil(raw) * 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw && Number.isInteger(s)) ?? 10 * magnitude;
  return step * 4;
}

/**
 * Labels for about six evenly spaced days, always the first and the last. "primary" ticks (first,
 * middle, last) are the only ones shown on narrow screens.
 */
function tickIndexes(length: number): Map<number, boolean> {
  const ticks = new Map<number, boolean>();
  if (length === 0) return ticks;
  const middle = Math.floor((length - 1) / 2);
  if (length <= 7) {
    for (let i = 0; i < length; i++) ticks.set(i, i === 0 || i === length - 1 || i === middle);
    return ticks;
  }
  const every = Math.ceil((length - 1) / 5);
  for (let i = 0; i < length; i += every) ticks.set(i, false);
  const lastRegular = Math.max(...ticks.keys());
  if (length - 1 - lastRegular < every / 2) ticks.delete(lastRegular);
  ticks.set(0, true);
  ticks.set(length - 1, true);
  // The regular tick nearest the middle doubles as the narrow-screen middle label.
  const nearest = [...ticks.keys()].reduce((best, i) => (Math.abs(i - middle) < Math.abs(best - middle) ? i : best), 0);
  if (nearest !== 0 && nearest !== length - 1) ticks.set(nearest, true);
  return ticks;
}

function describeDay(d: Day): string {
  return `${formatDay(d.day, { weekday: "short", month: "short", day: "numeric" })}: ${formatCount(d.calls)} ${d.calls === 1 ? "call" : "calls"} (${formatCount(d.inbound)} inbound, ${formatCount(d.outbound)} outbound), ${formatCount(d.booked)} booked, ${formatMoney(d.value)}`;
}

/**
 * Calls per clinic day, inbound and outbound stacked. Drawn with plain elements so it sizes with
 * its container and follows the colour tokens (dark mode) without a charting library. One tab
 * stop: arrow keys move between days and the highlighted day is announced; screen readers also
 * get the numbers as a table.
 */
export function CallsChart({ daily }: { daily: Day[] }) {
  const [active, setActive] = useState<number | null>(null);
  const titleId = useId();
  const readoutId = useId();
  const max = niceMax(Math.max(0, ...daily.map((d) => d.calls)));
  const ticks = tickIndexes(daily.length);
  const totals = daily.reduce((t, d) => ({ calls: t.calls + d.calls, booked: t.booked + d.booked }), { calls: 0, booked: 0 });
  const hasWeb = daily.some((d) => d.calls > d.inbound + d.outbound);
  const shown = active !== null ? daily[active] : undefined;

  const move = (next: number) => setActive(Math.max(0, Math.min(daily.length - 1, next)));

  return (
    <section aria-labelledby={titleId} className="relative flex h-full min-w-0 flex-col rounded-2xl border border-line bg-surface shadow-xs">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 px-5 pt-4 sm:px-6">
        <div className="min-w-0">
          <h2 id={titleId} className="text-base font-semibold">
            Calls over time
          </h2>
          <p className="mt-0.5 text-sm text-fg-muted">
            {formatCount(totals.calls)} calls, {formatCount(totals.booked)} booked
          </p>
        </div>
        <ul className="flex items-center gap-4 text-xs text-fg-muted" aria-label="Legend">
          <li className="flex items-center gap-1.5">
            <span className="size-2.5 rounded-sm bg-brand" aria-hidden="true" />
            Inbound
          </li>
          <li className="flex items-center gap-1.5">
            <span className="size-2.5 rounded-sm bg-brand/35" aria-hidden="true" />
            Outbound
          </li>
          {hasWeb ? (
            <li className="flex items-center gap-1.5">
              <span className="size-2.5 rounded-sm bg-line-strong" aria-hidden="true" />
              Web
            </li>
          ) : null}
        </ul>
      </div>

      <p id={readoutId} className="min-h-5 px-5 pt-3 text-xs text-fg-muted sm:px-6" aria-live="polite" data-testid="chart-readout">
        {shown ? describeDay(shown) : <span className="text-fg-subtle">Hover or use the arrow keys to see a day.</span>}
      </p>

      <div className="relative flex flex-1 flex-col px-5 pt-3 pb-4 sm:px-6">
        <div className="relative ml-8 min-h-48 flex-1 sm:min-h-56">
          {/* Grid lines and axis labels. */}
          {[0, 1, 2, 3, 4].map((i) => (
            <div
              key={i}
              className="pointer-events-none absolute inset-x-0 border-t border-dashed border-line"
              style={{ bottom: `${(i / 4) * 100}%` }}
              aria-hidden="true"
            >
              <span className="absolute -top-2 -left-8 w-6 text-right text-[0.6875rem] leading-none text-fg-subtle tabular-nums">
                {formatCount((max / 4) * i)}
              </span>
            </div>
          ))}
          {/* biome-ignore lint/a11y/useSemanticElements: a chart that takes arrow keys, not a form group */}
          <div
            role="group"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: the chart is keyboard-readable (arrow keys move between days)
            tabIndex={0}
            aria-label={`Calls per day. ${daily.length} days. Use the left and right arrow keys to read each day.`}
            aria-describedby={readoutId}
            className="absolute inset-0 flex items-end gap-px rounded-sm outline-offset-4 sm:gap-[3px]"
            onKeyDown={(e) => {
              if (daily.length === 0) return;
              const at = active ?? daily.length;
              if (e.key === "ArrowLeft") move(at - 1);
              else if (e.key === "ArrowRight") move(active === null ? daily.length - 1 : at + 1);
              else if (e.key === "Home") move(0);
              else if (e.key === "End") move(daily.length - 1);
              else if (e.key === "Escape") setActive(null);
              else return;
              e.preventDefault();
            }}
            onBlur={() => setActive(null)}
            onMouseLeave={() => setActive(null)}
          >
            {daily.map((d, i) => (
              <div key={d.day} className="group relative flex h-full min-w-0 flex-1 flex-col justify-end" onMouseEnter={() => setActive(i)} aria-hidden="true">
                <div className={cx("absolute inset-0 rounded-sm transition-colors", active === i ? "bg-surface-muted" : "")} />
                <div className="relative flex flex-col justify-end overflow-hidden rounded-t-[3px]" style={{ height: `${(d.calls / max) * 100}%` }}>
                  <div className="bg-line-strong" style={{ flexGrow: Math.max(0, d.calls - d.inbound - d.outbound) }} />
                  <div className="bg-brand/35" style={{ flexGrow: d.outbound }} />
                  <div className={cx("bg-brand transition-opacity", active !== null && active !== i && "opacity-70")} style={{ flexGrow: d.inbound }} />
                </div>
              </div>
            ))}
          </div>
        </div>
        <div className="relative mt-2 ml-8 h-4 text-[0.6875rem] text-fg-subtle" aria-hidden="true">
          {daily.map((d, i) =>
            ticks.has(i) ? (
              <span
                key={d.day}
                className={cx("absolute whitespace-nowrap", !ticks.get(i) && "hidden sm:block")}
                style={
                  i === daily.length - 1 && daily.length > 1
                    ? { right: 0 }
                    : i === 0
                      ? { left: 0 }
                      : { left: `${((i + 0.5) / daily.length) * 100}%`, transform: "translateX(-50%)" }
                }
              >
                {formatDay(d.day)}
              </span>
            ) : null,
          )}
        </div>
      </div>

      <div className="sr-only">
        <table>
          <caption>Calls per day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Calls</th>
              <th scope="col">Inbound</th>
              <th scope="col">Outbound</th>
              <th scope="col">Booked</th>
            </tr>
          </thead>
          <tbody>
            {daily.map((d) => (
              <tr key={d.day}>
                <th scope="row">{formatDay(d.day, { weekday: "short", month: "short", day: "numeric" })}</th>
                <td>{d.calls}</td>
                <td>{d.inbound}</td>
                <td>{d.outbound}</td>
                <td>{d.booked}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function CallsChartSkeleton() {
  return (
    <div className="h-[22rem] animate-pulse rounded-2xl border border-line bg-surface p-5" aria-hidden="true">
      <div className="h-4 w-32 rounded bg-surface-muted" />
      <div className="mt-2 h-3 w-40 rounded bg-surface-muted" />
      <div className="mt-8 flex h-52 items-end gap-1">
        {Array.from({ length: 24 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: fixed loading placeholders
          <div key={i} className="flex-1 rounded-t-sm bg-surface-muted" style={{ height: `${20 + ((i * 37) % 70)}%` }} />
        ))}
      </div>
    </div>
  );
}
