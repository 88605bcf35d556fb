/** The browser's own IANA zone, e.g. "Europe/London"; UTC when the browser will not say. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

export type TimeZoneOption = { value: string; label: string; offsetMinutes: number };
export type TimeZoneGroup = { region: string; zones: TimeZoneOption[] };

function offsetMinutes(zone: string, at: Date): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value;
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name ?? "");
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === "-" ? -minutes : minutes;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "−" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * Every zone the browser knows, grouped by region ("America", "Europe", …) and labelled with its
 * current UTC offset. `include` guarantees a zone is listed even if this browser lacks it.
 */
export function timeZoneGroups(include: string[] = [], at = new Date()): TimeZoneGroup[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  const all = [...new Set([...zones, "UTC", ...include])];
  const groups = new Map<string, TimeZoneOption[]>();
  for (const zone of all) {
    let offset: number;
    try {
      offset = offsetMinutes(zone, at);
    } catch {
      continue; // a zone this engine cannot format is not one a clinic can pick
    }
    const slash = zone.indexOf("/");
    const region = slash === -1 ? "Other" : zone.slice(0, slash);
    const city = (slash === -1 ? zone : zone.slice(slash + 1)).replaceAll("_", " ").replaceAll("/", " / ");
    const list = groups.get(region) ?? [];
    list.push({ value: zone, label: `${city} (${formatOffset(offset)})`, offsetMinutes: offset });
    groups.set(region, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === "Other" ? 1 : b === "Other" ? -1 : a.localeCompare(b)))
    .map(([region, list]) => ({ region, zones: list.sort((x, y) => x.label.localeCompare(y.label)) }));
}
