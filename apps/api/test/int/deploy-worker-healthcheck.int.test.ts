import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";

/**
 * The worker service's container health check (src/worker-healthcheck.ts), run as compose runs it: compiled, as
 * `node dist/worker-healthcheck.js` (here from a directory of its own, so a developer's dist/ is left alone).
 */

const API_ROOT = path.resolve(import.meta.dirname, "../..");
let compiled: string;

beforeAll(async () => {
  compiled = await mkdtemp(path.join(API_ROOT, ".test-dist-"));
  await promisify(execFile)(process.execPath, ["build.mjs", compiled], { cwd: API_ROOT });
  const compose = await readFile(path.join(API_ROOT, "../../docker-compose.prod.yml"), "utf8");
  expect(compose).toContain('test: ["CMD", "node", "dist/worker-healthcheck.js"]');
}, 60_000);
afterAll(() => rm(compiled, { recursive: true, force: true }));

async function healthcheck(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, [path.join(compiled, "worker-healthcheck.js")], {
      cwd: API_ROOT,
      env: { PATH: process.env.PATH ?? "", ...env },
      timeout: 30_000,
    });
    return { code: 0, stderr: "" };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? "" };
  }
}

describe("the worker's health check", () => {
  let app: TestApp;
  let environment: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp();
    const nodeRed = sharedNodeRed();
    environment = {
      ...app.environment,
      NODE_ENV: "production",
      STATUS_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      NODE_RED_URL: nodeRed.baseUrl,
      NODE_RED_SERVICE_USER: nodeRed.user,
      NODE_RED_SERVICE_PASSWORD: nodeRed.password,
      LOG_LEVEL: "silent",
    };
  });
  afterAll(() => app?.close());

  it("passes when Postgres, Redis and Node-RED answer", async () => {
    expect(await healthcheck(environment)).toEqual({ code: 0, stderr: "" });
  });

  it("fails, naming the dependency, when Node-RED does not answer", async () => {
    const result = await healthcheck({ ...environment, NODE_RED_URL: "http://127.0.0.1:9" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("node-red is down");
  });

  it("fails without the worker's settings", async () => {
    const { REDIS_URL: _redis, ...withoutRedis } = environment;
    const result = await healthcheck(withoutRedis);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("REDIS_URL");
  });
});
