import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { NodeRedCredentials } from "./node-red-client.ts";
import { NodeRedPortInUseError, startEmbeddedNodeRed } from "./node-red-process.ts";

export interface OpenNodeRed {
  kind: "embedded" | "external";
  credentials: NodeRedCredentials;
  /** False while the embedded Node-RED (re)starts its flows; an external one is taken as started. */
  areFlowsStarted: () => boolean;
  /** Stops the embedded child; nothing to do for an external Node-RED. */
  close(): Promise<void>;
}

/**
 * Node-RED as configured: the external one at NODE_RED_URL (nothing is spawned), or the embedded default, a child
 * process on a loopback port (NODE_RED_PORT, or a free one chosen at each start) with its flows under
 * $DATA_DIR/node-red. Everything that talks to it (client, editor proxy) takes the address from the credentials.
 */
export async function openNodeRed(config: Config["nodeRed"], log: Logger): Promise<OpenNodeRed> {
  if (config.url) {
    // config.ts refuses NODE_RED_URL without NODE_RED_SERVICE_PASSWORD.
    const credentials = {
      baseUrl: config.url,
      httpRoot: config.httpRoot,
      user: config.serviceUser,
      password: config.servicePassword ?? "",
    };
    return { kind: "external", credentials, areFlowsStarted: () => true, close: async () => {} };
  }
  const started = performance.now();
  const embedded = await startEmbeddedNodeRed({
    userDir: config.userDir,
    port: config.port,
    httpRoot: config.httpRoot,
    serviceUser: config.serviceUser,
    servicePassword: config.servicePassword,
    log,
  }).catch((error: unknown) => {
    // Only a port the admin chose ends up here (a port STATUS chose is retried): name the variable to change.
    if (error instanceof NodeRedPortInUseError)
      throw new Error(
        `NODE_RED_PORT=${error.port}: the embedded Node-RED cannot listen on 127.0.0.1:${error.port}, ` +
          "which another process (another Node-RED or STATUS?) already uses. Set NODE_RED_PORT to a free port, " +
          "or unset it to let STATUS choose one at each start.",
      );
    throw error;
  });
  const port = Number(new URL(embedded.credentials.baseUrl).port);
  log.info(
    { port, userDir: config.userDir, startMs: Math.round(performance.now() - started) },
    "Node-RED (embedded) is ready",
  );
  return {
    kind: "embedded",
    credentials: embedded.credentials,
    areFlowsStarted: () => embedded.areFlowsStarted,
    close: () => embedded.stop(),
  };
}
