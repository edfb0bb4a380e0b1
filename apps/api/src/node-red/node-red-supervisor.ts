import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../logger.ts";
import { forwardOutput, RecentOutput } from "./node-red-output.ts";

export interface SupervisorOptions {
  args: string[];
  env: Record<string, string>;
  log: Logger;
  /** First delay before restarting a crashed child; it doubles per crash in a row, up to maxRestartDelayMs. */
  restartDelayMs: number;
  maxRestartDelayMs: number;
}

export interface Supervisor {
  /** The current child (replaced on every restart). */
  readonly child: ChildProcess;
  readonly restarts: number;
  /** True once the current child said its flows have started (reset on a restart, and while a deploy restarts them). */
  readonly areFlowsStarted: boolean;
  /** Node-RED's last lines, quoted when it fails. */
  readonly recent: RecentOutput;
  /** From now on a crash is restarted (not during the first start, which fails instead). */
  superviseCrashes(): void;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5_000;
// A child that ran this long before crashing had been healthy: the backoff starts over.
const HEALTHY_RUN_MS = 60_000;

/** Runs `node <args>` as a child with the given environment, restarts it with backoff when it crashes, stops it. */
export function superviseChild(options: SupervisorOptions): Supervisor {
  const recent = new RecentOutput();
  let isSupervising = false;
  let isStopping = false;
  let restarts = 0;
  let crashesInARow = 0;
  let areFlowsStarted = false;

  function spawnChild(): ChildProcess {
    const started = Date.now();
    // Its own process group: a Ctrl-C in the terminal reaches the API only, which then stops Node-RED in order
    // (rather than seeing it die and restarting it). The IPC channel still ends it if the API dies.
    const spawned = spawn(process.execPath, options.args, {
      env: options.env,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      detached: true,
    });
    areFlowsStarted = false;
    spawned.on("message", (message: { type?: unknown }) => {
      if (spawned !== child) return;
      if (message.type === "flows-started") areFlowsStarted = true;
      else if (message.type === "flows-starting") areFlowsStarted = false;
    });
    forwardOutput(spawned.stdout!, { log: options.log, recent, isStderr: false });
    forwardOutput(spawned.stderr!, { log: options.log, recent, isStderr: true });
    spawned.once("exit", (code, signal) => {
      if (spawned === child) areFlowsStarted = false;
      if (!isSupervising || isStopping || spawned !== child) return;
      crashesInARow = Date.now() - started > HEALTHY_RUN_MS ? 1 : crashesInARow + 1;
      const delayMs = Math.min(options.restartDelayMs * 2 ** (crashesInARow - 1), options.maxRestartDelayMs);
      options.log.error({ code, signal, restartInMs: delayMs }, "Node-RED exited unexpectedly; restarting it");
      void sleep(delayMs).then(() => {
        if (isStopping) return;
        restarts += 1;
        child = spawnChild();
      });
    });
    return spawned;
  }

  let child = spawnChild();
  return {
    get child() {
      return child;
    },
    get areFlowsStarted() {
      return areFlowsStarted;
    },
    get restarts() {
      return restarts;
    },
    recent,
    superviseCrashes() {
      isSupervising = true;
    },
    async stop() {
      isStopping = true;
      await stopChild(child);
    },
  };
}

/** SIGTERM, then SIGKILL if the child has not exited within a few seconds. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
