import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    testRunId: string;
  }
}

/** The id of the current test run, provided by the global setup (test-env.ts names its databases). */
export function currentRunId(): string {
  return inject("testRunId");
}
