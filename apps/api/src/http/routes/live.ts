import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { LIVE_PATH } from "../../ws/live-hub";
import { issueTicket, TICKET_TTL_SECONDS } from "../../ws/tickets";
import { mount } from "../route";

/** POST /api/ws/ticket: trade the session for a single-use live-feed ticket. */
export function createLiveRouter(deps: Pick<AppDeps, "db" | "clock">): Router {
  const router = Router();
  mount(router, apiRoutes.live.ticket, async ({ auth }) => {
    const { ticket, expiresAt } = await issueTicket(deps.db, auth, deps.clock.now());
    return { ticket, expiresAt: expiresAt.toISOString(), expiresInSeconds: TICKET_TTL_SECONDS, path: LIVE_PATH };
  });
  return router;
}
