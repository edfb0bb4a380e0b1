import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { examplesFlowFile } from "@status/nodered";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { mashupsFromFlows } from "../../src/modules/mashups/flow-tabs.ts";
import { startEmbeddedNodeRed } from "../../src/node-red/node-red-process.ts";
import { freeLoopbackPort, startTestNodeRed, type TestNodeRed } from "../node-red-harness.ts";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The supervisor that runs the embedded Node-RED: first start, restarts, stop, and what the child is given. */
describe("embedded Node-RED supervisor", () => {
  const started: TestNodeRed[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const nodeRed of started.splice(0)) await nodeRed.stop();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "status-node-red-test-"));
    dirs.push(dir);
    return dir;
  }

  async function start(options: Parameters<typeof startTestNodeRed>[0] = {}): Promise<TestNodeRed> {
    const nodeRed = await startTestNodeRed(options);
    started.push(nodeRed);
    return nodeRed;
  }

  it("installs the example mashups on the first start only, and keeps the credential secret across starts", async () => {
    const userDir = await tempDir();

    const first = await start({ userDir, flowFiles: [examplesFlowFile] });
    const firstMashups = mashupsFromFlows(await first.client.listFlows()).map((mashup) => mashup.id);
    const secret = await readFile(path.join(userDir, ".status-credential-secret"), "utf8");
    await first.stop();
    started.pop();
    // What a developer deployed since: one example removed.
    const deployed = JSON.parse(await readFile(path.join(userDir, "flows.json"), "utf8")) as {
      id: string;
      z?: string;
    }[];
    await writeFile(
      path.join(userDir, "flows.json"),
      JSON.stringify(
        deployed.filter((node) => node.id !== "nightly-backups-succeeded" && node.z !== "nightly-backups-succeeded"),
      ),
    );
    const second = await start({ userDir, flowFiles: [examplesFlowFile] });

    expect(firstMashups).toEqual(["nightly-backups-succeeded", "privileged-access-reviewed", "pull-requests-reviewed"]);
    expect(mashupsFromFlows(await second.client.listFlows()).map((mashup) => mashup.id)).toEqual([
      "privileged-access-reviewed",
      "pull-requests-reviewed",
    ]);
    expect(await readFile(path.join(userDir, ".status-credential-secret"), "utf8")).toBe(secret);
    expect((await stat(path.join(userDir, ".status-credential-secret"))).mode & 0o777).toBe(0o600);
  });

  it("restarts Node-RED after it crashes, with the same credentials", async () => {
    const nodeRed = await start();
    const firstPid = nodeRed.process.pid!;
    expect(nodeRed.process.areFlowsStarted).toBe(true);

    process.kill(firstPid, "SIGKILL");
    await expect.poll(() => nodeRed.process.areFlowsStarted, { timeout: 5_000 }).toBe(false);
    await expect.poll(() => nodeRed.process.restarts, { timeout: 10_000 }).toBe(1);
    await nodeRed.process.waitUntilReady(20_000);

    // Ready means the flows have started: the mashup answers at once, never a 404 from a half-started Node-RED.
    expect(nodeRed.process.areFlowsStarted).toBe(true);
    expect(nodeRed.process.pid).not.toBe(firstPid);
    expect(isAlive(firstPid)).toBe(false);
    const response = await nodeRed.client.invokeMashup({ path: "/test/pass", body: {}, timeoutMs: 5000 });
    expect(response.status).toBe(200);
  });

  it("stop() ends the child: SIGTERM, and nothing is restarted", async () => {
    const nodeRed = await start();
    const pid = nodeRed.process.pid!;

    await nodeRed.stop();
    started.pop();

    expect(isAlive(pid)).toBe(false);
    expect(nodeRed.process.pid).toBeUndefined();
    await expect(nodeRed.client.ping()).rejects.toThrow(/unreachable/);
    expect(nodeRed.process.restarts).toBe(0);
  });

  it("gives Node-RED only its own settings in the environment, a generated password and a bcrypt hash of it", async () => {
    const nodeRed = await start();

    const environ = (await readFile(`/proc/${nodeRed.process.pid}/environ`, "utf8")).split("\0").filter(Boolean);
    // NODE_CHANNEL_* are Node's own, for the IPC channel that ends Node-RED with its parent.
    const names = environ
      .map((entry) => entry.slice(0, entry.indexOf("=")))
      .filter((name) => !name.startsWith("NODE_CHANNEL_"));
    expect(names.sort()).toEqual([
      "NODE_RED_CREDENTIAL_SECRET",
      "NODE_RED_HTTP_ROOT",
      "NODE_RED_SERVICE_PASSWORD_HASH",
      "NODE_RED_SERVICE_USER",
      "NODE_RED_UI_HOST",
      "NODE_RED_UI_PORT",
      "NODE_RED_USER_DIR",
      "STATUS_SAMPLE_DATA_DIR",
    ]);
    expect(environ.find((entry) => entry.startsWith("NODE_RED_SERVICE_PASSWORD_HASH="))).toMatch(/=\$2[aby]\$10\$/);
    expect(environ.join("\n")).not.toContain(nodeRed.credentials.password);
    expect(nodeRed.credentials.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("fails fast with Node-RED's last output when it cannot start (port taken)", async () => {
    const port = await freeLoopbackPort();
    // Holds the port, accepts connections and never answers.
    const held: Socket[] = [];
    const blocker: Server = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const startedAt = performance.now();
      const starting = startEmbeddedNodeRed({
        userDir: await tempDir(),
        port,
        httpRoot: "/api/v1",
        serviceUser: "status-service",
        log: createLogger("silent"),
        readyTimeoutMs: 20_000,
      });

      await expect(starting).rejects.toThrow(/Node-RED exited with code 1 while starting[\s\S]*port in use/i);
      expect(performance.now() - startedAt).toBeLessThan(10_000);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("ends with the process that started it, even one killed without warning", async () => {
    const userDir = await tempDir();
    const fixture = path.resolve(import.meta.dirname, "../fixtures/embedded-node-red.ts");
    const parent = spawn(process.execPath, ["--import", "tsx", fixture, userDir], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    const firstLine = await new Promise<string>((resolve) =>
      createInterface({ input: parent.stdout }).once("line", resolve),
    );
    const { pid } = JSON.parse(firstLine) as { pid: number };
    expect(isAlive(pid)).toBe(true);

    parent.kill("SIGKILL");

    await expect.poll(() => isAlive(pid), { timeout: 10_000 }).toBe(false);
  });
});
