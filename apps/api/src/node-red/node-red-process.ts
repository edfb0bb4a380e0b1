import { setTimeout as sleep } from "node:timers/promises";
import { examplesFlowFile, nodeRedEntry, parentWatchFile, sampleDataDir, settingsFile } from "@status/nodered";
import { freeLoopbackPort } from "../lib/free-port.ts";
import type { Logger } from "../logger.ts";
import { createNodeRedClient, type NodeRedClient, type NodeRedCredentials } from "./node-red-client.ts";
import { superviseChild, type Supervisor } from "./node-red-supervisor.ts";
import {
  generateServicePassword,
  hashServicePassword,
  installInitialFlows,
  loadCredentialSecret,
  prepareUserDir,
} from "./node-red-user-dir.ts";

export interface EmbeddedNodeRedOptions {
  userDir: string;
  /** Its loopback port; unset: a free one chosen now (and another if that one is taken before Node-RED binds it). */
  port?: number | undefined;
  /** Where http-in nodes are served (httpNodeRoot), e.g. `/api/v1`. */
  httpRoot: string;
  serviceUser: string;
  /** Unset: a random one for this start. */
  servicePassword?: string | undefined;
  /** Merged into flows.json when the user directory has none; default: the example mashups. */
  initialFlowFiles?: readonly string[];
  sampleDataDir?: string;
  readyTimeoutMs?: number;
  /** First delay before restarting a crashed Node-RED; it doubles per crash in a row, up to maxRestartDelayMs. */
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
  log: Logger;
}

export interface EmbeddedNodeRed {
  readonly credentials: NodeRedCredentials;
  /** The running child's process id (changes on every restart). */
  readonly pid: number | undefined;
  /** How often Node-RED was restarted after crashing. */
  readonly restarts: number;
  /** True while the current child's flows are started, so its mashups answer (not during a start or a deploy). */
  readonly areFlowsStarted: boolean;
  /** Resolves once the current child answers its admin API and has started its flows (after a restart, say). */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. Crashes are no longer restarted. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
// A chosen free port can be taken by someone else before Node-RED binds it; that rare race gets a few more tries.
const PORT_CHOICE_ATTEMPTS = 3;
const READY_POLL_MS = 150;
const DEFAULT_READY_TIMEOUT_MS = 60_000;

/** The port Node-RED was asked to listen on is held by another process (Node-RED said "port in use" and exited). */
export class NodeRedPortInUseError extends Error {
  constructor(
    readonly port: number,
    message: string,
  ) {
    super(message);
    this.name = "NodeRedPortInUseError";
  }
}

/**
 * Starts Node-RED 4 as a child process of the API (the embedded default) and keeps it running: installs the example
 * mashups on the first start, waits until it answers with the service credential, restarts it with backoff when it
 * crashes, and stops it on shutdown.
 */
export async function startEmbeddedNodeRed(options: EmbeddedNodeRedOptions): Promise<EmbeddedNodeRed> {
  if (options.port !== undefined) return startOnPort(options, options.port);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnPort(options, await freeLoopbackPort());
    } catch (error) {
      if (!(error instanceof NodeRedPortInUseError) || attempt >= PORT_CHOICE_ATTEMPTS) throw error;
      options.log.warn({ port: error.port }, "Node-RED: the free port chosen was taken meanwhile; choosing another");
    }
  }
}

