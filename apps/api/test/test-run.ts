import { inject } from "vitest";
import type { NodeRedCredentials } from "../src/node-red/node-red-client.ts";

declare module "vitest" {
  export interface ProvidedContext {
    testRunId: string;
    /** The run's shared Node-RED (examples + test flows), started by the global setup. */
    nodeRed: NodeRedCredentials;
  }
}

/** The id of the current test run, provided by the global setup (test-env.ts names its databases). */
export function currentRunId(): string {
  return inject("testRunId");
}

/** Where the run's shared Node-RED listens, with its service credential. */
export function sharedNodeRed(): NodeRedCredentials {
  return inject("nodeRed");
}
