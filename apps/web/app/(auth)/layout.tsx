import Link from "next/link";
import { CalendarIcon, LogoMark, PhoneIcon, ShieldIcon } from "@/components/icons";

const highlights = [
  { icon: PhoneIcon, title: "Every call answered", body: "Your AI receptionist picks up day and night, in your clinic's voice." },
  { icon: CalendarIcon, title: "Bookings without double-booking", body: "Appointments land in your calendar, checked against your hours and buffers." },
  { icon: ShieldIcon, title: "Your patients' data stays yours", body: "Each clinic's records are isolated at the database level." },
];

/** Sign-in and sign-up: the form on the right, what Voxanne does on the left (wide screens only). */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="grid min-h-dvh lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)]">
      <aside className="relative hidden overflow-hidden bg-[#1e1b4b] px-12 py-10 text-white lg:flex lg:flex-col">
        <div
          aria-hidden="true"
          className="pointer-events-none absolute inset-0 bg-[radial-gradient(60rem_40rem_at_-10%_-10%,rgba(99,102,241,0.55),transparent_60%),radial-gradient(40rem_30rem_at_110%_110%,rgba(45,212,191,0.25),transparent_60%)]"
        />
        <Link href="/signin" className="relative flex w-fit items-center gap-2.5 rounded-md text-lg font-semibold tracking-tight">
          <LogoMark className="size-8" />
          Voxanne
        </Link>
        <div className="relative mt-auto mb-auto max-w-md pt-16">
          <h2 className="text-3xl leading-tight font-semibold tracking-tight text-balance">The receptionist that never misses a call.</h2>
          <ul className="mt-10 space-y-7">
            {highlights.map(({ icon: Icon, title, body }) => (
              <li key={title} className="flex gap-4">
                <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-white/10 ring-1 ring-white/15">
                  <Icon className="size-5" />
                </span>
                <div>
                  <p className="font-medium">{title}</p>
                  <p className="mt-1 text-sm leading-relaxed text-indigo-100/80">{body}</p>
                </div>
              </li>
            ))}
          </ul>
        </div>
        <p className="relative text-xs text-indigo-100/60">© Voxanne · AI voice receptionist for clinics</p>
      </aside>
      <main className="flex flex-col px-5 py-8 sm:px-10 lg:py-10">
        <Link href="/signin" className="flex w-fit items-center gap-2 rounded-md text-base font-semibold tracking-tight lg:hidden">
          <LogoMark className="size-7" />
          Voxanne
        </Link>
        <div className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center py-10">{children}</div>
      </main>
    </div>
  );
}
