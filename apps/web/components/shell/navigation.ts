import type { Me } from "@voxanne/contracts";
import {
  BookIcon,
  CalendarIcon,
  SparkIcon,
  GlobeIcon,
  GridIcon,
  HeadsetIcon,
  MessageIcon,
  PhoneIcon,
  PhoneOutgoingIcon,
  ShieldIcon,
  SlidersIcon,
  TagIcon,
  UserIcon,
  type IconComponent,
} from "@/components/icons";

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
  { href: "/appointments", label: "Appointments", icon: CalendarIcon },
  { href: "/leads", label: "Leads", icon: SparkIcon },
  // Everyone sees it; staff read-only (the page says so, the API refuses their changes).
  { href: "/receptionist", label: "Receptionist", icon: HeadsetIcon },
  { href: "/phone-forwarding", label: "Phone forwarding", icon: PhoneOutgoingIcon },
  // Everyone sees them; staff read-only (the pages say so, the API refuses their changes).
  { href: "/services", label: "Services", icon: TagIcon },
  { href: "/settings", label: "Settings", icon: SlidersIcon },
  // Everyone reads and tries questions; owners and admins upload and edit (the API enforces it).
  { href: "/knowledge", label: "Knowledge", icon: BookIcon },
  { href: "/team", label: "Team", icon: UserIcon, roles: ["owner", "admin"] },
  { href: "/audit", label: "Audit log", icon: ShieldIcon, roles: ["owner", "admin"] },
  // Development outbox (no SMTP_URL): the page says when email really goes out instead.
  { href: "/outbox", label: "Outbox", icon: MessageIcon, roles: ["owner", "admin"] },
  { href: "/account", label: "Account", icon: UserIcon },
  // Everyone sees the connections; only owners and admins change them.
  { href: "/integrations", label: "Integrations", icon: GlobeIcon },
  { href: "/admin", label: "Admin", icon: ShieldIcon, operatorOnly: true },
];

export function isActive(item: NavItem, pathname: string): boolean {
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}

export function visibleNavigation(me: Pick<Me, "role" | "operator">): NavItem[] {
  return navigation.filter((item) => (!item.roles || item.roles.includes(me.role)) && (!item.operatorOnly || me.operator));
}
