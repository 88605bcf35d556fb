export * from "./route";
export * from "./auth";
export * from "./system";
export * from "./routes";
export * from "./openapi";
export * from "./client";
