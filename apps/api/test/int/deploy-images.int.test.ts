import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRepoFile, REPO_ROOT } from "../deploy-files.ts";
import { freeLoopbackPort } from "../node-red-harness.ts";
import { uniqueSuffix } from "../test-app.ts";
import { TEST_POSTGRES_ADMIN_URL, TEST_REDIS_URL, databaseUrl, runDatabasePrefix } from "../test-env.ts";
import { currentRunId, sharedNodeRed } from "../test-run.ts";

/**
 * The Dockerfiles, checked without a Docker engine: their stages and sources are consistent, every final stage runs
 * as a non-root user, and the API image's content — the `pnpm deploy` copy its build stage makes — migrates a database
 * and serves, started with the image's own commands.
 */

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

const DOCKERFILES = ["apps/api/Dockerfile", "apps/web/Dockerfile", "apps/nodered/Dockerfile"] as const;

function stagesOf(dockerfile: string): Stage[] {
  const stages: Stage[] = [];
  // Continuation lines joined, comments dropped.
  const lines = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) stages.push({ name: from[2] ?? `stage${stages.length}`, from: from[1]!, lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

describe.each(DOCKERFILES)("%s", (file) => {
  let stages: Stage[];

  beforeAll(async () => {
    stages = stagesOf(await readRepoFile(file));
  });

  it("is multi-stage, and its last (default) stage is the runtime", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.at(-1)!.name).toBe("runtime");
  });

  it("copies only from stages it defines and from files of the repository", () => {
    for (const [index, stage] of stages.entries()) {
      for (const line of stage.lines.filter((item) => /^COPY\s/i.test(item))) {
        const parts = line.split(/\s+/).slice(1);
        const fromStage = parts.find((part) => part.startsWith("--from="))?.slice("--from=".length);
        const sources = parts.filter((part) => !part.startsWith("--")).slice(0, -1);
        if (fromStage) {
          expect({ line, defined: stages.slice(0, index).some((earlier) => earlier.name === fromStage) }).toEqual({
            line,
            defined: true,
          });
        } else {
          for (const source of sources)
            expect({ line, source, exists: existsSync(path.join(REPO_ROOT, source)) }).toEqual({
              line,
              source,
              exists: true,
            });
        }
      }
    }
  });

  it("runs its runtime stage as a non-root user", () => {
    const runtime = stages.at(-1)!;
    const user = runtime.lines
      .filter((line) => /^USER\s/i.test(line))
      .at(-1)
      ?.split(/\s+/)[1];
    const isUnprivilegedBase = runtime.from.startsWith("nginxinc/nginx-unprivileged:");
    expect(isUnprivilegedBase || (user !== undefined && !["root", "0"].includes(user))).toBe(true);
  });

  it("pins its base images to a version", () => {
    for (const stage of stages) {
      const image = stage.from.startsWith("${") ? "node:22-bookworm-slim" : stage.from;
      if (stages.some((earlier) => earlier.name === image)) continue;
      expect({ image, tagged: /:[0-9][\w.-]*$/.test(image) || /^node:\d+-/.test(image) }).toEqual({
        image,
        tagged: true,
      });
    }
  });
});

describe("the API image's content (pnpm deploy, as its build stage makes it)", () => {
  let outDir: string;
  const database = `${runDatabasePrefix(currentRunId())}image_${uniqueSuffix()}`;
  const redisPrefix = `status-image-test:${uniqueSuffix()}:`;
  let environment: Record<string, string>;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), "status-api-image-"));
    await rm(outDir, { recursive: true, force: true });
    // As the build stage does: deploy, and the compiled API in dist/ (pnpm deploy leaves git-ignored files out). It is
    // compiled straight into the copy, so that a developer's apps/api/dist is neither used nor replaced.
    const run = promisify(execFile);
    await run(
      path.join(REPO_ROOT, "node_modules/.bin/pnpm"),
      ["--filter", "@status/api", "deploy", "--prod", "--legacy", outDir],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    await run(process.execPath, [path.join(REPO_ROOT, "apps/api/build.mjs"), path.join(outDir, "dist")], {
      cwd: REPO_ROOT,
    });
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const nodeRed = sharedNodeRed();
    environment = {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl(database),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: redisPrefix,
      JWT_SECRET: randomBytes(32).toString("hex"),
      STATUS_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      STATUS_ADMIN_PASSWORD: "an-admin-password-for-the-image-test",
      NODE_RED_URL: nodeRed.baseUrl,
      NODE_RED_SERVICE_USER: nodeRed.user,
      NODE_RED_SERVICE_PASSWORD: nodeRed.password,
      RUN_WORKER: "false",
      SCHEDULER_ENABLED: "false",
      LOG_LEVEL: "warn",
    };
  }, 180_000);

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
    // The sessions and queue keys the API left in the shared Redis.
    const redis = new Redis(TEST_REDIS_URL);
    for (const pattern of [`${redisPrefix}*`, `{${redisPrefix}bull}*`]) {
      const keys = await redis.keys(pattern);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
  });

  it("holds the compiled API and production dependencies only, with the workspace packages copied in", async () => {
    expect(existsSync(path.join(outDir, "src/main.ts"))).toBe(true);
    // What the image runs is JavaScript: the shared contracts are compiled in, no TypeScript is imported.
    for (const entry of ["main", "worker", "worker-healthcheck", "migrate-cli"]) {
      const code = await readFile(path.join(outDir, "dist", `${entry}.js`), "utf8");
      expect(code).not.toMatch(/from "[^"]*\.ts"|@status\/shared/);
    }
    expect(existsSync(path.join(outDir, "migrations/0007_create_reporting_views.sql"))).toBe(true);
    expect(existsSync(path.join(outDir, "node_modules/@status/shared/src/index.ts"))).toBe(true);
    expect(existsSync(path.join(outDir, "node_modules/tsx"))).toBe(true);
    // Dev dependencies of the API (its test tools) are not there.
    expect(existsSync(path.join(outDir, "node_modules/ws"))).toBe(false);
    expect(existsSync(path.join(outDir, "node_modules/@types/express"))).toBe(false);
  });

  it("migrates and then serves with the compose file's command, ready against Postgres, Redis and Node-RED", async () => {
    const port = await freeLoopbackPort();
    const compose = await readRepoFile("docker-compose.prod.yml");
    const command = "node dist/migrate-cli.js && exec node dist/main.js";
    expect(compose).toContain(`command: ["sh", "-c", "${command}"]`);
    expect(await readRepoFile("apps/api/Dockerfile")).toContain('CMD ["node", "dist/main.js"]');

    let output = "";
    const child = spawn("sh", ["-c", command], {
      cwd: outDir,
      env: { ...environment, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const deadline = Date.now() + 60_000;
      let ready: Response | undefined;
      while (Date.now() < deadline && child.exitCode === null) {
        ready = await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`).catch(() => undefined);
        if (ready?.status === 200) break;
        await sleep(250);
      }
      expect({ status: ready?.status, output: ready?.status === 200 ? "" : output }).toEqual({
        status: 200,
        output: "",
      });
      expect(await ready!.json()).toMatchObject({ status: "ready" });
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: environment.STATUS_ADMIN_PASSWORD }),
      });
      expect(login.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
