"use client";

import type { Me } from "@voxanne/contracts";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/components/ui/cx";
import { isActive, visibleNavigation } from "./navigation";

export function NavList({ me, onNavigate }: { me: Pick<Me, "role" | "operator">; onNavigate?: () => void }) {
  const pathname = usePathname() ?? "";
  return (
    <ul className="space-y-1">
      {visibleNavigation(me).map((item) => {
        const active = isActive(item, pathname);
        const Icon = item.icon;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cx(
                "group flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors",
                active ? "bg-brand-soft text-brand-text" : "text-fg-muted hover:bg-surface-muted hover:text-fg",
              )}
            >
              <Icon className={cx("size-5 shrink-0", active ? "text-brand-text" : "text-fg-subtle group-hover:text-fg-muted")} />
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
