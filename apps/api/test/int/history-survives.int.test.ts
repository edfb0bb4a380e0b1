import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ChainVerificationSchema, ControlPageSchema, type Control } from "@status/shared";
import { afterAll, describe, expect, it } from "vitest";
import { pruneExpiredRecords } from "../../src/modules/retention/index.ts";
import { seedDemoData } from "../../src/seed/demo-data.ts";
import { waitForBatch } from "../engine/engine-helpers.ts";
import { expectProblem, request, signInAs } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const DAY_MS = 86_400_000;

/**
 * Issue 12's promise, end to end on the embedded default (PGlite, the in-process cache and queue, the real Node-RED
 * with the example flows): the demo catalog is evaluated, one control is archived, another is changed with a reason
 * (a new version), retention prunes the evidence, the installation restarts on the same data directory — and every
 * chain of the demo catalog still verifies, with the archived control's points still there to read.
 */
describe("history survives archiving, versioning, pruning and a restart (embedded default)", () => {
  let dataDir: string | undefined;
  const apps: TestApp[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const app = await startTestApp({
      database: "pglite",
      cache: "memory",
      dataDir,
      engine: { isWorker: true, isScheduler: false },
    });
    apps.push(app);
    return app;
  };

  const controlsOf = async (app: TestApp, token: string, catalogId: string): Promise<Control[]> =>
    ControlPageSchema.parse(
      (await request(app, "GET", `/api/v1/catalogs/${catalogId}/controls?archived=all&pageSize=200`, { token })).body,
    ).items;

  const pointCounts = async (app: TestApp, controls: Control[]) =>
    Object.fromEntries(
      await Promise.all(
        controls.map(async (control) => {
          const { rows } = await app.deps.db.query("select count(*)::int as count from points where control_id = $1", [
            control.id,
          ]);
          return [control.name, rows[0].count as number] as const;
        }),
      ),
    );

  it("verifies every chain of the demo catalog after all of it", { timeout: 240_000 }, async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "status-history-"));
    // Arrange: a fresh embedded installation with the demo data, evaluated over November 2026.
    const first = await start();
    const admin = await signInAs(first, "ADMIN");
    await seedDemoData(first.deps, {
      userId: admin.id,
      username: admin.username,
      role: "ADMIN",
      authMethod: "session",
      requestId: "history-test",
    });
    const catalogs = await request(first, "GET", "/api/v1/catalogs?q=Engineering%20baseline", { token: admin.token });
    const catalog = catalogs.body.items[0];
    expect(catalog).toMatchObject({ status: "finalized" });
    const created = await request(first, "POST", `/api/v1/catalogs/${catalog.id}/runs`, {
      token: admin.token,
      body: { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z" },
    });
    expect(created.status).toBe(202);
    await waitForBatch(first, admin.token, created.body.batch.id, 120_000);
    const controls = await controlsOf(first, admin.token, catalog.id);
    expect(controls).toHaveLength(3);
    const countsBefore = await pointCounts(first, controls);
    for (const count of Object.values(countsBefore)) expect(count).toBeGreaterThan(0);
    const backups = controls.find((control) => control.name === "Nightly backups succeed")!;
    const reviews = controls.find((control) => control.name === "Pull requests are reviewed")!;

    // Act 1: archive one control, and change what decides another's results, each with a reason.
    const archived = await request(first, "POST", `/api/v1/controls/${backups.id}/archive`, {
      token: admin.token,
      body: { reason: "Backups move to the platform catalog" },
    });
    const edited = await request(first, "PATCH", `/api/v1/controls/${reviews.id}`, {
      token: admin.token,
      body: { threshold: 90, reason: "Approved exception for hotfixes" },
    });
    const deleteArchived = await request(first, "DELETE", `/api/v1/controls/${backups.id}`, { token: admin.token });
    const deleteCatalog = await request(first, "DELETE", `/api/v1/catalogs/${catalog.id}?cascade=true`, {
      token: admin.token,
    });
    expect(archived.status).toBe(200);
    expect(edited.body).toMatchObject({ threshold: 90, version: 2 });
    expectProblem(deleteArchived, 409, "archive_required");
    expectProblem(deleteCatalog, 409, "archive_required");

    // Act 2: retention keeps runs and computation detail their shortest (30 days); the daily job runs 40 days later.
    const retention = await request(first, "PATCH", "/api/v1/retention", {
      token: admin.token,
      body: { runs: 30, computation_detail: 30 },
    });
    expect(retention.status).toBe(200);
    const evidenceCount = async () =>
      (
        await first.deps.db.query(
          "select count(*)::int as count from evidences e join computations c on c.id = e.computation_id where c.control_id = any($1::uuid[])",
          [controls.map((control) => control.id)],
        )
      ).rows[0].count as number;
    expect(await evidenceCount()).toBeGreaterThan(0);
    const pruned = await pruneExpiredRecords(
      { ...first.deps, now: () => new Date(Date.now() + 40 * DAY_MS) },
      { force: true },
    );
    expect(pruned.status).toBe("pruned");
    expect(await evidenceCount()).toBe(0);

    // Act 3: restart on the same data directory.
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const second = await start();
    const officer = await signInAs(second, "USER");

    // Assert: every chain of the demo catalog verifies end to end, and nothing recorded is gone.
    const after = await controlsOf(second, officer.token, catalog.id);
    expect(after.map((control) => control.id).sort()).toEqual(controls.map((control) => control.id).sort());
    expect(await pointCounts(second, after)).toEqual(countsBefore);
    for (const control of after) {
      const verification = await request(second, "GET", `/api/v1/controls/${control.id}/points/verify`, {
        token: officer.token,
      });
      expect(ChainVerificationSchema.parse(verification.body)).toMatchObject({
        controlId: control.id,
        isIntact: true,
        pointCount: countsBefore[control.name],
        problem: null,
      });
    }
    const archivedAfter = after.find((control) => control.id === backups.id)!;
    expect(archivedAfter.archive).toMatchObject({ reason: "Backups move to the platform catalog" });
    const archivedPoints = await request(second, "GET", `/api/v1/points?controlId=${backups.id}&pageSize=200`, {
      token: officer.token,
    });
    expect(archivedPoints.body.total).toBe(countsBefore[backups.name]);
    const versions = await request(second, "GET", `/api/v1/controls/${reviews.id}/versions`, { token: officer.token });
    expect(versions.body.items.map((version: { reason: string }) => version.reason)).toContain(
      "Approved exception for hotfixes",
    );
    // The default list leaves the archived control out; it stays one filter away.
    const defaultList = await request(second, "GET", `/api/v1/catalogs/${catalog.id}/controls`, {
      token: officer.token,
    });
    expect(defaultList.body.items.map((control: Control) => control.id)).not.toContain(backups.id);
  });
});
