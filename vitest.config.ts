import { defineConfig } from "vitest/config";

// One runner for the whole monorepo: unit tests sit beside the code, cross-package and HTTP
// tests live in test/. Two workers match the two cores of the target machine.
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/api/src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.next/**"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { DOTENV_CONFIG_QUIET: "true" },
  },
});
