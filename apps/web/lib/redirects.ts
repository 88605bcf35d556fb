export const HOME_PATH = "/overview";

/** Any origin will do: it only anchors relative paths so the result can be compared with it. */
const ANCHOR = "http://anchor.invalid";

/**
 * Where to go after signing in. Only a path on this site is honoured, so a crafted `?next=` link
 * cannot send a freshly signed-in user to another site (or back to the sign-in page). Refused,
 * with the home page instead:
 * - anything not starting with exactly one `/` (`//evil.example`, `https:…`, `javascript:…`);
 * - backslashes, whitespace and control characters anywhere: browsers read `\` as `/` and drop tabs
 *   and newlines, so `/\evil.example` and `/<TAB>/evil.example` would become `//evil.example`;
 * - encoded slashes or backslashes in the path (`/%2F%2Fevil.example`, `/%5Cevil.example`), which a
 *   later decode could turn into the same;
 * - paths that normalise to `//…` (`/.//evil.example`), the auth pages and /api.
 * The path is returned as the URL parser normalised it.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return HOME_PATH;
  if (!next.startsWith("/") || next.startsWith("//")) return HOME_PATH;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused here.
  if (/[\\\s\u0000-\u001f\u007f]/.test(next)) return HOME_PATH;
  const rawPath = next.split(/[?#]/)[0] ?? "";
  if (/%(2f|5c)/i.test(rawPath)) return HOME_PATH;
  let url: URL;
  try {
    url = new URL(next, ANCHOR);
  } catch {
    return HOME_PATH;
  }
  if (url.origin !== ANCHOR || url.pathname.startsWith("//")) return HOME_PATH;
  const path = url.pathname.toLowerCase().replace(/\/+$/, "");
  if (path === "/signin" || path === "/signup" || path === "/api" || path.startsWith("/api/")) return HOME_PATH;
  return url.pathname + url.search + url.hash;
}