async function startOnPort(options: EmbeddedNodeRedOptions, port: number): Promise<EmbeddedNodeRed> {
  await prepareUserDir(options.userDir);
  const password = options.servicePassword ?? generateServicePassword();
  const env = await childEnvironment(options, port, password);
  if (await installInitialFlows(options.userDir, options.initialFlowFiles ?? [examplesFlowFile])) {
    options.log.info({ userDir: options.userDir }, "Node-RED: installed the example mashups (first start)");
  }
  const credentials: NodeRedCredentials = {
    baseUrl: `http://${HOST}:${port}`,
    httpRoot: options.httpRoot,
    user: options.serviceUser,
    password,
  };
  const client = createNodeRedClient(credentials);
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const supervisor = superviseChild({
    args: [
      "--require",
      parentWatchFile,
      nodeRedEntry,
      "--settings",
      settingsFile,
      "--userDir",
      options.userDir,
      "--port",
      String(port),
    ],
    env,
    log: options.log,
    restartDelayMs: options.restartDelayMs ?? 1_000,
    maxRestartDelayMs: options.maxRestartDelayMs ?? 30_000,
  });
  try {
    await waitForFirstStart(supervisor, client, readyTimeoutMs, port);
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
  supervisor.superviseCrashes();
  let isStopped = false;
  return {
    credentials,
    get pid() {
      return supervisor.child.exitCode === null ? supervisor.child.pid : undefined;
    },
    get restarts() {
      return supervisor.restarts;
    },
    get areFlowsStarted() {
      return supervisor.areFlowsStarted;
    },
    waitUntilReady: (timeoutMs = readyTimeoutMs) =>
      waitUntilAnswering(
        client,
        timeoutMs,
        () => !isStopped,
        () => supervisor.areFlowsStarted,
      ),
    async stop() {
      isStopped = true;
      await supervisor.stop();
    },
  };
}

/** Only what settings.cjs needs: flows can read the environment (env.get), so the API's own secrets stay out of it. */
async function childEnvironment(
  options: EmbeddedNodeRedOptions,
  port: number,
  password: string,
): Promise<Record<string, string>> {
  const [credentialSecret, passwordHash] = await Promise.all([
    loadCredentialSecret(options.userDir),
    hashServicePassword(password),
  ]);
  return {
    NODE_RED_SERVICE_USER: options.serviceUser,
    NODE_RED_SERVICE_PASSWORD_HASH: passwordHash,
    NODE_RED_CREDENTIAL_SECRET: credentialSecret,
    NODE_RED_HTTP_ROOT: options.httpRoot,
    NODE_RED_UI_HOST: HOST,
    NODE_RED_UI_PORT: String(port),
    NODE_RED_USER_DIR: options.userDir,
    STATUS_SAMPLE_DATA_DIR: options.sampleDataDir ?? sampleDataDir,
  };
}

/** The first start fails fast, with Node-RED's last words, rather than being retried (a port in use, bad settings…). */
async function waitForFirstStart(
  supervisor: Supervisor,
  client: NodeRedClient,
  timeoutMs: number,
  port: number,
): Promise<void> {
  const { child, recent } = supervisor;
  let exit: string | undefined;
  const exited = new Promise<boolean>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = `exited with ${signal ?? `code ${code}`}`;
      resolve(false);
    });
  });
  // A ping can hang on whatever holds the port, so the child's exit ends the wait at once.
  const answered = waitUntilAnswering(
    client,
    timeoutMs,
    () => exit === undefined,
    () => supervisor.areFlowsStarted,
  ).then(
    () => true,
    () => false,
  );
  if (await Promise.race([answered, exited])) return;
  const reason = exit ?? `did not answer within ${Math.round(timeoutMs / 1000)} s`;
  const message = `Node-RED ${reason} while starting. Its last output:\n${recent.toString()}`;
  // Node-RED's own words for EADDRINUSE; the caller chooses another port or names the variable that set this one.
  if (exit !== undefined && /port in use|EADDRINUSE/i.test(recent.toString()))
    throw new NodeRedPortInUseError(port, message);
  throw new Error(message);
}

/** Until the admin API answers and the flows have started (their HTTP-in nodes then answer too). */
async function waitUntilAnswering(
  client: NodeRedClient,
  timeoutMs: number,
  shouldKeepWaiting: () => boolean,
  areFlowsStarted: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline && shouldKeepWaiting()) {
    try {
      await client.ping();
      if (!areFlowsStarted()) throw new Error("its flows are not started yet");
      return;
    } catch (error) {
      lastError = error;
      await sleep(READY_POLL_MS);
    }
  }
  throw new Error(`Node-RED is not answering: ${(lastError as Error | undefined)?.message ?? "stopped"}`);
}
