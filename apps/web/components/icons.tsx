import type { SVGProps } from "react";

type IconProps = SVGProps<SVGSVGElement>;

/** 24×24 outline icons; decorative by default (aria-hidden), size them with className. */
function Icon({ children, ...props }: IconProps & { children: React.ReactNode }) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

export type IconComponent = (props: IconProps) => React.ReactElement;

export const GridIcon: IconComponent = (p) => (
  <Icon {...p}>
    <rect x="3.5" y="3.5" width="7" height="7" rx="1.5" />
    <rect x="13.5" y="3.5" width="7" height="7" rx="1.5" />
    <rect x="3.5" y="13.5" width="7" height="7" rx="1.5" />
    <rect x="13.5" y="13.5" width="7" height="7" rx="1.5" />
  </Icon>
);

export const PhoneIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M5 4h3.5l1.75 4.5-2.25 1.5a11 11 0 0 0 6 6l1.5-2.25L20 15.5V19a1.5 1.5 0 0 1-1.5 1.5A15.5 15.5 0 0 1 3.5 5.5 1.5 1.5 0 0 1 5 4Z" />
  </Icon>
);

export const MenuIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M4 7h16M4 12h16M4 17h16" />
  </Icon>
);

export const CloseIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M6 6l12 12M18 6 6 18" />
  </Icon>
);

export const SignOutIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4" />
    <path d="M10 16l-4-4 4-4M6 12h10" />
  </Icon>
);

export const ChevronDownIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M6 9.5l6 6 6-6" />
  </Icon>
);

export const CheckIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M5 12.5l4.5 4.5L19 7.5" />
  </Icon>
);

export const ClockIcon: IconComponent = (p) => (
  <Icon {...p}>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 7.5V12l3 2" />
  </Icon>
);

export const BuildingIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M4 20.5V5.5A1.5 1.5 0 0 1 5.5 4h8A1.5 1.5 0 0 1 15 5.5v15M15 9.5h3.5A1.5 1.5 0 0 1 20 11v9.5M2.5 20.5h19" />
    <path d="M7.5 8h4M7.5 11.5h4M7.5 15h4" />
  </Icon>
);

export const AlertIcon: IconComponent = (p) => (
  <Icon {...p}>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 7.5v5M12 16h.01" />
  </Icon>
);

export const ShieldIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M12 3.5 5 6v5.5c0 4.25 3 7.75 7 9 4-1.25 7-4.75 7-9V6l-7-2.5Z" />
    <path d="M9 12l2 2 4-4" />
  </Icon>
);

export const CalendarIcon: IconComponent = (p) => (
  <Icon {...p}>
    <rect x="3.5" y="5" width="17" height="15.5" rx="2" />
    <path d="M3.5 9.5h17M8 3v4M16 3v4" />
  </Icon>
);

export const EyeIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12Z" />
    <circle cx="12" cy="12" r="3" />
  </Icon>
);

export const EyeOffIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M4 4l16 16" />
    <path d="M9.9 5.8A9.6 9.6 0 0 1 12 5.5c6 0 9.5 6.5 9.5 6.5a16 16 0 0 1-2.9 3.7M6.6 6.9C3.9 8.7 2.5 12 2.5 12S6 18.5 12 18.5a9.4 9.4 0 0 0 4.4-1.1" />
    <path d="M9.9 9.9a3 3 0 0 0 4.2 4.2" />
  </Icon>
);

export const SparkIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M12 3v4M12 17v4M3 12h4M17 12h4M6.3 6.3l2.5 2.5M15.2 15.2l2.5 2.5M6.3 17.7l2.5-2.5M15.2 8.8l2.5-2.5" />
  </Icon>
);

export const RefreshIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M20 11.5A8 8 0 0 0 5.6 7M4 12.5A8 8 0 0 0 18.4 17" />
    <path d="M5 3.5V7.5h4M19 20.5v-4h-4" />
  </Icon>
);

