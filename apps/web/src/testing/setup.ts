import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterAll, afterEach, beforeAll } from "vitest";
import { clearCookies } from "./cookies.ts";
import { server } from "./server.ts";

// Route modules are lazy and transformed on first import, which can take a moment in a cold run.
// Generous: in CI the web tests share two cores with the API suites, and typing-heavy tests run slowly there.
configure({ asyncUtilTimeout: 10_000 });

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));

afterEach(() => {
  cleanup();
  server.resetHandlers();
  if (typeof document !== "undefined") {
    clearCookies();
    localStorage.clear();
    document.documentElement.className = "";
  }
});

afterAll(() => server.close());
