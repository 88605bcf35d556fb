import Link from "next/link";
import { LogoMark } from "@/components/icons";
import { buttonClasses } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-5 text-center">
      <LogoMark className="size-10" />
      <p className="mt-6 text-sm font-semibold text-brand-text">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">We couldn&apos;t find that page</h1>
      <p className="mt-2 text-sm text-fg-muted">The link may be old, or the page may have moved.</p>
      <Link href="/overview" className={buttonClasses({ className: "mt-8" })}>
        Back to the dashboard
      </Link>
    </main>
  );
}
