import { AppShell } from "@/components/shell/app-shell";
import { ToastProvider } from "@/components/ui/toast";
import { LiveProvider } from "@/lib/live";
import { QueryProvider } from "@/lib/query-provider";
import { SessionProvider } from "@/lib/session";

/**
 * Every signed-in page. proxy.ts already sent visitors without a session cookie to /signin; the
 * session itself is loaded (and renewed, or ended) in the browser by SessionProvider. QueryProvider
 * holds the cache every page fetches through (lib/query.ts); LiveProvider holds the one /ws
 * live-feed connection that pages subscribe to, and marks cached answers stale as events arrive.
 */
export default function DashboardLayout({ children }: { children: React.ReactNode }) {
  return (
    <ToastProvider>
      <QueryProvider>
        <SessionProvider>
          <LiveProvider>
            <AppShell>{children}</AppShell>
          </LiveProvider>
        </SessionProvider>
      </QueryProvider>
    </ToastProvider>
  );
}
