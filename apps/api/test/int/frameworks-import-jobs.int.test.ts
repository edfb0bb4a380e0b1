import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ImportJobSchema, ImportResultSchema, type ImportJob } from "@status/shared";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "../../src/engine.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { loadOscal } from "../oscal-fixtures.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";

/**
 * Large imports run as jobs on the queue (issue 16): the LOW baseline (~1 MB) with the threshold set at 100 kB.
 * Progress is observed deterministically by holding the job's row lock once a batch is recorded: the worker's next
 * progress write waits on it, so the job is caught mid-import.
 */
const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const JOB_THRESHOLD = "100000";

function lowCatalog(): Record<string, any> {
  const document = loadOscal("low-catalog");
  document.catalog.metadata.title = `LOW job ${uniqueSuffix()}`;
  return document;
}

/** Waits until the job has recorded progress, then holds its row lock (the worker waits) until `release`. */
async function holdJobMidImport(app: TestApp, jobId: string): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: app.environment.DATABASE_URL });
  await client.connect();
  const deadline = Date.now() + 30_000;
  for (;;) {
    await client.query("begin");
    const { rows } = await client.query<{ status: string; processed: number }>(
      "select status, processed from framework_import_jobs where id = $1 for update",
      [jobId],
    );
    if (rows[0]?.status === "running" && rows[0].processed > 0) break;
    await client.query("commit");
    if (Date.now() > deadline) throw new Error(`job ${jobId} never recorded progress (${JSON.stringify(rows[0])})`);
    await sleep(5);
  }
  return {
    async release() {
      await client.query("commit");
      await client.end();
    },
  };
}

async function waitForJob(
  app: TestApp,
  token: string,
  location: string,
  isDone: (job: ImportJob) => boolean,
  timeoutMs = 30_000,
): Promise<ImportJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request(app, "GET", location, { token });
    expect(response.status).toBe(200);
    const job = ImportJobSchema.parse(response.body);
    if (isDone(job)) return job;
    if (Date.now() > deadline) throw new Error(`job never got there: ${JSON.stringify(job)}`);
    await sleep(50);
  }
}

async function requirementStats(app: TestApp, frameworkId: string): Promise<{ rows: number; keys: number }> {
  const { rows } = await app.deps.db.query<{ rows: number; keys: number }>(
    `select count(*)::int as rows, count(distinct requirement_key)::int as keys from requirements where framework_id = $1`,
    [frameworkId],
  );
  return rows[0]!;
}

describe("framework import jobs (in-process queue)", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({
      engine: { isWorker: true, isScheduler: false },
      env: { FRAMEWORK_IMPORT_JOB_MIN_BYTES: JOB_THRESHOLD, SCHEDULER_ENABLED: "false" },
    });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("runs a large import as a job: 202 with Location, progress mid-import, then the result", async () => {
    const response = await request(app, "POST", "/api/v1/frameworks/import", {
      token: developer.token,
      body: { format: "oscal-catalog", document: lowCatalog() },
    });

    expect(response.status).toBe(202);
    const accepted = ImportJobSchema.parse(response.body);
    const location = response.headers.get("location")!;
    expect(location).toBe(`/api/v1/frameworks/import/jobs/${accepted.id}`);
    expect(accepted.bodyBytes).toBeGreaterThanOrEqual(Number(JOB_THRESHOLD));
    const held = await holdJobMidImport(app, accepted.id);
    let midway: ImportJob;
    try {
      midway = ImportJobSchema.parse((await request(app, "GET", location, { token: developer.token })).body);
    } finally {
      await held.release();
    }
    expect(midway.status).toBe("running");
    expect(midway.total).toBe(149);
    expect(midway.processed).toBeGreaterThan(0);
    expect(midway.processed).toBeLessThan(149);

    const done = await waitForJob(app, developer.token, location, (job) => job.status === "succeeded");
    expect(done.processed).toBe(149);
    expect(done.problem).toBeNull();
    const result = ImportResultSchema.parse(done.result);
    expect(result.counts).toMatchObject({ requirements: 149, topLevel: 131, children: 18, groups: 18, created: 149 });
    expect(await requirementStats(app, result.framework.id)).toEqual({ rows: 149, keys: 149 });
  });

  it("keeps small imports and dry runs of large ones synchronous; async=true forces a job", async () => {
    const basic = loadOscal("basic-catalog");
    basic.catalog.metadata.title = `basic ${uniqueSuffix()}`;
    const small = await request(app, "POST", "/api/v1/frameworks/import", {
      token: developer.token,
      body: { format: "oscal-catalog", document: basic },
    });
    expect(small.status).toBe(201);

    const preview = await request(app, "POST", "/api/v1/frameworks/import?dryRun=true", {
      token: developer.token,
      body: { format: "oscal-catalog", document: lowCatalog() },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.dryRun).toBe(true);

    const forced = await request(app, "POST", "/api/v1/frameworks/import?async=true", {
      token: developer.token,
      body: { format: "oscal-catalog", document: basic },
    });
    expect(forced.status).toBe(202);
    const done = await waitForJob(
      app,
      developer.token,
      forced.headers.get("location")!,
      (job) => job.finishedAt !== null,
    );
    expect(done.status).toBe("succeeded");
    // The same name and version again: updated in place, nothing created.
    expect(done.result?.counts).toMatchObject({ requirements: 4, created: 0, unchanged: 4 });
  });

  it("a refused import fails its job with the problem a synchronous import answers (JSON paths included)", async () => {
    const document = lowCatalog();
    delete document.catalog.uuid;

    const response = await request(app, "POST", "/api/v1/frameworks/import", {
      token: developer.token,
      body: { format: "oscal-catalog", document },
    });
    expect(response.status).toBe(202);

    const failed = await waitForJob(
      app,
      developer.token,
      response.headers.get("location")!,
      (job) => job.finishedAt !== null,
    );
    expect(failed.status).toBe("failed");
    expect(failed.result).toBeNull();
    expect(failed.problem).toMatchObject({ status: 422, code: "oscal_invalid" });
    expect(failed.problem?.errors?.some((issue) => issue.path.includes("$.catalog"))).toBe(true);
    const { rows } = await app.deps.db.query("select 1 from frameworks where name = $1", [
      document.catalog.metadata.title,
    ]);
    expect(rows).toHaveLength(0);
  });

  it("answers 404 for an unknown job and needs DEVELOPER", async () => {
    const reader = await signInAs(app, "USER");
    const missing = await request(app, "GET", "/api/v1/frameworks/import/jobs/00000000-0000-4000-8000-000000000000", {
      token: developer.token,
    });
    expectProblem(missing, 404, "not_found");
    const forbidden = await request(app, "POST", "/api/v1/frameworks/import?async=true", {
      token: reader.token,
      body: { format: "oscal-catalog", document: loadOscal("basic-catalog") },
    });
    expectProblem(forbidden, 403, "forbidden");
  });
});

