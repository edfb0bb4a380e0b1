/**
 * `npm run bench:startup`: how quickly `npm start` serves on the embedded default, and what the API holds at idle.
 *
 *   cold start   dependencies installed, no data directory and no SPA build stamp: builds the SPA, creates the
 *                database, migrates, seeds, starts Node-RED, until /api/v1/health/ready answers 200
 *   warm restart the same again on that data directory, nothing changed
 *   idle RSS     the API process's resident memory (PGlite included; the Node-RED child is a process of its own and
 *                is not counted) BENCH_IDLE_SECONDS after it is ready
 *   baseline     in the same run, the warm restart as `npm start` did it before: pnpm install, SPA build, and the
 *                migrate, seed and serve steps as three processes
 *
 * Targets (2-core machine): warm restart < 8 s, idle RSS < 300 MB. Ratios below 1 meet them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, readlink, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { contentHash, SPA_INPUTS, SPA_STAMP, writeStamp } from "../../../scripts/start-steps.mjs";
import { freeLoopbackPort } from "../src/lib/free-port.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const WARM_TARGET_S = 8;
const RSS_TARGET_MB = 300;

interface Started {
  seconds: number;
  /** The process that serves HTTP (the API), whose RSS is measured. */
  apiPid: number;
  stop(): Promise<void>;
}

async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  return text.split(/\s+/).filter(Boolean).map(Number);
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Spawns `command`, waits until the API answers ready, and finds the API's process among its descendants. */
async function startUntilReady(command: string[], env: Record<string, string>, port: number): Promise<Started> {
  const began = performance.now();
  let output = "";
  const child: ChildProcess = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command.join(" ")} exited:\n${output}`);
    const ready = await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`).catch(() => undefined);
    if (ready?.status === 200) break;
    await sleep(100);
  }
  const seconds = (performance.now() - began) / 1000;
  const apiPid = await findListener(child.pid!, port);
  return {
    seconds,
    apiPid,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid!, "SIGTERM");
      await Promise.race([exited, sleep(15_000)]);
    },
  };
}

/** The descendant of `pid` that listens on `port` (by its sockets' inodes in /proc/net/tcp). */
async function findListener(pid: number, port: number): Promise<number> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const tcp = await readFile("/proc/net/tcp", "utf8");
  const inodes = new Set(
    tcp
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A")
      .map((fields) => fields[9]),
  );
  const queue = [pid];
  while (queue.length > 0) {
    const candidate = queue.shift()!;
    const fds = await readdir(`/proc/${candidate}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(`/proc/${candidate}/fd/${fd}`).catch(() => "");
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode && inodes.has(inode)) return candidate;
    }
    queue.push(...(await childrenOf(candidate)));
  }
  throw new Error(`no process under ${pid} listens on ${port}`);
}

function ratio(value: number, target: number): string {
  return `${(value / target).toFixed(2)}× target`;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), "status-bench-startup-"));
const env = { DATA_DIR: dataDir };
try {
  // Cold: the SPA stamp removed, so the build runs as after a fresh install or a change to the SPA.
  await rm(path.join(ROOT, "apps/web/dist/.source-hash"), { force: true });
  const port = await freeLoopbackPort();
  const cold = await startUntilReady(["node", "scripts/start.mjs"], env, port);
  await cold.stop();

  const warm = await startUntilReady(["node", "scripts/start.mjs"], env, port);
  await sleep(IDLE_SECONDS * 1000);
  const rss = await rssMb(warm.apiPid);
  await warm.stop();

  // The previous `npm start`, on the same (now migrated and seeded) data directory.
  const previous = [
    "npm run bootstrap",
    "node_modules/.bin/pnpm --filter @status/web build",
    "node_modules/.bin/pnpm --filter @status/api migrate",
    "node_modules/.bin/pnpm --filter @status/api seed",
    "exec node_modules/.bin/pnpm --filter @status/api start",
  ].join(" && ");
  const baseline = await startUntilReady(["sh", "-c", previous], env, port);
  await sleep(IDLE_SECONDS * 1000);
  const baselineRss = await rssMb(baseline.apiPid);
  await baseline.stop();
  // The baseline's SPA build emptied dist/, stamp included; the sources are the same, so the stamp goes back.
  await writeStamp(ROOT, SPA_STAMP, await contentHash(ROOT, SPA_INPUTS));

  console.log(`npm start on the embedded default (${os.cpus().length} cores), idle after ${IDLE_SECONDS} s:`);
  console.log(`  cold start after install        ${cold.seconds.toFixed(1)} s`);
  console.log(
    `  warm restart to healthy         ${warm.seconds.toFixed(1)} s   (${ratio(warm.seconds, WARM_TARGET_S)} of < ${WARM_TARGET_S} s)`,
  );
  console.log(
    `  idle API RSS                    ${rss.toFixed(0)} MB   (${ratio(rss, RSS_TARGET_MB)} of < ${RSS_TARGET_MB} MB)`,
  );
  console.log(
    `  baseline warm restart (3 steps) ${baseline.seconds.toFixed(1)} s   (now ${(warm.seconds / baseline.seconds).toFixed(2)}× the baseline)`,
  );
  console.log(
    `  baseline idle API RSS (3 steps) ${baselineRss.toFixed(0)} MB   (now ${(rss / baselineRss).toFixed(2)}× the baseline)`,
  );
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