/** The Voxanne mark: a sound wave in a rounded square. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--brand)" />
      <path d="M9 13v6M13 10v12M17 8v16M21 11v10M25 14v4" stroke="#fff" strokeWidth="2.25" strokeLinecap="round" transform="translate(-1 0)" />
    </svg>
  );
}

export const PhoneIncomingIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M5 4h3.5l1.75 4.5-2.25 1.5a11 11 0 0 0 6 6l1.5-2.25L20 15.5V19a1.5 1.5 0 0 1-1.5 1.5A15.5 15.5 0 0 1 3.5 5.5 1.5 1.5 0 0 1 5 4Z" />
    <path d="M20.5 3.5 15 9M15 5v4h4" />
  </Icon>
);

export const PhoneOutgoingIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M5 4h3.5l1.75 4.5-2.25 1.5a11 11 0 0 0 6 6l1.5-2.25L20 15.5V19a1.5 1.5 0 0 1-1.5 1.5A15.5 15.5 0 0 1 3.5 5.5 1.5 1.5 0 0 1 5 4Z" />
    <path d="M15 9l5.5-5.5M16.5 3.5h4v4" />
  </Icon>
);

export const GlobeIcon: IconComponent = (p) => (
  <Icon {...p}>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M3.5 12h17M12 3.5c2.5 2.6 3.5 5.4 3.5 8.5s-1 5.9-3.5 8.5c-2.5-2.6-3.5-5.4-3.5-8.5s1-5.9 3.5-8.5Z" />
  </Icon>
);

export const SearchIcon: IconComponent = (p) => (
  <Icon {...p}>
    <circle cx="11" cy="11" r="6.5" />
    <path d="m20 20-4.4-4.4" />
  </Icon>
);

export const TrendIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M3.5 17.5 9 12l3.5 3.5 8-8" />
    <path d="M15 7.5h5.5V13" />
  </Icon>
);

export const CurrencyIcon: IconComponent = (p) => (
  <Icon {...p}>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M14.75 9.25c-.4-.9-1.4-1.5-2.75-1.5-1.65 0-2.75.85-2.75 2.1 0 2.9 5.75 1.45 5.75 4.3 0 1.25-1.15 2.1-2.9 2.1-1.4 0-2.5-.6-2.9-1.6M12 6.5v1.25M12 16.25v1.25" />
  </Icon>
);

export const UserIcon: IconComponent = (p) => (
  <Icon {...p}>
    <circle cx="12" cy="8.5" r="3.75" />
    <path d="M4.5 20c.9-3.5 3.9-5.5 7.5-5.5s6.6 2 7.5 5.5" />
  </Icon>
);

export const WaveformIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M4 10v4M8 7v10M12 4v16M16 8v8M20 11v2" />
  </Icon>
);

export const FilterIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M4 6h16M7 12h10M10 18h4" />
  </Icon>
);

export const MessageIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M5.5 5h13A1.5 1.5 0 0 1 20 6.5v8.5a1.5 1.5 0 0 1-1.5 1.5H10l-4.5 3.5v-3.5h0A1.5 1.5 0 0 1 4 15V6.5A1.5 1.5 0 0 1 5.5 5Z" />
  </Icon>
);

export const HeadsetIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M4.5 14v-2a7.5 7.5 0 0 1 15 0v2" />
    <rect x="3.5" y="13.5" width="4" height="6" rx="1.5" />
    <rect x="16.5" y="13.5" width="4" height="6" rx="1.5" />
    <path d="M18.5 19.5c0 1-1.5 1.5-4 1.5h-1.5" />
  </Icon>
);

export const MicIcon: IconComponent = (p) => (
  <Icon {...p}>
    <rect x="9" y="3.5" width="6" height="11" rx="3" />
    <path d="M5.5 11.5a6.5 6.5 0 0 0 13 0M12 18v2.5" />
  </Icon>
);

export const PlusIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M12 5v14M5 12h14" />
  </Icon>
);

export const SlidersIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M4 7h9M17 7h3M4 17h3M11 17h9" />
    <circle cx="15" cy="7" r="2" />
    <circle cx="9" cy="17" r="2" />
  </Icon>
);

export const TagIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M3.5 12.1V4.5a1 1 0 0 1 1-1h7.6a1 1 0 0 1 .7.3l7.9 7.9a1 1 0 0 1 0 1.4l-7.6 7.6a1 1 0 0 1-1.4 0l-7.9-7.9a1 1 0 0 1-.3-.7Z" />
    <circle cx="8" cy="8" r="1.5" />
  </Icon>
);

export const BookIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M4.5 5.5A2 2 0 0 1 6.5 3.5h13v14h-13a2 2 0 0 0-2 2Z" />
    <path d="M4.5 19.5a2 2 0 0 0 2 1h13v-3" />
    <path d="M9 8h6M9 11.5h4" />
  </Icon>
);

export const UploadIcon: IconComponent = (p) => (
  <Icon {...p}>
    <path d="M12 15.5V4m0 0L7.5 8.5M12 4l4.5 4.5" />
    <path d="M4.5 15v3a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2v-3" />
  </Icon>
);
