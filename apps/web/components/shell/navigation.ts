import type { Me } from "@voxanne/contracts";
import { GridIcon, HeadsetIcon, PhoneIcon, PhoneOutgoingIcon, ShieldIcon, type IconComponent } from "@/components/icons";

export type NavItem = {
  href: string;
  label: string;
  icon: IconComponent;
  /** Roles that see the entry; everyone when omitted. The API enforces access regardless. */
  roles?: Me["role"][];
  /** Voxanne platform operators only (Me.operator); the API answers everyone else 403. */
  operatorOnly?: boolean;
};

/**
 * The dashboard's navigation, in order. Adding a page = its `app/(dashboard)/<path>/page.tsx`
 * plus one entry here; the sidebar, the mobile menu and the active state follow from it.
 */
export const navigation: NavItem[] = [
  { href: "/overview", label: "Overview", icon: GridIcon },
  { href: "/calls", label: "Calls", icon: PhoneIcon },
  // Everyone sees it; staff read-only (the page says so, the API refuses their changes).
  { href: "/receptionist", label: "Receptionist", icon: HeadsetIcon },
  // Everyone sees it; staff read-only (the page says so, the API refuses their changes).
  { href: "/phone-forwarding", label: "Phone forwarding", icon: PhoneOutgoingIcon },
  { href: "/admin", label: "Admin", icon: ShieldIcon, operatorOnly: true },
];

export function isActive(item: NavItem, pathname: string): boolean {
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}

export function visibleNavigation(me: Pick<Me, "role" | "operator">): NavItem[] {
  return navigation.filter((item) => (!item.roles || item.roles.includes(me.role)) && (!item.operatorOnly || me.operator));
}
