import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ChainVerificationSchema } from "@status/shared";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, runMigrations } from "../../src/db/migrate.ts";
import { createLogger } from "../../src/logger.ts";
import { createRunProcessor } from "../../src/modules/evaluation/index.ts";
import { writeAsPreviousRelease, type PreviousReleaseData } from "../fixtures/previous-release.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";
import { databaseUrl, runDatabasePrefix, TEST_POSTGRES_ADMIN_URL } from "../test-env.ts";
import { currentRunId } from "../test-run.ts";

/** The first migration of control versions: everything before it is the previous release's schema. */
const FIRST_VERSIONED_MIGRATION = "0015";
const log = createLogger("silent");

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

describe("upgrading a database of the release before control versions", () => {
  const name = `${runDatabasePrefix(currentRunId())}upgrade_${uniqueSuffix()}`;
  let pool: pg.Pool;
  let before: PreviousReleaseData;
  let applied: string[];
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    await adminQuery(`create database ${name}`);
    pool = new pg.Pool({ connectionString: databaseUrl(name) });
    // pool.end() resolves once its clients are told to close, not once they have: the FORCE drop in afterAll can
    // terminate one still closing, and the pool re-emits that as an error, uncaught without a listener.
    pool.on("error", () => undefined);
    // The previous release's schema: every migration before the versioned ones, from a directory holding only those.
    const previous = await mkdtemp(path.join(os.tmpdir(), "status-previous-migrations-"));
    try {
      for (const file of await readdir(MIGRATIONS_DIR))
        if (file < FIRST_VERSIONED_MIGRATION)
          await copyFile(path.join(MIGRATIONS_DIR, file), path.join(previous, file));
      await runMigrations(pool, log, previous);
    } finally {
      await rm(previous, { recursive: true, force: true });
    }
    before = await writeAsPreviousRelease(pool, { firstDay: "2025-03-01T00:00:00.000Z", days: 3 });
    applied = await runMigrations(pool, log);
    app = await startTestApp({ database: { url: databaseUrl(name) } });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await adminQuery(`drop database if exists ${name} with (force)`);
  });

  it("applies the versioned migrations and records version 1 of the finalized control as it stood", async () => {
    expect(applied.some((file) => file.startsWith(FIRST_VERSIONED_MIGRATION))).toBe(true);
    const control = (await request(app, "GET", `/api/v1/controls/${before.controlId}`, { token: developer.token }))
      .body;
    expect(control.version).toBe(1);
    const versions = (
      await request(app, "GET", `/api/v1/controls/${before.controlId}/versions`, { token: developer.token })
    ).body.items;
    expect(versions).toEqual([
      expect.objectContaining({
        version: 1,
        mashupId: "test-pass",
        params: { since: "before versions" },
        threshold: 80,
        effectiveFrom: null,
        createdById: null,
        reason: "Recorded when control versions were introduced: the control as it stood then",
        pointCount: 0,
      }),
    ]);
    // The old points keep what they were: scheme 1, no version (they may have been computed under other settings).
    const points = await pool.query("select hash_scheme, control_version from points where control_id = $1", [
      before.controlId,
    ]);
    expect(points.rows).toEqual(Array(3).fill({ hash_scheme: 1, control_version: null }));
  });

  it("appends scheme-2 points after them, and verifies the mixed chain", async () => {
    // The run the previous release left queued is evaluated now, under version 1 (its window's), as scheme 2.
    await createRunProcessor(app.deps).process(before.queuedRunId);

    const verification = ChainVerificationSchema.parse(
      (await request(app, "GET", `/api/v1/controls/${before.controlId}/points/verify`, { token: developer.token }))
        .body,
    );

    expect(verification).toMatchObject({
      isIntact: true,
      pointCount: 4,
      pointsByHashScheme: { 1: 3, 2: 1 },
      versionCount: 1,
    });
    const newest = await pool.query(
      "select hash_scheme, control_version, window_start from points where control_id = $1 order by seq desc limit 1",
      [before.controlId],
    );
    expect(newest.rows[0]).toEqual({ hash_scheme: 2, control_version: 1, window_start: "2025-03-04T00:00:00.000Z" });
  });

  it("still detects an edited scheme-1 point", async () => {
    await pool.query("update points set threshold = 10 where id = $1", [before.pointIds[1]]);
    expect(
      (await request(app, "GET", `/api/v1/controls/${before.controlId}/points/verify`, { token: developer.token }))
        .body,
    ).toMatchObject({
      isIntact: false,
      firstBrokenPointId: before.pointIds[1],
      problem: expect.stringContaining("edited"),
    });
  });
});
