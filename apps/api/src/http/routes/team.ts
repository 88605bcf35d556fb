import { isIP } from "node:net";
import { apiRoutes } from "@voxanne/contracts";
import { Router, type Request } from "express";
import type { AppDeps } from "../../deps";
import { createAuthService } from "../../modules/auth/service";
import { acceptInvite, changeRole, getTeam, inviteMember, previewInvite, removeMember, revokeInvite } from "../../modules/team/service";
import { authRateLimits } from "../rate-limit";
import { mount } from "../route";
import { setSessionCookies } from "../session-cookies";

export const requestMeta = (req: Request) => ({ ip: req.ip && isIP(req.ip) ? req.ip : undefined, userAgent: req.get("user-agent") ?? undefined });

/** /api/team (owners and admins) and the invite link's public side (/api/auth/invite/*). */
export function createTeamRouter(deps: Pick<AppDeps, "db" | "clock" | "config" | "auth" | "logger">): Router {
  const router = Router();
  const authService = createAuthService({ db: deps.db, provider: deps.auth, logger: deps.logger });
  const limits = authRateLimits(deps.config);
  const teamDeps = { db: deps.db, clock: deps.clock, auth: deps.auth, config: deps.config };
  const actor = (auth: { userId: string; orgId: string; role: "owner" | "admin" | "staff" }, req: Request) => ({ ...auth, ...requestMeta(req) });

  // Invite tokens are guessed no faster than passwords.
  router.post(apiRoutes.team.previewInvite.path, limits.perIp);
  router.post(apiRoutes.team.acceptInvite.path, limits.perIp);

  mount(router, apiRoutes.team.get, async ({ auth }) => deps.db.asUser(auth.claims, (db) => getTeam(db, auth.orgId, deps.clock.now())));
  mount(router, apiRoutes.team.invite, async ({ auth, body, req }) => inviteMember(teamDeps, actor(auth, req), body));
  mount(router, apiRoutes.team.revokeInvite, async ({ auth, params, req }) => {
    await revokeInvite(teamDeps, actor(auth, req), params.inviteId!);
    return { ok: true as const };
  });
  mount(router, apiRoutes.team.changeRole, async ({ auth, params, body, req }) => changeRole(teamDeps, actor(auth, req), params.userId!, body.role));
  mount(router, apiRoutes.team.removeMember, async ({ auth, params, req }) => {
    await removeMember(teamDeps, actor(auth, req), params.userId!);
    return { ok: true as const };
  });

  mount(router, apiRoutes.team.previewInvite, async ({ body }) => previewInvite(teamDeps, body.token));
  // The new member is signed in straight away (session cookies, as after sign-up).
  mount(router, apiRoutes.team.acceptInvite, async ({ body, req, res }) => {
    const accepted = await acceptInvite(teamDeps, body, requestMeta(req));
    const { session } = await authService.signIn({ email: accepted.email, password: body.password }, requestMeta(req));
    setSessionCookies(res, deps.config, session, deps.clock.now());
    return { email: accepted.email, role: accepted.role, clinicName: accepted.clinicName };
  });
  return router;
}
