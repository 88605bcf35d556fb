"use client";

import { useMemo } from "react";
import { SelectField } from "@/components/ui/field";
import { timeZoneGroups } from "@/lib/timezones";

/**
 * IANA time-zone picker grouped by region. Rendered with the browser's zone list only after
 * mount (`value` is empty until then), so the server-rendered HTML never disagrees with it.
 */
export function TimeZoneSelect({ value, onChange, error }: { value: string; onChange: (zone: string) => void; error?: string }) {
  const groups = useMemo(() => (value ? timeZoneGroups([value]) : []), [value]);
  return (
    <SelectField
      label="Clinic time zone"
      name="timezone"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint="Business hours and appointment times use this zone."
      disabled={!value}
    >
      {!value ? <option value="">Detecting your time zone…</option> : null}
      {groups.map((g) => (
        <optgroup key={g.region} label={g.region}>
          {g.zones.map((z) => (
            <option key={z.value} value={z.value}>
              {z.label}
            </option>
          ))}
        </optgroup>
      ))}
    </SelectField>
  );
}
