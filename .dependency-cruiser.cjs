/**
 * Import boundaries (`npm run lint`). The layering is described in docs/ARCHITECTURE.md:
 * modules/ hold domain rules and never reach out to an edge (HTTP, provider integrations);
 * lib/ is leaf utilities; nothing imports in a circle, not even types.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "An import cycle (types included) means two files each need the other: move the shared part into one of them or a third file.",
      from: {},
      to: { circular: true },
    },
    {
      name: "modules-stay-domain",
      severity: "error",
      comment:
        "modules/ is domain logic: it must not import the HTTP edge (http/), provider code (integrations/) or webhooks. Pass what a service needs as arguments instead. The one exception is a provider's credential schema (integrations/<provider>/credentials.ts, plain zod), which the credential vault validates payloads with.",
      from: { path: "^apps/api/src/modules/" },
      to: {
        path: "^apps/api/src/(webhooks|integrations|http|demo|simulator|cli|jobs)/|^apps/api/src/(app|server)\\.ts$",
        pathNot: "^apps/api/src/integrations/[^/]+/credentials\\.ts$",
      },
    },
    {
      name: "lib-is-a-leaf",
      severity: "error",
      comment: "lib/ holds small utilities used everywhere; it must not depend on the app's layers.",
      from: { path: "^apps/api/src/lib/" },
      to: { path: "^apps/api/src/(modules|integrations|http|ws|jobs|demo|simulator|cli)/" },
    },
    {
      name: "integrations-do-not-use-the-http-edge",
      severity: "error",
      comment: "A provider integration is called by modules' callers and jobs; it must not depend on the dashboard's HTTP layer (http/).",
      from: { path: "^apps/api/src/integrations/" },
      to: { path: "^apps/api/src/http/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|\\.next|\\.data)/" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".json"],
    },
  },
};
