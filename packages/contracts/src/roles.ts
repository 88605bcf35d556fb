import { z } from "zod";

/** A member's role in their clinic (`profiles.role`). What each may do: docs/SECURITY.md § Roles. */
export const ROLES = ["owner", "admin", "staff"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/**
 * Who may call a route. Every route declares it (the field is required), so a new endpoint
 * cannot be reachable by every member by accident:
 * - `"public"`: no session needed (sign-up, sign-in, health);
 * - `"webhook"`: a provider's webhook, authenticated by its own secret or signature, never a session;
 * - a non-empty list of roles: a signed-in clinic member with one of them (403 for the others);
 * - `"operator"`: a signed-in Voxanne platform operator (`app_metadata.operator`), whatever their clinic role.
 */
export type RouteAccess = "public" | "webhook" | "operator" | readonly [Role, ...Role[]];

/** True when the route needs a signed-in session (a role list or "operator"). */
export function needsSession(access: RouteAccess): access is "operator" | readonly [Role, ...Role[]] {
  return access !== "public" && access !== "webhook";
}
