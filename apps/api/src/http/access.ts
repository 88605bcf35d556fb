import { needsSession, type Role, type RouteAccess } from "@voxanne/contracts";
import type { Request } from "express";
import { HttpError, unauthorized } from "./errors";

const ROLE_PHRASE: Record<Role, string> = { owner: "the clinic's owner", admin: "an admin", staff: "a staff member" };
const ROLE_NAME: Record<Role, string> = { owner: "owner", admin: "an admin", staff: "staff" };

function joinOr(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} or ${parts.at(-1)}`;
}

/** `use "Transfer ownership"` from the summary, for routes without an `action` phrase. */
function actionOf(route: { summary: string; action?: string }): string {
  if (route.action) return route.action;
  const first = route.summary.split(/[:;.]/)[0]!.trim();
  return `use "${first}"`;
}

/**
 * The sentence a member reads when their role may not use a route: who can, what they are, and
 * who to ask. Owners and admins manage the team; only the owner can hand over ownership.
 */
export function roleRefusalMessage(allowed: readonly Role[], role: Role, route: { summary: string; action?: string }): string {
  const who = joinOr(allowed.map((r) => ROLE_PHRASE[r]));
  const refused = `Only ${who} can ${actionOf(route)}. You are signed in as ${ROLE_NAME[role]}:`;
  // Owner-only work (ownership, closing the clinic) is not delegated by a role change.
  if (!allowed.includes("admin") && !allowed.includes("staff")) return `${refused} ask your clinic's owner to do it for you.`;
  const lowest = allowed.includes("staff") ? "staff" : "admin";
  return `${refused} ask your clinic's owner or an admin to do it for you, or to give you the ${lowest} role.`;
}

export const OPERATOR_ONLY_MESSAGE =
  "Only Voxanne platform operators can use this. It is not part of the clinic dashboard; contact Voxanne support if you need it done.";

/**
 * The refusal for a request to a route with `access`, or null when it may go on: 401 without a
 * valid session, 403 for a role (or a non-operator) the route does not allow. `mount()` calls it;
 * a route served without `mount()` (a file download, a stream) must call it itself.
 */
export function accessRefusal(route: { access: RouteAccess; summary: string; action?: string }, req: Pick<Request, "auth" | "authError">): Error | null {
  const { access } = route;
  if (!needsSession(access)) return null;
  if (!req.auth) return req.authError ?? unauthorized();
  if (access === "operator") return req.auth.operator ? null : new HttpError(403, "operator_only", OPERATOR_ONLY_MESSAGE);
  return access.includes(req.auth.role) ? null : new HttpError(403, "role_not_allowed", roleRefusalMessage(access, req.auth.role, route));
}
