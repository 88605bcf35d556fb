import { z } from "zod";
import { defineRoute } from "./route";

export const Health = z.object({ status: z.literal("ok") });
export const Readiness = z.object({
  status: z.enum(["ready", "not_ready"]),
  database: z.enum(["up", "down"]),
  migrations: z.object({ applied: z.number().int(), pending: z.array(z.string()) }),
});

export const systemRoutes = {
  healthz: defineRoute({ method: "get", path: "/healthz", tag: "system", summary: "Process is up", response: Health, access: "public" }),
  readyz: defineRoute({
    method: "get",
    path: "/readyz",
    tag: "system",
    summary: "Database reachable and migrations current (503 otherwise)",
    response: Readiness,
    access: "public",
  }),
} as const;
