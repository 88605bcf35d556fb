"use client";

import { Alert } from "@/components/ui/alert";
import { LoadError } from "@/components/ui/load-error";
import { describeProblem } from "@/lib/api";
import { useSession } from "@/lib/session";
import { BookingForm } from "./booking-form";
import { DateOverridesForm } from "./date-overrides-form";
import { HoursForm } from "./hours-form";
import { ProfileForm } from "./profile-form";
import { SmsForm } from "./sms-form";
import { TransferForm } from "./transfer-form";
import { useSettings } from "./use-settings";

const SECTIONS = [
  { id: "profile", label: "Profile" },
  { id: "hours", label: "Hours" },
  { id: "date-overrides", label: "Holidays" },
  { id: "booking", label: "Booking rules" },
  { id: "transfer", label: "Transfer and alerts" },
];

/**
 * The Settings page: the clinic's profile, hours, date overrides, booking rules and transfer
 * settings, each saved on its own. Owners and admins edit; staff see the same values read-only
 * (the API refuses their changes either way).
 */
export function SettingsView() {
  const me = useSession();
  const canEdit = me.role === "owner" || me.role === "admin";
  const settings = useSettings();

  return (
    <div className="space-y-5">
      <header className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="mt-1 text-sm text-fg-muted">
          Your clinic's details, opening hours and booking rules. The receptionist uses every change on its next call.
        </p>
      </header>
      <nav aria-label="Settings sections" className="-mx-1 flex gap-1 overflow-x-auto pb-1">
        {SECTIONS.map((s) => (
          <a
            key={s.id}
            href={`#${s.id}`}
            className="shrink-0 rounded-full border border-line px-3 py-1 text-sm text-fg-muted hover:bg-surface-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-ring"
          >
            {s.label}
          </a>
        ))}
      </nav>

      {canEdit ? null : (
        <Alert tone="info">
          <span data-testid="read-only-note">Only the clinic&apos;s owner or an admin can change the settings.</span> You can see how the clinic is set up.
        </Alert>
      )}

      {settings.isPending ? (
        <div className="space-y-5" role="status" aria-busy="true" aria-label="Loading settings">
          {SECTIONS.map((s) => (
            <div key={s.id} className="h-48 animate-pulse rounded-2xl border border-line bg-surface-muted" />
          ))}
        </div>
      ) : settings.isError ? (
        <LoadError title="We couldn't load your settings" message={describeProblem(settings.error).message} onRetry={() => void settings.refetch()} />
      ) : (
        // Each form starts from the settings as first loaded and keeps its own edits across another section's save.
        <div className="space-y-5">
          <ProfileForm settings={settings.data} canEdit={canEdit} />
          <HoursForm settings={settings.data} canEdit={canEdit} />
          <DateOverridesForm settings={settings.data} canEdit={canEdit} />
          <BookingForm settings={settings.data} canEdit={canEdit} />
          <TransferForm settings={settings.data} canEdit={canEdit} />
          <SmsForm settings={settings.data} canEdit={canEdit} />
        </div>
      )}
    </div>
  );
}
