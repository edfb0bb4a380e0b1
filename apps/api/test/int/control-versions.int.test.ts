import {
  ControlVersionPageSchema,
  NextControlVersionSchema,
  type Computation,
  type ControlVersion,
  type Point,
  type Run,
} from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunProcessor, scheduleDueWindows } from "../../src/modules/evaluation/index.ts";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "../factories.ts";
import { createEvaluableControl, startRuns } from "../engine/engine-helpers.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const DAY = (date: string) => `2025-03-${date}T00:00:00.000Z`;

describe("versioned controls", () => {
  let app: TestApp;
  let developer: TestUser;
  // No worker: the tests process the runs they choose, in the order they choose, with the engine's own processor.
  let processor: ReturnType<typeof createRunProcessor>;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    processor = createRunProcessor(app.deps);
  });
  afterAll(() => app?.close());

  const patch = (controlId: string, body: Record<string, unknown>) =>
    request(app, "PATCH", `/api/v1/controls/${controlId}`, { token: developer.token, body });

  async function versionsOf(controlId: string): Promise<ControlVersion[]> {
    const response = await request(app, "GET", `/api/v1/controls/${controlId}/versions?sort=version`, {
      token: developer.token,
    });
    expect(response.status).toBe(200);
    return ControlVersionPageSchema.parse(response.body).items;
  }

  async function runRange(controlId: string, from: string, to: string): Promise<Run[]> {
    return (await startRuns(app, developer.token, controlId, { from, to })).runs;
  }

  async function processAll(runs: Run[]): Promise<void> {
    for (const run of runs) await processor.process(run.id);
  }

  async function pointsOf(controlId: string): Promise<Point[]> {
    return (
      await request(app, "GET", `/api/v1/points?controlId=${controlId}&sort=windowStart&pageSize=200`, {
        token: developer.token,
      })
    ).body.items;
  }

  async function computationOf(run: Run): Promise<Computation> {
    return (await request(app, "GET", `/api/v1/computations/${run.computationId}`, { token: developer.token })).body;
  }

  describe("which changes make a version", () => {
    it("records version 1 when a control is finalized, with who and why, effective from its first window", async () => {
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
      const head = (await request(app, "GET", `/api/v1/controls/${control.id}`, { token: developer.token })).body;
      expect(head.version).toBe(1);
      const [first, ...rest] = await versionsOf(control.id);
      expect(rest).toEqual([]);
      expect(first).toMatchObject({
        version: 1,
        period: "DAILY",
        threshold: 80,
        mashupId: "test-pass",
        effectiveFrom: null,
        effectiveUntil: null,
        createdById: developer.id,
        createdByName: developer.username,
        reason: "Finalized: the first version",
        isCurrent: true,
        changes: [],
      });
    });

    it("records none for a draft, whatever changes, and none for a control added to a finalized catalog until it changes", async () => {
      const catalog = await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" });
      const draft = await createControlVia(app, developer.token, catalog.id, { threshold: 50 });
      expect((await patch(draft.id, { threshold: 60, period: "WEEKLY" })).body).toMatchObject({ version: null });
      expect(await versionsOf(draft.id)).toEqual([]);
      expect(
        (
          await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
            token: developer.token,
            body: { status: "finalized" },
          })
        ).status,
      ).toBe(200);
      const added = await createControlVia(app, developer.token, catalog.id);
      expect(added).toMatchObject({ status: "finalized", version: 1 });
      expect((await versionsOf(added.id)).map((version) => version.version)).toEqual([1]);
    });

    it("keeps name, description and dates freely editable (audited), and a repeat of the same values is no change", async () => {
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass", threshold: 80 });
      const renamed = await patch(control.id, {
        name: `Renamed ${control.id.slice(0, 8)}`,
        description: "Now described",
        threshold: 80,
        params: {},
        period: "DAILY",
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body.version).toBe(1);
      expect(await versionsOf(control.id)).toHaveLength(1);
      const audit = await app.deps.db.query(
        "select after->>'name' as name from audit_log where resource_type = 'control' and resource_id = $1 and action = 'update'",
        [control.id],
      );
      expect(audit.rows).toEqual([{ name: `Renamed ${control.id.slice(0, 8)}` }]);
    });

    it("refuses a result-deciding change of a finalized control without a reason: 422 naming the field, nothing stored", async () => {
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass", threshold: 80 });

      const refused = await patch(control.id, { threshold: 95, name: "Would be renamed" });

      const problem = expectProblem(refused, 422, "reason_required");
      expect(problem.detail).toContain("threshold");
      expect(problem.detail).toContain("version 2");
      expect(problem.errors).toEqual([{ path: "body.reason", message: expect.stringContaining("version 2") }]);
      const head = (await request(app, "GET", `/api/v1/controls/${control.id}`, { token: developer.token })).body;
      expect(head).toMatchObject({ threshold: 80, version: 1, name: control.name });
      expect(await versionsOf(control.id)).toHaveLength(1);
      // A blank reason is no reason: the shared schema refuses it with every other issue.
      expect(
        expectProblem(await patch(control.id, { threshold: 95, reason: "   " }), 400, "validation_failed").errors,
      ).toEqual([{ path: "body.reason", message: expect.any(String) }]);
    });

    it("records the next version with who, when, why and the field-by-field changes", async () => {
      const { control } = await createEvaluableControl(app, developer.token, {
        mashupId: "test-pass",
        threshold: 80,
        params: { minApprovals: 1, keep: "same" },
      });

      const changed = await patch(control.id, {
        threshold: 95,
        params: { minApprovals: 2, keep: "same", strict: true },
        reason: "Auditor asked for two approvals — Änderung ✓",
      });

      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ version: 2, threshold: 95 });
      const [, second] = await versionsOf(control.id);
      expect(second).toMatchObject({
        version: 2,
        threshold: 95,
        params: { minApprovals: 2, keep: "same", strict: true },
        reason: "Auditor asked for two approvals — Änderung ✓",
        createdByName: developer.username,
        isCurrent: true,
        // Nothing was evaluated yet, so the new version decides every window from the first.
        effectiveFrom: null,
        changes: [
          { field: "threshold", before: 80, after: 95 },
          { field: "params.minApprovals", before: 1, after: 2 },
          { field: "params.strict", after: true },
        ],
      });
      const audit = await app.deps.db.query(
        "select after->>'reason' as reason from audit_log where resource_type = 'control_version' and resource_id = $1",
        [control.id],
      );
      expect(audit.rows).toEqual([{ reason: "Auditor asked for two approvals — Änderung ✓" }]);
    });

    it("makes adding, replacing and deleting a scope set of a finalized control a version, each with a reason", async () => {
      const scope = await createScopeVia(app, developer.token);
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
      const path = `/api/v1/controls/${control.id}/scope-sets`;

      expectProblem(
        await request(app, "POST", path, { token: developer.token, body: { values: { [scope.name]: "emea" } } }),
        422,
        "reason_required",
      );
      const added = await createScopeSetVia(app, developer.token, control.id, { [scope.name]: "emea" }, "EMEA joins");
      const replaced = await request(app, "PUT", `${path}/${added.id}`, {
        token: developer.token,
        body: { values: { [scope.name]: "apac" }, reason: "EMEA became APAC" },
      });
      expect(replaced.status).toBe(200);
      const refused = await request(app, "DELETE", `${path}/${added.id}`, { token: developer.token });
      expect(expectProblem(refused, 422, "reason_required").errors).toEqual([
        { path: "query.reason", message: expect.any(String) },
      ]);
      const deleted = await request(app, "DELETE", `${path}/${added.id}?reason=${encodeURIComponent("APAC leaves")}`, {
        token: developer.token,
      });
      expect(deleted.status).toBe(204);

      const versions = await versionsOf(control.id);
      expect(versions.map((version) => [version.version, version.reason])).toEqual([
        [1, "Finalized: the first version"],
        [2, "EMEA joins"],
        [3, "EMEA became APAC"],
        [4, "APAC leaves"],
      ]);
      expect(versions[1]!.scopeSets).toEqual([{ id: added.id, values: { [scope.name]: "emea" } }]);
      expect(versions[2]!.changes).toEqual([
        { field: "scopeSets", before: [{ [scope.name]: "emea" }], after: [{ [scope.name]: "apac" }] },
      ]);
      expect(versions[3]!.scopeSets).toEqual([]);
    });

    it("answers 404 for the versions of an unknown control", async () => {
      const unknown = "00000000-0000-4000-8000-000000000000";
      expectProblem(
        await request(app, "GET", `/api/v1/controls/${unknown}/versions`, { token: developer.token }),
        404,
        "not_found",
      );
      expectProblem(
        await request(app, "GET", `/api/v1/controls/${unknown}/versions/next`, { token: developer.token }),
        404,
        "not_found",
      );
    });
  });

  describe("effective from the next window not yet evaluated", () => {
    it("takes one boundary over every scope set: a lagging scope set's earlier windows stay under the old version", async () => {
      const { control } = await createEvaluableControl(app, developer.token, {
        mashupId: "test-fail", // two of three evidences pass: 66.667 %
        threshold: 50,
        scopes: [{ team: "a" }, { team: "b" }],
      });
      const runs = await runRange(control.id, DAY("01"), DAY("06"));
      const [scopeA, scopeB] = [...new Set(runs.map((run) => JSON.stringify(run.scope)))].sort();
      const ofScope = (list: Run[], scope: string) => list.filter((run) => JSON.stringify(run.scope) === scope);
      // Scope a is evaluated through 5 March; scope b only through 3 March (its 4 and 5 March are cancelled).
      await processAll(ofScope(runs, scopeA!));
      await processAll(ofScope(runs, scopeB!).slice(0, 3));
      for (const run of ofScope(runs, scopeB!).slice(3))
        expect((await request(app, "DELETE", `/api/v1/runs/${run.id}`, { token: developer.token })).status).toBe(200);

      const preview = NextControlVersionSchema.parse(
        (await request(app, "GET", `/api/v1/controls/${control.id}/versions/next`, { token: developer.token })).body,
      );
      expect(preview).toMatchObject({ isVersioned: true, currentVersion: 1, nextVersion: 2, effectiveFrom: DAY("06") });
      expect((await patch(control.id, { threshold: 90, reason: "Stricter from now on" })).status).toBe(200);
      expect((await versionsOf(control.id))[1]).toMatchObject({ effectiveFrom: DAY("06") });
      expect((await versionsOf(control.id))[0]).toMatchObject({ effectiveUntil: DAY("06"), isCurrent: false });

      // A backfill of 4–7 March: b's 4 and 5 March are before the new version, so they are evaluated under version 1.
      const backfill = await runRange(control.id, DAY("04"), DAY("08"));
      await processAll(backfill);
      const points = await pointsOf(control.id);
      const pointOf = (scope: string, day: string) =>
        points.find((point) => JSON.stringify(point.scope) === scope && point.windowStart === DAY(day))!;
      expect(pointOf(scopeB!, "04")).toMatchObject({ controlVersion: 1, threshold: 50, result: "pass", hashScheme: 2 });
      expect(pointOf(scopeB!, "05")).toMatchObject({ controlVersion: 1, threshold: 50, result: "pass" });
      for (const scope of [scopeA!, scopeB!]) {
        expect(pointOf(scope, "06")).toMatchObject({ controlVersion: 2, threshold: 90, result: "fail", hashScheme: 2 });
        expect(pointOf(scope, "07")).toMatchObject({ controlVersion: 2, threshold: 90, result: "fail" });
      }
      // Every computation records the version it was computed under, including the one beside an existing point.
      const recomputedA = ofScope(backfill, scopeA!).find((run) => run.windowStart === DAY("04"))!;
      expect(await computationOf(recomputedA)).toMatchObject({ controlVersion: 1, result: "pass" });
      const versions = await versionsOf(control.id);
      expect(versions.map((version) => version.pointCount)).toEqual([10, 4]);
      const verification = await request(app, "GET", `/api/v1/controls/${control.id}/points/verify`, {
        token: developer.token,
      });
      expect(verification.body).toMatchObject({
        isIntact: true,
        pointCount: 14,
        pointsByHashScheme: { 2: 14 },
        versionCount: 2,
      });
    });

    it("counts a window still queued as being evaluated", async () => {
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
      const [queued] = await runRange(control.id, DAY("08"), DAY("09"));
      const next = async () =>
        (await request(app, "GET", `/api/v1/controls/${control.id}/versions/next`, { token: developer.token })).body;
      expect(await next()).toMatchObject({ evaluatedThrough: DAY("09"), effectiveFrom: DAY("09") });
      await request(app, "DELETE", `/api/v1/runs/${queued!.id}`, { token: developer.token });
      expect(await next()).toMatchObject({ evaluatedThrough: null, effectiveFrom: null });
    });

    it("evaluates a window before the change with the old parameters and mashup, and later ones with the new", async () => {
      const { control } = await createEvaluableControl(app, developer.token, {
        mashupId: "test-echo",
        params: { marker: "old" },
      });
      await processAll(await runRange(control.id, DAY("01"), DAY("02")));
      await patch(control.id, { params: { marker: "new" }, mashupId: "test-pass", reason: "New source of evidence" });

      const runs = await runRange(control.id, DAY("01"), DAY("03"));
      await processAll(runs);

      const [before, after] = await Promise.all(runs.map(computationOf));
      expect(before).toMatchObject({ controlVersion: 1, windowStart: DAY("01") });
      const echoed = (await request(app, "GET", `/api/v1/computations/${before!.id}`, { token: developer.token })).body;
      expect(echoed.evidences[0].value).toMatchObject({ params: { marker: "old" }, period: "DAILY" });
      expect(after).toMatchObject({ controlVersion: 2, windowStart: DAY("02") });
      // Version 2 names another mashup: the echo flow, which reports what it was sent, was not called for it.
      const passed = (await request(app, "GET", `/api/v1/computations/${after!.id}`, { token: developer.token })).body;
      expect(passed.evidences.map((evidence: { key: string }) => evidence.key)).not.toContain("request");
    });

    it("changes the period from the next window of the new period, leaving the days in between unevaluated", async () => {
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
      await processAll(await runRange(control.id, DAY("05"), DAY("06"))); // evaluated through Thursday 6 March
      const changed = await patch(control.id, { period: "WEEKLY", reason: "Weekly is enough" });
      expect(changed.body).toMatchObject({ period: "WEEKLY", version: 2 });
      expect((await versionsOf(control.id))[1]).toMatchObject({ effectiveFrom: DAY("10") });

      const runs = await runRange(control.id, DAY("06"), DAY("24"));

      expect(runs.map((run) => [run.windowStart.slice(0, 10), run.windowEnd.slice(0, 10)])).toEqual([
        ["2025-03-06", "2025-03-07"],
        ["2025-03-07", "2025-03-08"],
        ["2025-03-08", "2025-03-09"],
        ["2025-03-09", "2025-03-10"],
        ["2025-03-10", "2025-03-17"],
        ["2025-03-17", "2025-03-24"],
      ]);
      await processAll(runs);
      const points = await pointsOf(control.id);
      expect(points.map((point) => [point.windowStart.slice(0, 10), point.controlVersion])).toEqual([
        ["2025-03-05", 1],
        ["2025-03-06", 1],
        ["2025-03-07", 1],
        ["2025-03-08", 1],
        ["2025-03-09", 1],
        ["2025-03-10", 2],
        ["2025-03-17", 2],
      ]);
    });
  });

  describe("the scheduler", () => {
    it("schedules a scope set added by a version from that version's first window, and the rest on from theirs", async () => {
      const { control } = await createEvaluableControl(app, developer.token, {
        mashupId: "test-pass",
        startDate: DAY("01"),
        scopes: [{ team: "a" }],
      });
      await processAll(await runRange(control.id, DAY("01"), DAY("04"))); // team a, 1–3 March
      const existing = (
        await request(app, "GET", `/api/v1/controls/${control.id}/scope-sets`, { token: developer.token })
      ).body.items[0];
      const scopeName = Object.keys(existing.values)[0]!;
      await createScopeSetVia(app, developer.token, control.id, { [scopeName]: "b" }, "Team b is in scope now");
      expect((await versionsOf(control.id))[1]).toMatchObject({ effectiveFrom: DAY("04") });

      app.setNow(new Date("2025-03-06T12:00:00Z"));
      let runIds: string[];
      try {
        runIds = (await scheduleDueWindows(app.deps)).runIds;
      } finally {
        app.setNow(undefined);
      }

      const scheduled = await app.deps.db.query<{ team: string; day: string }>(
        `select scope->>$2 as team, to_char(window_start at time zone 'UTC', 'DD') as day from runs
          where id = any($1::uuid[]) and control_id = $3 order by 1, 2`,
        [runIds, scopeName, control.id],
      );
      expect(scheduled.rows).toEqual([
        { team: "a", day: "04" },
        { team: "a", day: "05" },
        { team: "b", day: "04" },
        { team: "b", day: "05" },
      ]);
    });
  });

  describe("the chain covers the version", () => {
    async function controlWithVersionedPoints() {
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
      await processAll(await runRange(control.id, DAY("01"), DAY("03")));
      await patch(control.id, { threshold: 70, reason: "Relaxed" });
      await processAll(await runRange(control.id, DAY("03"), DAY("05")));
      const points = await pointsOf(control.id);
      expect(points.map((point) => point.controlVersion)).toEqual([1, 1, 2, 2]);
      return { control, points };
    }
    const verify = async (controlId: string) =>
      (await request(app, "GET", `/api/v1/controls/${controlId}/points/verify`, { token: developer.token })).body;

    it("breaks when a point's version is changed in the database", async () => {
      const { control, points } = await controlWithVersionedPoints();
      await app.deps.db.query("update points set control_version = 2 where id = $1", [points[1]!.id]);
      expect(await verify(control.id)).toMatchObject({
        isIntact: false,
        firstBrokenPointId: points[1]!.id,
        problem: expect.stringContaining("edited"),
      });
    });

    it("breaks when a point is downgraded to hash scheme 1", async () => {
      const { control, points } = await controlWithVersionedPoints();
      await app.deps.db.query("update points set hash_scheme = 1 where id = $1", [points[2]!.id]);
      expect(await verify(control.id)).toMatchObject({ isIntact: false, firstBrokenPointId: points[2]!.id });
    });

    it("refuses edits of a version, and breaks when one is forced past the guard", async () => {
      const { control, points } = await controlWithVersionedPoints();
      await expect(
        app.deps.db.query("update control_versions set threshold = 10 where control_id = $1 and version = 1", [
          control.id,
        ]),
      ).rejects.toThrow(/immutable/);
      await app.deps.db.query("alter table control_versions disable trigger control_versions_immutable");
      try {
        await app.deps.db.query(
          "update control_versions set params = '{\"x\":1}' where control_id = $1 and version = 2",
          [control.id],
        );
      } finally {
        await app.deps.db.query("alter table control_versions enable trigger control_versions_immutable");
      }
      expect(await verify(control.id)).toMatchObject({
        isIntact: false,
        firstBrokenPointId: points[2]!.id,
        problem: "Control version 2 was changed after it was recorded",
        versionCount: 2,
      });
    });

    it("seals versions in the database exactly as the API's verifier recomputes them", async () => {
      const { control } = await createEvaluableControl(app, developer.token, {
        mashupId: "test-pass",
        params: { nested: { list: [1, 2.5, "x"], ünï: null }, big: 12345678901234, tiny: 0.000001 },
      });
      await patch(control.id, { threshold: 33.33, reason: "Zeilen\nmit Umbruch — ✓" });
      expect(await verify(control.id)).toMatchObject({ isIntact: true, versionCount: 2 });
    });
  });
});
