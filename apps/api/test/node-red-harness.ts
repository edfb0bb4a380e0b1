import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { examplesFlowFile, testFlowsFile } from "@status/nodered";
import { freeLoopbackPort } from "../src/lib/free-port.ts";
import { createLogger, type Logger } from "../src/logger.ts";
import { createNodeRedClient, type NodeRedClient, type NodeRedCredentials } from "../src/node-red/node-red-client.ts";
import { startEmbeddedNodeRed, type EmbeddedNodeRed } from "../src/node-red/node-red-process.ts";

export interface TestNodeRedOptions {
  /** Flow files installed on first start; default the examples and the test flows. */
  flowFiles?: readonly string[];
  /** Reuse a user directory (e.g. to start twice on the same one); default a new temporary one, removed by stop(). */
  userDir?: string;
  servicePassword?: string;
  /** Restart backoff, short by default so crash tests stay fast. */
  restartDelayMs?: number;
  log?: Logger;
}

export interface TestNodeRed {
  credentials: NodeRedCredentials;
  client: NodeRedClient;
  userDir: string;
  /** The supervisor: pid, restarts, waitUntilReady(). */
  process: EmbeddedNodeRed;
  /** Stops Node-RED and removes the temporary user directory it created. */
  stop(): Promise<void>;
}

export const EXAMPLE_AND_TEST_FLOWS = [examplesFlowFile, testFlowsFile] as const;

/** A free TCP port on loopback (the one the embedded Node-RED uses when NODE_RED_PORT is unset). */
export { freeLoopbackPort };

/**
 * A real Node-RED 4 child, started by the API's own supervisor on a free loopback port with a temporary user
 * directory holding the example mashups and the test flows. The api-int global setup starts one for the whole run;
 * tests of the supervisor itself start their own.
 */
export async function startTestNodeRed(options: TestNodeRedOptions = {}): Promise<TestNodeRed> {
  const isOwnDir = options.userDir === undefined;
  const userDir = options.userDir ?? (await mkdtemp(path.join(os.tmpdir(), "status-node-red-")));
  const embedded = await startEmbeddedNodeRed({
    userDir,
    port: await freeLoopbackPort(),
    httpRoot: "/api/v1",
    serviceUser: "status-service",
    servicePassword: options.servicePassword,
    initialFlowFiles: options.flowFiles ?? EXAMPLE_AND_TEST_FLOWS,
    restartDelayMs: options.restartDelayMs ?? 100,
    log: options.log ?? createLogger("silent"),
  });
  return {
    credentials: embedded.credentials,
    client: createNodeRedClient(embedded.credentials),
    userDir,
    process: embedded,
    async stop() {
      await embedded.stop();
      if (isOwnDir) await rm(userDir, { recursive: true, force: true });
    },
  };
}
