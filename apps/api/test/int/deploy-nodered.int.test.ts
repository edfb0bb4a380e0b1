import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeRedClient, type NodeRedClient } from "../../src/node-red/node-red-client.ts";
import { REPO_ROOT } from "../deploy-files.ts";
import { freeLoopbackPort } from "../node-red-harness.ts";

/**
 * The nodered image's entry point (apps/nodered/container-start.mjs, its CMD), run from the image's content (the
 * `pnpm deploy` copy of its build stage) as the image runs it, but on loopback: it hashes the shared service password,
 * installs the example mashups on the first start and starts
 * Node-RED with STATUS's settings, which the API's client then uses as it does in compose.
 */

let entry = "";

function run(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  let output = "";
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output, exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))) };
}

describe("the nodered image's entry point", () => {
  let userDir: string;
  let started: ReturnType<typeof run>;
  let client: NodeRedClient;
  const password = "a-shared-service-password";

  let imageDir: string;

  beforeAll(async () => {
    // The image's content: what its build stage copies with `pnpm deploy` (production dependencies only).
    imageDir = await mkdtemp(path.join(os.tmpdir(), "status-nodered-image-content-"));
    await rm(imageDir, { recursive: true, force: true });
    await promisify(execFile)(
      path.join(REPO_ROOT, "node_modules/.bin/pnpm"),
      ["--filter", "@status/nodered", "deploy", "--prod", "--legacy", imageDir],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    entry = path.join(imageDir, "container-start.mjs");
    userDir = await mkdtemp(path.join(os.tmpdir(), "status-nodered-image-"));
    const port = await freeLoopbackPort();
    started = run({
      NODE_RED_SERVICE_PASSWORD: password,
      NODE_RED_CREDENTIAL_SECRET: "a-credential-secret",
      NODE_RED_USER_DIR: userDir,
      NODE_RED_UI_HOST: "127.0.0.1",
      NODE_RED_UI_PORT: String(port),
    });
    client = createNodeRedClient({
      baseUrl: `http://127.0.0.1:${port}`,
      httpRoot: "/api/v1",
      user: "status-service",
      password,
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (started.child.exitCode !== null) throw new Error(`Node-RED exited: ${started.output()}`);
      if (
        await client.ping().then(
          () => true,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error(`Node-RED did not answer in time: ${started.output()}`);
      await sleep(200);
    }
  }, 90_000);

  afterAll(async () => {
    if (started?.child.exitCode === null) {
      started.child.kill("SIGTERM");
      await Promise.race([started.exited, sleep(10_000)]);
      if (started.child.exitCode === null) started.child.kill("SIGKILL");
    }
    if (userDir) await rm(userDir, { recursive: true, force: true });
    if (imageDir) await rm(imageDir, { recursive: true, force: true });
  });

  it("installs the example mashups on the first start and serves them to the API's client", async () => {
    const flows = await client.listFlows();
    const tabs = flows.filter((node) => node.type === "tab").map((node) => node.id);
    const examples = JSON.parse(await readFile(path.join(REPO_ROOT, "apps/nodered/flows/examples.json"), "utf8")) as {
      id: string;
      type: string;
    }[];

    expect(existsSync(path.join(userDir, "flows.json"))).toBe(true);
    expect(tabs.sort()).toEqual(
      examples
        .filter((node) => node.type === "tab")
        .map((node) => node.id)
        .sort(),
    );
  });

  it("runs a mashup behind the service account's basic auth, with the sample data shipped in the image", async () => {
    const window = { from: "2025-03-01T00:00:00.000Z", to: "2025-03-02T00:00:00.000Z" };
    const answer = await client.invokeMashup({
      path: "/nightly-backups-succeeded",
      body: { params: {}, scope: { environment: "*" }, ...window, period: "DAILY" },
      timeoutMs: 10_000,
    });
    const anonymous = await fetch(`${client.baseUrl}/api/v1/nightly-backups-succeeded`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ value: expect.any(Boolean), evidences: expect.any(Array) });
    expect((answer.body as { evidences: unknown[] }).evidences.length).toBeGreaterThan(0);
    expect(anonymous.status).toBe(401);
  });

  it("refuses to start without the service password or the credential secret", async () => {
    const withoutPassword = run({ NODE_RED_CREDENTIAL_SECRET: "x", NODE_RED_USER_DIR: userDir });
    const withoutSecret = run({ NODE_RED_SERVICE_PASSWORD: "x", NODE_RED_USER_DIR: userDir });

    expect(await withoutPassword.exited).toBe(1);
    expect(withoutPassword.output()).toContain("NODE_RED_SERVICE_PASSWORD");
    expect(await withoutSecret.exited).toBe(1);
    expect(withoutSecret.output()).toContain("NODE_RED_CREDENTIAL_SECRET");
  });
});
