import { defineConfig } from "vitest/config";

/** Test projects: shared (schemas), api-unit (pure logic), api-int (HTTP against real Postgres/Redis and PGlite), web (jsdom). */
export default defineConfig({
  test: {
    projects: [
      { test: { name: "shared", root: "packages/shared", include: ["src/**/*.test.ts"] } },
      { test: { name: "api-unit", root: "apps/api", include: ["src/**/*.test.ts"], exclude: ["**/*.int.test.ts", "**/node_modules/**"] } },
      {
        test: {
          name: "api-int",
          root: "apps/api",
          include: ["test/**/*.int.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: "web", root: "apps/web", include: ["src/**/*.test.{ts,tsx}"], environment: "jsdom", setupFiles: ["src/testing/setup.ts"] } },
    ],
  },
});
