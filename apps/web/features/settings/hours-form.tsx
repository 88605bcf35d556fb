"use client";

import { BusinessHours, type ClinicSettings, WEEKDAY_LABELS, WEEKDAYS, type Weekday } from "@voxanne/contracts";
import { useId, useRef, useState } from "react";
import { useToast } from "@/components/ui/toast";
import { focusFirstInvalid } from "@/lib/forms";
import { SettingsSection } from "./section";
import { problemsBy, TimeRanges } from "./time-ranges";
import { useSaveSettings } from "./use-settings";

/**
 * Opening hours per weekday: open or closed, and one or more ranges (a lunch break is two). Checked
 * with the contract's BusinessHours before it is sent; the receptionist uses them on its next call.
 */
export function HoursForm({ settings, canEdit }: { settings: ClinicSettings; canEdit: boolean }) {
  const { toast } = useToast();
  const save = useSaveSettings();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [hours, setHours] = useState<BusinessHours>(settings.hours);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  const setDay = (day: Weekday, ranges: BusinessHours[Weekday]) => {
    setHours((h) => ({ ...h, [day]: ranges }));
    setProblems(({ [day]: _, ...rest }) => rest);
  };

  const onSubmit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setProblem(null);
    const checked = BusinessHours.safeParse(hours);
    if (!checked.success) {
      setProblems(problemsBy(checked.error.issues));
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setPending(true);
    try {
      await save("hours", checked.data);
      toast("Business hours saved. The receptionist uses them on its next call.", { tone: "success" });
    } catch (err) {
      setProblem(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <SettingsSection
      id="hours"
      title="Business hours"
      description={`Weekly opening hours in ${settings.profile.timezone}. The receptionist only offers appointments inside them.`}
      canEdit={canEdit}
      pending={pending}
      problem={problem}
      formProps={{ ref: formRef, onSubmit }}
    >
      <ul className="divide-y divide-line">
        {WEEKDAYS.map((day) => {
          const ranges = hours[day];
          const open = ranges.length > 0;
          const errorId = `${id}-${day}-error`;
          return (
            <li key={day} className="flex flex-col gap-3 py-3 first:pt-0 last:pb-0 sm:flex-row sm:items-start" data-testid={`hours-${day}`}>
              <label className="flex min-w-36 items-center gap-2 pt-2 text-sm font-medium">
                <input
                  type="checkbox"
                  className="size-4 accent-brand"
                  checked={open}
                  onChange={(e) => setDay(day, e.target.checked ? [{ start: "09:00", end: "17:00" }] : [])}
                  aria-label={`Open on ${WEEKDAY_LABELS[day]}`}
                />
                {WEEKDAY_LABELS[day]}
              </label>
              <div className="min-w-0 flex-1">
                {open ? (
                  <TimeRanges
                    what={WEEKDAY_LABELS[day]}
                    ranges={ranges}
                    onChange={(r) => setDay(day, r)}
                    invalid={Boolean(problems[day])}
                    describedBy={problems[day] ? errorId : undefined}
                  />
                ) : (
                  <p className="pt-2 text-sm text-fg-subtle">Closed</p>
                )}
                {problems[day] ? (
                  <p id={errorId} className="mt-1 text-sm text-danger">
                    {problems[day]}
                  </p>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </SettingsSection>
  );
}
