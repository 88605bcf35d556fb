import { AppShell } from "@/components/shell/app-shell";
import { ToastProvider } from "@/components/ui/toast";
import { SessionProvider } from "@/lib/session";

/**
 * Every signed-in page. proxy.ts already sent visitors without a session cookie to /signin; the
 * session itself is loaded (and renewed, or ended) in the browser by SessionProvider.
 */
export default function DashboardLayout({ children }: { children: React.ReactNode }) {
  return (
    <ToastProvider>
      <SessionProvider>
        <AppShell>{children}</AppShell>
      </SessionProvider>
    </ToastProvider>
  );
}
