"use client";

import type { TimeRange } from "@voxanne/contracts";
import { CloseIcon, PlusIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";

const timeInput =
  "h-10 w-[7.5rem] rounded-lg border border-line-strong bg-surface px-2 text-sm text-fg shadow-xs focus:border-brand focus:ring-[3px] focus:ring-brand/20 focus:outline-none disabled:opacity-60";

/**
 * The opening ranges of one day (or one date): a pair of time inputs per range, a remove button
 * each, and "Add hours". `what` names the day in every control's label ("Tuesday opens at").
 */
export function TimeRanges({
  what,
  ranges,
  onChange,
  invalid,
  describedBy,
}: {
  what: string;
  ranges: TimeRange[];
  onChange: (ranges: TimeRange[]) => void;
  invalid?: boolean;
  describedBy?: string;
}) {
  const set = (i: number, part: "start" | "end", value: string) => onChange(ranges.map((r, j) => (j === i ? { ...r, [part]: value } : r)));
  const last = ranges.at(-1);
  const next: TimeRange =
    last && last.end < "22:00"
      ? { start: last.end, end: `${String(Math.min(Number(last.end.slice(0, 2)) + 2, 23)).padStart(2, "0")}:00` }
      : { start: "09:00", end: "17:00" };
  return (
    <div className="space-y-2">
      {ranges.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: ranges have no identity but their position
        <div key={i} className="flex flex-wrap items-center gap-2">
          <input
            type="time"
            aria-label={`${what} opens at${ranges.length > 1 ? ` (range ${i + 1})` : ""}`}
            value={r.start}
            onChange={(e) => set(i, "start", e.target.value)}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            className={cx(timeInput, invalid && "border-danger")}
          />
          <span className="text-sm text-fg-subtle" aria-hidden="true">
            to
          </span>
          <input
            type="time"
            aria-label={`${what} closes at${ranges.length > 1 ? ` (range ${i + 1})` : ""}`}
            value={r.end === "24:00" ? "23:59" : r.end}
            onChange={(e) => set(i, "end", e.target.value)}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            className={cx(timeInput, invalid && "border-danger")}
          />
          <Button
            variant="ghost"
            size="sm"
            className="px-2"
            aria-label={`Remove ${what} ${r.start}–${r.end}`}
            onClick={() => onChange(ranges.filter((_, j) => j !== i))}
          >
            <CloseIcon className="size-4" />
          </Button>
        </div>
      ))}
      {ranges.length < 6 ? (
        <Button variant="ghost" size="sm" onClick={() => onChange([...ranges, next])} aria-label={`Add hours on ${what}`}>
          <PlusIcon className="size-4" /> Add hours
        </Button>
      ) : null}
    </div>
  );
}

/** The first message of each problem, keyed by its path's first `depth` parts ("tue", "0"). */
export function problemsBy(issues: { path: PropertyKey[]; message: string }[], depth = 1): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.slice(0, depth).map(String).join(".");
    out[key] ??= issue.message;
  }
  return out;
}
