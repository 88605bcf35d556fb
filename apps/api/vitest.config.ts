import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files run in parallel, each against its own database cloned from the template.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
  },
});
