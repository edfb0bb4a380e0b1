import {
  CatalogPageSchema,
  CatalogSchema,
  ChainVerificationSchema,
  ControlPageSchema,
  ControlSchema,
} from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunProcessor, scheduleDueWindows } from "../../src/modules/evaluation/index.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const DAY_MS = 86_400_000;

/** Archive, never destroy: what has history is archived (audited with a reason), and only drafts are deleted. */
describe("archiving catalogs and controls", () => {
  let app: TestApp;
  let developer: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    // The tests call the scheduler; a small catch-up keeps it from flooding the worker with other tests' windows.
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false }, env: { SCHEDULER_MAX_CATCHUP: "2" } });
    developer = await signInAs(app, "DEVELOPER");
    user = await signInAs(app, "USER");
  });
  afterAll(() => app?.close());

  /** A finalized control in its own catalog with a point for each of the `count` days before yesterday. */
  async function controlWithPoints(count: number) {
    const start = new Date(Date.parse(new Date().toISOString().slice(0, 10)) - DAY_MS * (count + 5)).toISOString();
    const { catalog, control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-pass",
      startDate: start,
    });
    const to = Date.parse(new Date().toISOString().slice(0, 10)) - DAY_MS;
    const created = await startRuns(app, developer.token, control.id, {
      from: new Date(to - DAY_MS * count).toISOString(),
      to: new Date(to).toISOString(),
    });
    await waitForBatch(app, developer.token, created.batch.id);
    expect(await pointCount(control.id)).toBe(count);
    return { catalog, control };
  }

  const pointCount = async (controlId: string) =>
    (await app.deps.db.query("select count(*)::int as count from points where control_id = $1", [controlId])).rows[0]
      .count as number;

  const archive = (kind: "catalogs" | "controls", id: string, reason = "Retired with the old platform") =>
    request(app, "POST", `/api/v1/${kind}/${id}/archive`, { token: developer.token, body: { reason } });

  const restore = (kind: "catalogs" | "controls", id: string, reason = "Back in scope for the audit") =>
    request(app, "POST", `/api/v1/${kind}/${id}/restore`, { token: developer.token, body: { reason } });

  const auditRows = async (id: string) =>
    (
      await app.deps.db.query(
        "select action, actor_id, after from audit_log where resource_id = $1 and action in ('archive', 'restore', 'delete') order by id",
        [id],
      )
    ).rows;

  describe("deleting", () => {
    it("refuses to delete a control with points: 409 archive_required, nothing removed, nothing audited", async () => {
      const { control } = await controlWithPoints(2);

      const response = await request(app, "DELETE", `/api/v1/controls/${control.id}`, { token: developer.token });

      const problem = expectProblem(response, 409, "archive_required");
      expect(problem.detail).toContain("has 2 recorded points");
      expect(problem.detail).toContain(`/controls/${control.id}/archive`);
      expect(await pointCount(control.id)).toBe(2);
      expect(await auditRows(control.id)).toEqual([]);
    });

    it("refuses to delete a finalized control without points: its versions are part of the record", async () => {
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });

      const response = await request(app, "DELETE", `/api/v1/controls/${control.id}`, { token: developer.token });

      expectProblem(response, 409, "archive_required");
      const { rows } = await app.deps.db.query("select id from controls where id = $1", [control.id]);
      expect(rows).toHaveLength(1);
    });

    it("refuses DELETE /catalogs/:id?cascade=true of a catalog with points: history cannot be erased by cascade", async () => {
      const { catalog, control } = await controlWithPoints(1);

      const response = await request(app, "DELETE", `/api/v1/catalogs/${catalog.id}?cascade=true`, {
        token: developer.token,
      });

      expectProblem(response, 409, "archive_required");
      expect(await pointCount(control.id)).toBe(1);
      const runs = await app.deps.db.query("select count(*)::int as count from runs where control_id = $1", [
        control.id,
      ]);
      expect(runs.rows[0].count).toBe(1);
    });

    it("deletes a draft control with its runs, computations and scope sets, audited", async () => {
      const catalog = await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" });
      const control = await createControlVia(app, developer.token, catalog.id, { mashupId: "test-pass" });
      const scope = await createScopeVia(app, developer.token);
      await createScopeSetVia(app, developer.token, control.id, { [scope.name]: "x" });
      // A draft can be tried out: its runs are evaluated but make no point.
      const created = await startRuns(app, developer.token, control.id);
      await waitForBatch(app, developer.token, created.batch.id);

      const response = await request(app, "DELETE", `/api/v1/controls/${control.id}`, { token: developer.token });

      expect(response.status).toBe(204);
      const left = await app.deps.db.query(
        `select (select count(*) from runs where control_id = $1)::int as runs,
                (select count(*) from computations where control_id = $1)::int as computations,
                (select count(*) from scope_sets where control_id = $1)::int as sets,
                (select count(*) from run_batches where control_id = $1)::int as batches`,
        [control.id],
      );
      expect(left.rows[0]).toEqual({ runs: 0, computations: 0, sets: 0, batches: 0 });
      expect(await auditRows(control.id)).toEqual([
        expect.objectContaining({ action: "delete", actor_id: developer.id }),
      ]);
    });

    it("deletes a draft catalog with ?cascade=true, auditing each control it removes", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);

      const response = await request(app, "DELETE", `/api/v1/catalogs/${catalog.id}?cascade=true`, {
        token: developer.token,
      });

      expect(response.status).toBe(204);
      expect(await auditRows(control.id)).toEqual([expect.objectContaining({ action: "delete" })]);
      expect(await auditRows(catalog.id)).toEqual([expect.objectContaining({ action: "delete" })]);
    });

    it("is refused by the database itself: a direct SQL delete of a control or catalog with points fails", async () => {
      const { catalog, control } = await controlWithPoints(1);

      await expect(app.deps.db.query("delete from controls where id = $1", [control.id])).rejects.toMatchObject({
        code: "23503",
      });
      await expect(app.deps.db.query("delete from catalogs where id = $1", [catalog.id])).rejects.toMatchObject({
        code: "23503",
      });
      // Nor can the rows a control's history hangs on be deleted from under it.
      await expect(
        app.deps.db.query("delete from control_versions where control_id = $1", [control.id]),
      ).rejects.toMatchObject({ code: "23503" });
      expect(await pointCount(control.id)).toBe(1);
    });
  });

  describe("archiving a control", () => {
    it("archives with the reason: who, when and why on the control and in the audit log", async () => {
      const { control } = await controlWithPoints(1);

      const response = await archive("controls", control.id);

      expect(response.status).toBe(200);
      expect(ControlSchema.parse(response.body).archive).toEqual({
        archivedAt: expect.any(String),
        archivedBy: developer.id,
        archivedByName: developer.username,
        reason: "Retired with the old platform",
      });
      expect(await auditRows(control.id)).toEqual([
        {
          action: "archive",
          actor_id: developer.id,
          after: expect.objectContaining({
            archive: expect.objectContaining({ reason: "Retired with the old platform" }),
          }),
        },
      ]);
    });

    it("needs a reason (400 on body.reason) and DEVELOPER or above (403 for USER)", async () => {
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });

      const withoutReason = await request(app, "POST", `/api/v1/controls/${control.id}/archive`, {
        token: developer.token,
        body: { reason: "  " },
      });
      const asUser = await request(app, "POST", `/api/v1/controls/${control.id}/archive`, {
        token: user.token,
        body: { reason: "mine" },
      });

      const problem = expectProblem(withoutReason, 400, "validation_failed");
      expect(problem.errors).toContainEqual(expect.objectContaining({ path: "body.reason" }));
      expectProblem(asUser, 403, "forbidden");
      const read = await request(app, "GET", `/api/v1/controls/${control.id}`, { token: user.token });
      expect(read.body.archive).toBeNull();
    });

    it("stops every trigger: runs, ranges, backfills, the collector and the scheduler; edits and scope sets too", async () => {
      const { control } = await controlWithPoints(1);
      await archive("controls", control.id);

      const run = await request(app, "POST", `/api/v1/controls/${control.id}/runs`, {
        token: developer.token,
        body: {},
      });
      const range = await request(app, "POST", `/api/v1/controls/${control.id}/runs`, {
        token: developer.token,
        body: { from: "2025-02-01T00:00:00Z", to: "2025-02-03T00:00:00Z" },
      });
      const backfill = await request(app, "POST", `/api/v1/controls/${control.id}/backfill`, {
        token: developer.token,
        body: { from: "2025-02-01T00:00:00Z", to: "2025-02-03T00:00:00Z" },
      });
      const collector = await request(app, "POST", "/api/v1/computations", {
        token: developer.token,
        body: {
          metric: {
            endpoint: "/test/pass",
            params: { controlId: control.id },
            scope: {},
            window: {
              type: "static",
              period: "daily",
              initial: "2025-06-01T00:00:00.000Z",
              end: "2025-06-01T23:59:59.999Z",
              timeZone: "UTC",
            },
          },
          config: { backendUrl: "ignored" },
        },
      });
      const edit = await request(app, "PATCH", `/api/v1/controls/${control.id}`, {
        token: developer.token,
        body: { description: "changed" },
      });
      const scope = await createScopeVia(app, developer.token);
      const scopeSet = await request(app, "POST", `/api/v1/controls/${control.id}/scope-sets`, {
        token: developer.token,
        body: { values: { [scope.name]: "x" }, reason: "more" },
      });
      await scheduleDueWindows(app.deps);

      for (const response of [run, range, backfill, collector, edit, scopeSet]) {
        const problem = expectProblem(response, 409, "archived");
        expect(problem.detail).toContain("restore");
      }
      const runs = await app.deps.db.query("select id from runs where control_id = $1", [control.id]);
      // Only the run that made its point before the archive.
      expect(runs.rows).toHaveLength(1);
    });

    it("keeps its record readable and verifiable, and leaves the default list for the Archived filter", async () => {
      const { catalog, control } = await controlWithPoints(3);
      const sibling = await request(app, "GET", `/api/v1/catalogs/${catalog.id}/controls`, { token: user.token });
      await archive("controls", control.id);

      const points = await request(app, "GET", `/api/v1/points?controlId=${control.id}`, { token: user.token });
      const verification = await request(app, "GET", `/api/v1/controls/${control.id}/points/verify`, {
        token: user.token,
      });
      const computations = await request(app, "GET", `/api/v1/controls/${control.id}/computations`, {
        token: user.token,
      });
      const list = (archived?: string) =>
        request(app, "GET", `/api/v1/catalogs/${catalog.id}/controls${archived ? `?archived=${archived}` : ""}`, {
          token: user.token,
        }).then((response) => ControlPageSchema.parse(response.body).items.map((item) => item.id));

      expect(sibling.body.items.map((item: { id: string }) => item.id)).toEqual([control.id]);
      expect(points.body.total).toBe(3);
      expect(ChainVerificationSchema.parse(verification.body)).toMatchObject({ isIntact: true, pointCount: 3 });
      expect(computations.body.total).toBe(3);
      expect(await list()).toEqual([]);
      expect(await list("false")).toEqual([]);
      expect(await list("true")).toEqual([control.id]);
      expect(await list("all")).toEqual([control.id]);
      const everywhere = await request(app, "GET", `/api/v1/controls?archived=true&catalogId=${catalog.id}`, {
        token: user.token,
      });
      expect(everywhere.body.total).toBe(1);
      const invalid = await request(app, "GET", `/api/v1/controls?archived=maybe`, { token: user.token });
      expect(expectProblem(invalid, 400, "validation_failed").errors).toContainEqual(
        expect.objectContaining({ path: "query.archived" }),
      );
    });

    it("restores with a reason, audited; the scheduler picks it up again; twice answers 409", async () => {
      const { control } = await createEvaluableControl(app, developer.token, {
        mashupId: "test-pass",
        startDate: new Date(Date.parse(new Date().toISOString().slice(0, 10)) - DAY_MS * 2).toISOString(),
      });
      await archive("controls", control.id);
      const again = await archive("controls", control.id);
      await scheduleDueWindows(app.deps);
      const whileArchived = await app.deps.db.query("select id from runs where control_id = $1", [control.id]);

      const restored = await restore("controls", control.id);
      const restoredTwice = await restore("controls", control.id);
      const scheduled = await scheduleDueWindows(app.deps);

      expect(whileArchived.rows).toEqual([]);
      expectProblem(again, 409, "archived");
      expect(restored.status).toBe(200);
      expect(restored.body.archive).toBeNull();
      expectProblem(restoredTwice, 409, "not_archived");
      const ownRuns = await app.deps.db.query("select id from runs where control_id = $1 and id = any($2::uuid[])", [
        control.id,
        scheduled.runIds,
      ]);
      expect(ownRuns.rows.length).toBeGreaterThan(0);
      expect(
        (await auditRows(control.id)).map((row) => [row.action, row.after.reason ?? row.after.archive?.reason]),
      ).toEqual([
        ["archive", "Retired with the old platform"],
        ["restore", "Back in scope for the audit"],
      ]);
    });
  });

  describe("archiving a catalog", () => {
    it("archives its controls with it: unscheduled, read-only, out of the default lists; restore undoes it", async () => {
      const { catalog, control } = await controlWithPoints(1);

      const archived = await archive("catalogs", catalog.id);
      const catalogs = await request(app, "GET", `/api/v1/catalogs?q=${encodeURIComponent(catalog.name)}`, {
        token: user.token,
      });
      const archivedCatalogs = await request(
        app,
        "GET",
        `/api/v1/catalogs?archived=true&q=${encodeURIComponent(catalog.name)}`,
        { token: user.token },
      );
      const controlRead = await request(app, "GET", `/api/v1/controls/${control.id}`, { token: user.token });
      const runCatalog = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/runs`, {
        token: developer.token,
        body: {},
      });
      const runControl = await request(app, "POST", `/api/v1/controls/${control.id}/runs`, {
        token: developer.token,
        body: {},
      });
      const addControl = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: { name: "late", mashupId: "test-pass" },
      });
      const edit = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { description: "edited" },
      });
      const scheduled = await scheduleDueWindows(app.deps);
      const verification = await request(app, "GET", `/api/v1/controls/${control.id}/points/verify`, {
        token: user.token,
      });

      expect(CatalogSchema.parse(archived.body).archive).toMatchObject({ reason: "Retired with the old platform" });
      expect(CatalogPageSchema.parse(catalogs.body).total).toBe(0);
      expect(archivedCatalogs.body.items.map((item: { id: string }) => item.id)).toEqual([catalog.id]);
      expect(ControlSchema.parse(controlRead.body)).toMatchObject({ archive: null, isCatalogArchived: true });
      for (const response of [runCatalog, runControl, addControl, edit]) expectProblem(response, 409, "archived");
      const runs = await app.deps.db.query("select id from runs where control_id = $1 and id = any($2::uuid[])", [
        control.id,
        scheduled.runIds,
      ]);
      expect(runs.rows).toEqual([]);
      expect(verification.body).toMatchObject({ isIntact: true, pointCount: 1 });
      expect(await auditRows(catalog.id)).toEqual([
        expect.objectContaining({ action: "archive", actor_id: developer.id }),
      ]);

      const restored = await restore("catalogs", catalog.id);
      expect(restored.body.archive).toBeNull();
      const afterRestore = await request(app, "GET", `/api/v1/controls/${control.id}`, { token: user.token });
      expect(afterRestore.body.isCatalogArchived).toBe(false);
      expect((await auditRows(catalog.id)).map((row) => row.action)).toEqual(["archive", "restore"]);
    });

    it("lists an archived catalog's controls under archived=true across catalogs", async () => {
      const { catalog, control } = await controlWithPoints(1);
      await archive("catalogs", catalog.id);

      const active = await request(app, "GET", `/api/v1/controls?catalogId=${catalog.id}`, { token: user.token });
      const archived = await request(app, "GET", `/api/v1/controls?catalogId=${catalog.id}&archived=true`, {
        token: user.token,
      });

      expect(active.body.total).toBe(0);
      expect(archived.body.items.map((item: { id: string }) => item.id)).toEqual([control.id]);
    });
  });
});

describe("runs queued before an archive", () => {
  let app: TestApp;
  let developer: TestUser;

  // No worker: the runs wait in the queue until the test works them.
  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("end failed with the reason instead of being evaluated, and make no point", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const created = await startRuns(app, developer.token, control.id, {
      from: "2025-03-01T00:00:00Z",
      to: "2025-03-03T00:00:00Z",
    });
    await request(app, "POST", `/api/v1/controls/${control.id}/archive`, {
      token: developer.token,
      body: { reason: "Stopped mid-way" },
    });

    const processor = createRunProcessor(app.deps);
    for (const run of created.runs) await processor.process(run.id);

    const { rows } = await app.deps.db.query(
      "select status, error from runs where control_id = $1 order by window_start",
      [control.id],
    );
    expect(rows).toEqual(
      created.runs.map(() => ({
        status: "failed",
        error: "The control or its catalog was archived before this run was evaluated",
      })),
    );
    const points = await app.deps.db.query("select count(*)::int as count from points where control_id = $1", [
      control.id,
    ]);
    expect(points.rows[0].count).toBe(0);
  });
});
