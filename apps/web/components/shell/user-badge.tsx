import type { Me } from "@voxanne/contracts";

const roleLabels: Record<Me["role"], string> = { owner: "Owner", admin: "Admin", staff: "Staff" };

export function roleLabel(role: Me["role"]): string {
  return roleLabels[role];
}

function initials(me: Me): string {
  const source = me.user.fullName?.trim() || me.user.email;
  const words = source.split(/[\s@._-]+/).filter(Boolean);
  return ((words[0]?.[0] ?? "") + (words.length > 1 ? (words[1]?.[0] ?? "") : "")).toUpperCase() || "?";
}

export function Avatar({ me }: { me: Me }) {
  return (
    <span
      aria-hidden="true"
      className="flex size-8 shrink-0 items-center justify-center rounded-full bg-brand-soft text-xs font-semibold text-brand-text ring-1 ring-line"
    >
      {initials(me)}
    </span>
  );
}

export function RoleBadge({ role }: { role: Me["role"] }) {
  return (
    <span className="inline-flex items-center rounded-full border border-line bg-surface-muted px-2 py-0.5 text-xs font-medium text-fg-muted">
      {roleLabel(role)}
    </span>
  );
}

/** Avatar, email and role: who is signed in. */
export function UserIdentity({ me, className }: { me: Me; className?: string }) {
  return (
    <div className={`flex min-w-0 items-center gap-2.5 ${className ?? ""}`}>
      <Avatar me={me} />
      <div className="min-w-0 leading-tight">
        <p className="truncate text-sm font-medium text-fg" data-testid="user-email">
          {me.user.email}
        </p>
        <p className="mt-0.5 text-xs text-fg-subtle">
          <span className="sr-only">Role: </span>
          <span data-testid="user-role">{roleLabel(me.role)}</span>
        </p>
      </div>
    </div>
  );
}
