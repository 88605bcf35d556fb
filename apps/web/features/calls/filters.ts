import { CallDirection, type CallsQuery, PERIOD_PRESET_DAYS_BACK, SentimentLabel, type StatsRange } from "@voxanne/contracts";
import { DateTime } from "luxon";

export type Period = "any" | StatsRange | "custom";
export type StatusFilter = NonNullable<CallsQuery["status"]>;

export type CallFilters = {
  period: Period;
  /** YYYY-MM-DD clinic days, for period "custom" (both inclusive). */
  fromDay: string;
  toDay: string;
  direction: CallDirection | "";
  status: StatusFilter | "";
  sentiment: SentimentLabel | "";
  q: string;
};

export const EMPTY_FILTERS: CallFilters = { period: "any", fromDay: "", toDay: "", direction: "", status: "", sentiment: "", q: "" };

export const PERIOD_OPTIONS: { value: Period; label: string }[] = [
  { value: "any", label: "Any time" },
  { value: "today", label: "Today" },
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "90d", label: "Last 90 days" },
  { value: "custom", label: "Custom range…" },
];

export const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: "live", label: "Live now" },
  { value: "booked", label: "Booked" },
  { value: "missed", label: "Missed" },
  { value: "transferred", label: "Transferred" },
  { value: "emergency", label: "Emergency" },
  { value: "ended", label: "Ended" },
];

const PERIODS = new Set<Period>(PERIOD_OPTIONS.map((p) => p.value));
const STATUSES = new Set<string>(STATUS_OPTIONS.map((s) => s.value));
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isFiltered(f: CallFilters): boolean {
  return f.period !== "any" || f.direction !== "" || f.status !== "" || f.sentiment !== "" || f.q.trim() !== "";
}

/** Filters from the page URL (`?period=7d&status=booked&q=maria`), ignoring anything unknown. */
export function filtersFromSearch(params: URLSearchParams): CallFilters {
  const period = params.get("period") as Period | null;
  const direction = params.get("direction");
  const status = params.get("status");
  const sentiment = params.get("sentiment");
  const fromDay = params.get("from") ?? "";
  const toDay = params.get("to") ?? "";
  return {
    period: period && PERIODS.has(period) ? period : "any",
    fromDay: DAY.test(fromDay) ? fromDay : "",
    toDay: DAY.test(toDay) ? toDay : "",
    direction: direction && CallDirection.safeParse(direction).success ? (direction as CallDirection) : "",
    status: status && STATUSES.has(status) ? (status as StatusFilter) : "",
    sentiment: sentiment && SentimentLabel.safeParse(sentiment).success ? (sentiment as SentimentLabel) : "",
    q: (params.get("q") ?? "").slice(0, 100),
  };
}

/** The filters as URL parameters (only the ones set), so a filtered view can be shared or reloaded. */
export function filtersToSearch(f: CallFilters, extra: Record<string, string | null> = {}): string {
  const params = new URLSearchParams();
  if (f.period !== "any") params.set("period", f.period);
  if (f.period === "custom") {
    if (f.fromDay) params.set("from", f.fromDay);
    if (f.toDay) params.set("to", f.toDay);
  }
  if (f.direction) params.set("direction", f.direction);
  if (f.status) params.set("status", f.status);
  if (f.sentiment) params.set("sentiment", f.sentiment);
  if (f.q.trim()) params.set("q", f.q.trim());
  for (const [k, v] of Object.entries(extra)) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : "";
}

export type QueryResult = { ok: true; query: Omit<CallsQuery, "cursor"> } | { ok: false; message: string };

/**
 * The API query for the filters. Days are the clinic's: "today" starts at midnight in its time
 * zone, and a custom range runs from the start of the first day to the end of the last.
 */
export function filtersToQuery(f: CallFilters, timeZone: string, now = DateTime.now()): QueryResult {
  const zoned = now.setZone(timeZone);
  const today = (zoned.isValid ? zoned : now).startOf("day");
  let from: DateTime | null = null;
  let to: DateTime | null = null;
  if (f.period === "custom") {
    if (f.fromDay) from = DateTime.fromISO(f.fromDay, { zone: timeZone }).startOf("day");
    if (f.toDay) to = DateTime.fromISO(f.toDay, { zone: timeZone }).plus({ days: 1 }).startOf("day");
    if (from && to && from >= to) return { ok: false, message: "The start date must be on or before the end date." };
  } else if (f.period !== "any") from = today.minus({ days: PERIOD_PRESET_DAYS_BACK[f.period] });
  const q = f.q.trim();
  return {
    ok: true,
    query: {
      from: from?.toUTC().toISO() ?? undefined,
      to: to?.toUTC().toISO() ?? undefined,
      direction: f.direction || undefined,
      status: f.status || undefined,
      sentiment: f.sentiment || undefined,
      q: q || undefined,
      limit: 25,
    },
  };
}