describe("a framework import job whose worker is killed mid-import", () => {
  let app: TestApp;
  let developer: TestUser;
  const staleAfterMs = "2000";

  beforeAll(async () => {
    app = await startTestApp({
      queue: "bullmq",
      env: {
        FRAMEWORK_IMPORT_JOB_MIN_BYTES: JOB_THRESHOLD,
        SCHEDULER_ENABLED: "false",
        RUN_STALE_AFTER_MS: staleAfterMs,
      },
    });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("is taken back after the lease by another worker and completes once, with no duplicate requirements", async () => {
    const nodeRed = sharedNodeRed();
    const worker = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
      cwd: apiDir,
      env: {
        ...process.env,
        ...app.environment,
        LOG_LEVEL: "silent",
        NODE_ENV: "test",
        SCHEDULER_ENABLED: "false",
        RUN_STALE_AFTER_MS: staleAfterMs,
        NODE_RED_URL: nodeRed.baseUrl,
        NODE_RED_HTTP_ROOT: nodeRed.httpRoot,
        NODE_RED_SERVICE_USER: nodeRed.user,
        NODE_RED_SERVICE_PASSWORD: nodeRed.password,
      },
      stdio: "ignore",
    });
    const exited = once(worker, "exit");
    const document = lowCatalog();
    const response = await request(app, "POST", "/api/v1/frameworks/import", {
      token: developer.token,
      body: { format: "oscal-catalog", document },
    });
    expect(response.status).toBe(202);
    const jobId = ImportJobSchema.parse(response.body).id;

    const held = await holdJobMidImport(app, jobId);
    worker.kill("SIGKILL");
    await exited;
    await held.release();

    const engine = startEngine(app.deps, { isWorker: true, isScheduler: true });
    try {
      const done = await waitForJob(
        app,
        developer.token,
        response.headers.get("location")!,
        (job) => job.finishedAt !== null,
        40_000,
      );
      expect(done.status).toBe("succeeded");
      expect(done.attempts).toBe(2);
      expect(done.processed).toBe(149);
      const result = ImportResultSchema.parse(done.result);
      expect(result.counts).toMatchObject({ requirements: 149, created: 149 });
      expect(await requirementStats(app, result.framework.id)).toEqual({ rows: 149, keys: 149 });
      const { rows } = await app.deps.db.query("select id from frameworks where name = $1", [
        document.catalog.metadata.title,
      ]);
      expect(rows).toHaveLength(1);
    } finally {
      await engine.stop();
    }
  }, 60_000);
});
