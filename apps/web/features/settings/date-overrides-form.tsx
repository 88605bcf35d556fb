"use client";

import { type ClinicSettings, type DateOverride, DateOverrides } from "@voxanne/contracts";
import { DateTime } from "luxon";
import { useId, useRef, useState } from "react";
import { CloseIcon, PlusIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { focusFirstInvalid } from "@/lib/forms";
import { SettingsSection } from "./section";
import { problemsBy, TimeRanges } from "./time-ranges";
import { useSaveSettings } from "./use-settings";

type Entry = { key: number; date: string; hours: DateOverride["hours"]; note: string };

const input =
  "h-10 rounded-lg border border-line-strong bg-surface px-3 text-sm text-fg shadow-xs focus:border-brand focus:ring-[3px] focus:ring-brand/20 focus:outline-none disabled:opacity-60";

/** Holidays (closed all day) and special hours on single dates; they replace the weekday's hours. */
export function DateOverridesForm({ settings, canEdit }: { settings: ClinicSettings; canEdit: boolean }) {
  const { toast } = useToast();
  const save = useSaveSettings();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const nextKey = useRef(0);
  const [entries, setEntries] = useState<Entry[]>(() => settings.dateOverrides.map((o) => ({ ...o, note: o.note ?? "", key: nextKey.current++ })));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const today = DateTime.now().setZone(settings.profile.timezone).toISODate()!;

  const update = (key: number, change: Partial<Entry>) => {
    setEntries((list) => list.map((e) => (e.key === key ? { ...e, ...change } : e)));
    setProblems({});
  };
  const add = () => {
    const last = entries.at(-1)?.date;
    const date = DateTime.fromISO(last && last >= today ? last : today)
      .plus({ days: 1 })
      .toISODate()!;
    setEntries((list) => [...list, { key: nextKey.current++, date, hours: [], note: "" }]);
  };

  const onSubmit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setProblem(null);
    const checked = DateOverrides.safeParse(entries.map((o) => ({ date: o.date, hours: o.hours, note: o.note.trim() || null })));
    if (!checked.success) {
      setProblems(problemsBy(checked.error.issues));
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setPending(true);
    try {
      await save("dateOverrides", checked.data);
      toast("Date overrides saved. The receptionist uses them on its next call.", { tone: "success" });
    } catch (err) {
      setProblem(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <SettingsSection
      id="date-overrides"
      title="Holidays and special hours"
      description="Close on a holiday, or open different hours on one date. These replace the weekly hours for that date."
      canEdit={canEdit}
      pending={pending}
      problem={problem}
      formProps={{ ref: formRef, onSubmit }}
    >
      {entries.length === 0 ? (
        <p className="text-sm text-fg-subtle" data-testid="no-date-overrides">
          No holidays or special hours. The weekly hours apply every day.
        </p>
      ) : (
        <ul className="divide-y divide-line">
          {entries.map((entry, i) => {
            const closed = entry.hours.length === 0;
            const label = entry.date ? DateTime.fromISO(entry.date).toFormat("cccc d LLLL yyyy") : `date ${i + 1}`;
            const error = problems[String(i)];
            const errorId = `${id}-${entry.key}-error`;
            return (
              <li key={entry.key} className="space-y-3 py-3 first:pt-0 last:pb-0" data-testid="date-override">
                <div className="flex flex-wrap items-center gap-3">
                  <input
                    type="date"
                    aria-label={`Date ${i + 1}`}
                    value={entry.date}
                    onChange={(e) => update(entry.key, { date: e.target.value })}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? errorId : undefined}
                    className={input}
                  />
                  <label className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="size-4 accent-brand"
                      checked={closed}
                      onChange={(e) => update(entry.key, { hours: e.target.checked ? [] : [{ start: "09:00", end: "13:00" }] })}
                    />
                    Closed all day
                  </label>
                  <Button
                    variant="ghost"
                    size="sm"
                    className="ml-auto px-2"
                    aria-label={`Remove ${label}`}
                    onClick={() => setEntries((l) => l.filter((x) => x.key !== entry.key))}
                  >
                    <CloseIcon className="size-4" />
                  </Button>
                </div>
                {closed ? null : <TimeRanges what={label} ranges={entry.hours} onChange={(hours) => update(entry.key, { hours })} invalid={Boolean(error)} />}
                <input
                  type="text"
                  aria-label={`Note for ${label}`}
                  placeholder="Note, e.g. Christmas Day"
                  maxLength={120}
                  value={entry.note}
                  onChange={(e) => update(entry.key, { note: e.target.value })}
                  className={`${input} w-full`}
                />
                {error ? (
                  <p id={errorId} className="text-sm text-danger">
                    {error}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {canEdit ? (
        <Button variant="secondary" size="sm" onClick={add}>
          <PlusIcon className="size-4" /> Add a date
        </Button>
      ) : null}
    </SettingsSection>
  );
}
