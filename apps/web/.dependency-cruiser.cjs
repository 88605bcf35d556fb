/**
 * The dashboard's import rules (`npm run lint` runs this from apps/web so the `@/` alias resolves
 * through tsconfig.json): no cycles, and the API is reached only through packages/contracts.
 */
const root = require("../../.dependency-cruiser.cjs");

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    root.forbidden.find((rule) => rule.name === "no-cycles"),
    {
      name: "web-talks-through-contracts",
      severity: "error",
      comment: "The dashboard reaches the API only through packages/contracts (typed client, schemas, live events).",
      from: {},
      to: { path: "(^|/)apps/api/|^\\.\\./api/" },
    },
  ],
  options: { ...root.options, tsConfig: { fileName: "tsconfig.json" } },
};
