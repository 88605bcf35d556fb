import type { Role } from "@voxanne/contracts";
import { CalendarIcon, GridIcon, HeadsetIcon, PhoneIcon, SparkIcon, type IconComponent } from "@/components/icons";

export type NavItem = {
  href: string;
  label: string;
  icon: IconComponent;
  /** Roles that see the entry; everyone when omitted. The API enforces access regardless. */
  roles?: Role[];
};

/**
 * The dashboard's navigation, in order. Adding a page = its `app/(dashboard)/<path>/page.tsx`
 * plus one entry here; the sidebar, the mobile menu and the active state follow from it.
 */
export const navigation: NavItem[] = [
  { href: "/overview", label: "Overview", icon: GridIcon },
  { href: "/calls", label: "Calls", icon: PhoneIcon },
  { href: "/appointments", label: "Appointments", icon: CalendarIcon },
  { href: "/leads", label: "Leads", icon: SparkIcon },
  // Everyone sees it; staff read-only (the page says so, the API refuses their changes).
  { href: "/receptionist", label: "Receptionist", icon: HeadsetIcon },
];

export function isActive(item: NavItem, pathname: string): boolean {
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}

export function visibleNavigation(role: Role): NavItem[] {
  return navigation.filter((item) => !item.roles || item.roles.includes(role));
}
