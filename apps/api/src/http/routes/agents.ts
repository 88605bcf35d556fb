import { AGENT_OPTIONS, type AgentRole, apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import { createVapiClient, vapiAvailability, vapiCallPlacer } from "../../integrations/vapi/client";
import { getAgent, listAgents, saveAgent } from "../../modules/agents/service";
import { authorizeTestCall } from "../../modules/agents/test-call";
import { mount } from "../route";

/** /api/agents: the Receptionist page. Everyone in the clinic may read; owners and admins change. */
export function createAgentsRouter(deps: Pick<AppDeps, "db" | "clock" | "config" | "jobs">): Router {
  const router = Router();
  const vapi = vapiAvailability(deps.config);
  const placeCall = vapiCallPlacer(createVapiClient(deps.config));
  const role = (params: Record<string, string>) => params.role as AgentRole;

  mount(router, apiRoutes.agents.list, async ({ auth }) => ({
    agents: await deps.db.asUser(auth.claims, (db) => listAgents(db, auth.orgId)),
    options: AGENT_OPTIONS,
    vapi,
  }));
  mount(router, apiRoutes.agents.get, async ({ auth, params }) => ({
    agent: await deps.db.asUser(auth.claims, (db) => getAgent(db, auth.orgId, role(params))),
    options: AGENT_OPTIONS,
    vapi,
  }));
  mount(router, apiRoutes.agents.save, async ({ auth, params, body }) =>
    deps.db.asService(auth.orgId, (db) => saveAgent(db, { jobs: deps.jobs, vapiConfigured: vapi.configured }, auth, role(params), body)),
  );
  mount(router, apiRoutes.agents.testCall, async ({ auth, params, body }) => {
    const target = await deps.db.asService(auth.orgId, (db) => authorizeTestCall(db, placeCall !== null, auth, role(params), body.phone, deps.clock.now()));
    return placeCall!(target);
  });
  return router;
}
