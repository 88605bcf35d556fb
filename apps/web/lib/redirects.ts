export const HOME_PATH = "/overview";

/**
 * Where to go after signing in. Only same-site paths are honoured so a crafted `?next=` link cannot
 * send a freshly signed-in user to another site (or back to the sign-in page).
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return HOME_PATH;
  const path = next.split(/[?#]/)[0] ?? "";
  if (path === "/signin" || path === "/signup" || path === "/api" || path.startsWith("/api/")) return HOME_PATH;
  return next;
}
