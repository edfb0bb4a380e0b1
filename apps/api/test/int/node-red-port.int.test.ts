import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Role } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { createNodeRedClient } from "../../src/node-red/node-red-client.ts";
import { openNodeRed, type OpenNodeRed } from "../../src/node-red/open-node-red.ts";
import { browserRequest, CookieJar } from "../cookie-jar.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { buildUser } from "../user-factory.ts";

/**
 * The embedded Node-RED's port: a free loopback port chosen at each start unless NODE_RED_PORT is set, so two STATUS
 * instances, or STATUS beside a Node-RED on 1880, both start; a taken NODE_RED_PORT is an error naming the variable.
 */
const dirs: string[] = [];
const opened: OpenNodeRed[] = [];
const log = createLogger("silent");

async function nodeRedConfig(env: Record<string, string> = {}): Promise<Config["nodeRed"]> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "status-node-red-port-"));
  dirs.push(dataDir);
  return loadConfig({ DATA_DIR: dataDir, ...env }).nodeRed;
}

async function open(config: Config["nodeRed"]): Promise<OpenNodeRed> {
  const nodeRed = await openNodeRed(config, log);
  opened.push(nodeRed);
  return nodeRed;
}

function portOf(nodeRed: OpenNodeRed): number {
  return Number(new URL(nodeRed.credentials.baseUrl).port);
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Another process on 127.0.0.1:1880, as a Node-RED the user already runs; undefined if something already holds it. */
async function holdPort1880(): Promise<ChildProcess | undefined> {
  const script = `require("node:net").createServer().listen(1880, "127.0.0.1", () => console.log("listening"))`;
  const holder = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  const outcome = await Promise.race([
    once(holder.stdout, "data").then(() => "listening" as const),
    once(holder, "exit").then(() => "exited" as const),
  ]);
  return outcome === "listening" ? holder : undefined;
}

afterAll(async () => {
  await Promise.all(opened.map((nodeRed) => nodeRed.close()));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("the embedded Node-RED's port", () => {
  it("is unset by default, and NODE_RED_PORT sets it", () => {
    expect(loadConfig({}).nodeRed.port).toBeUndefined();
    expect(loadConfig({ NODE_RED_PORT: "" }).nodeRed.port).toBeUndefined();
    expect(loadConfig({ NODE_RED_PORT: "18801" }).nodeRed.port).toBe(18801);
  });

  it("lets two instances run side by side, each on a free port of its own", async () => {
    const [first, second] = await Promise.all([open(await nodeRedConfig()), open(await nodeRedConfig())]);

    expect(portOf(first)).not.toBe(portOf(second));
    await expect(createNodeRedClient(first.credentials).ping()).resolves.not.toThrow();
    await expect(createNodeRedClient(second.credentials).ping()).resolves.not.toThrow();
  });

  describe("beside another process holding 1880", () => {
    let holder: ChildProcess | undefined;
    beforeAll(async () => {
      holder = await holdPort1880();
      // Whoever holds it (this test's holder or a Node-RED already on the machine), 1880 is taken from here on.
      expect(await isListening(1880)).toBe(true);
    });
    afterAll(() => {
      holder?.kill();
    });

    it("starts on another port", async () => {
      const nodeRed = await open(await nodeRedConfig());

      expect(portOf(nodeRed)).not.toBe(1880);
      await expect(createNodeRedClient(nodeRed.credentials).ping()).resolves.not.toThrow();
    });

    it("refuses NODE_RED_PORT=1880 with an error that names the variable", async () => {
      const config = await nodeRedConfig({ NODE_RED_PORT: "1880" });

      await expect(open(config)).rejects.toThrow(
        /^NODE_RED_PORT=1880: the embedded Node-RED cannot listen on 127\.0\.0\.1:1880, .*Set NODE_RED_PORT to a free port/,
      );
    });
  });
});

describe("the Node-RED editor proxy on a chosen port", () => {
  let app: TestApp;
  let nodeRed: OpenNodeRed;
  beforeAll(async () => {
    nodeRed = await open(await nodeRedConfig());
    app = await startTestApp({ nodeRed: createNodeRedClient(nodeRed.credentials) });
  });
  afterAll(() => app?.close());

  it("forwards /node-red/ to the port Node-RED was given", async () => {
    const role: Role = "DEVELOPER";
    const user = await buildUser(app, { role });
    const jar = new CookieJar();
    await browserRequest(app, jar, "POST", "/api/v1/auth/login", {
      body: { username: user.username, password: user.password, session: "cookie" },
    });

    // The hand-off's token is issued by this instance alone: the run's shared Node-RED (or one on 1880) refuses it.
    const token = await editorToken(app, jar);
    const response = await browserRequest(app, jar, "GET", "/node-red/flows", {
      headers: { authorization: `Bearer ${token}` },
    });
    const direct = await fetch(`${nodeRed.credentials.baseUrl}/flows`, {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(portOf(nodeRed)).not.toBe(1880);
    expect(response.status).toBe(200);
    expect(direct.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual(await direct.json());
  });
});

async function editorToken(app: TestApp, jar: CookieJar): Promise<string> {
  const response = await browserRequest(app, jar, "GET", "/api/v1/mashups/editor");
  const token = /access_token=([^#&]+)/.exec(response.headers.get("location") ?? "")?.[1];
  if (response.status !== 302 || !token) throw new Error(`no editor token: ${response.status} ${response.text}`);
  return token;
}
