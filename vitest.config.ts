import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Test projects: shared (schemas), verify-pack (the offline verifier's parsing), api-unit (pure logic), api-int (HTTP
 * against real Postgres/Redis and PGlite), web (jsdom), e2e (the built SPA in the system Chromium against the real app,
 * see apps/api/e2e).
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: "shared", root: "packages/shared", include: ["src/**/*.test.ts"] } },
      { test: { name: "verify-pack", root: "packages/verify-pack", include: ["src/**/*.test.ts"] } },
      // Repository-wide checks: the module boundaries of .dependency-cruiser.cjs fail a forbidden import.
      { test: { name: "repo", root: ".", include: ["test/**/*.test.ts"], testTimeout: 60_000 } },
      {
        test: {
          name: "api-unit",
          root: "apps/api",
          include: ["src/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
        },
      },
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
      {
        test: {
          name: "e2e",
          root: "apps/api",
          include: ["e2e/**/*.e2e.test.ts"],
          // The same run-wide database template and Node-RED as api-int, plus one build of the SPA.
          globalSetup: ["test/global-setup.ts", "e2e/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The SPA's `@/` import alias (apps/web/tsconfig.json `paths`, apps/web/vite.config.ts `resolve.alias`).
        resolve: { alias: { "@": fileURLToPath(new URL("./apps/web/src", import.meta.url)) } },
        test: {
          name: "web",
          root: "apps/web",
          include: ["src/**/*.test.{ts,tsx}"],
          environment: "jsdom",
          setupFiles: ["src/testing/setup.ts"],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
