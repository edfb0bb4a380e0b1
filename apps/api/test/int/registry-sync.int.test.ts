import { RegistryGuaranteePageSchema, RegistrySyncResultSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guaranteeIdOf } from "../../src/modules/registry/agreement.ts";
import { syncClosedWindows } from "../../src/modules/registry/registry-sync.service.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startAppWithFakeRegistry, waitForPublication, type RegistryTestSetup } from "../registry/registry-helpers.ts";

const MARCH = { from: "2025-03-01T00:00:00Z", to: "2025-03-03T00:00:00Z" };

describe("syncing guarantee states from the registry (against the FAKE Governify registry)", () => {
  let setup: RegistryTestSetup;
  let developer: TestUser;

  beforeAll(async () => {
    setup = await startAppWithFakeRegistry({ env: { REGISTRY_TIMEOUT_MS: "4000" } });
    developer = await signInAs(setup.app, "DEVELOPER");
  });
  afterAll(() => setup?.close());

  async function publishedControl(options: {
    mashupId: string;
    threshold?: number;
    scopes?: Record<string, string>[];
  }) {
    const created = await createEvaluableControl(setup.app, developer.token, { period: "DAILY", ...options });
    await waitForPublication(setup.app, developer.token, created.catalog.id, (item) => item.state === "published");
    return created;
  }

  const sync = (catalogId: string, body: unknown = MARCH) =>
    request(setup.app, "POST", `/api/v1/catalogs/${catalogId}/registry/sync`, { token: developer.token, body });

  it("brings the registry's guarantee states back as registry points, computed through our collector", async () => {
    const { catalog, control } = await publishedControl({
      mashupId: "test-pass",
      threshold: 80,
      scopes: [{ team: "payments" }, { team: "risk" }],
    });

    const response = await sync(catalog.id);

    expect(response.status).toBe(200);
    const result = RegistrySyncResultSchema.parse(response.body);
    expect(result).toMatchObject({
      agreementId: `tpa-${catalog.id}`,
      stateCount: 4,
      storedCount: 4,
      existingCount: 0,
      skipped: [],
    });
    expect(result.windows).toEqual([
      { from: "2025-03-01T00:00:00.000Z", to: "2025-03-02T00:00:00.000Z" },
      { from: "2025-03-02T00:00:00.000Z", to: "2025-03-03T00:00:00.000Z" },
    ]);
    // The registry called our collector with the service token it was given, forwarded as the accessToken cookie.
    const starts = setup.registry.collectorCalls.filter(
      (call) => call.method === "POST" && (call.body as any).metric.params.controlId === control.id,
    );
    expect(starts).toHaveLength(4);
    expect(starts.every((call) => call.status === 201 && call.cookie === `accessToken=${setup.collectorToken}`)).toBe(
      true,
    );
    expect((starts[0]!.body as any).metric.window).toMatchObject({
      type: "static",
      period: "daily",
      initial: "2025-03-01T00:00:00.000Z",
      end: "2025-03-02T00:00:00.000Z",
      timeZone: "UTC",
    });
    const points = await request(
      setup.app,
      "GET",
      `/api/v1/points?controlId=${control.id}&source=registry&sort=windowStart`,
      { token: developer.token },
    );
    expect(points.body.items).toHaveLength(4);
    expect(
      points.body.items.every(
        (point: any) =>
          point.source === "registry" &&
          point.result === "pass" &&
          point.value === 100 &&
          point.threshold === 80 &&
          point.computationId,
      ),
    ).toBe(true);
    expect(points.body.items.map((point: any) => point.windowStart)).toEqual([
      "2025-03-01T00:00:00.000Z",
      "2025-03-01T00:00:00.000Z",
      "2025-03-02T00:00:00.000Z",
      "2025-03-02T00:00:00.000Z",
    ]);
    const verification = await request(setup.app, "GET", `/api/v1/controls/${control.id}/points/verify`, {
      token: developer.token,
    });
    expect(verification.body).toMatchObject({ isIntact: true, pointCount: 4 });
    const audit = await setup.app.deps.db.query(
      "select actor_id from audit_log where resource_type = 'registry_sync' and resource_id = $1",
      [catalog.id],
    );
    expect(audit.rows).toEqual([{ actor_id: developer.id }]);
  });

  it("is idempotent: a repeated sync stores no point twice, though the registry recomputed and appended records", async () => {
    const { catalog, control } = await publishedControl({ mashupId: "test-pass" });
    expect((await sync(catalog.id)).body).toMatchObject({ storedCount: 2, existingCount: 0 });

    const again = await sync(catalog.id);

    expect(again.body).toMatchObject({ stateCount: 2, storedCount: 0, existingCount: 2 });
    const stored = await setup.app.deps.db.query(
      "select count(*)::int as n from points where control_id = $1 and source = 'registry'",
      [control.id],
    );
    expect(stored.rows[0].n).toBe(2);
    const records = [...setup.registry.states.values()]
      .filter((state) => state.agreementId === `tpa-${catalog.id}`)
      .map((state) => state.records.length);
    expect(records).toEqual([2, 2]);
  });

  it("stores a failed objective as a failing point", async () => {
    const { catalog, control } = await publishedControl({ mashupId: "test-fail", threshold: 90 });
    expect((await sync(catalog.id, { from: MARCH.from, to: "2025-03-02T00:00:00Z" })).body).toMatchObject({
      storedCount: 1,
    });
    const points = await request(setup.app, "GET", `/api/v1/points?controlId=${control.id}&source=registry`, {
      token: developer.token,
    });
    expect(points.body.items[0]).toMatchObject({ result: "fail", value: 66.667, threshold: 90 });
  });

  it("stores a window without applicable evidence as not_applicable, as the engine would, not as the registry's false", async () => {
    const { catalog, control } = await publishedControl({ mashupId: "test-empty" });
    expect((await sync(catalog.id, { from: MARCH.from, to: "2025-03-02T00:00:00Z" })).body).toMatchObject({
      storedCount: 1,
    });
    const state = [...setup.registry.states.values()].find((item) => item.agreementId === `tpa-${catalog.id}`)!;
    expect((state.records[0] as { value: boolean }).value).toBe(false);
    const points = await request(setup.app, "GET", `/api/v1/points?controlId=${control.id}&source=registry`, {
      token: developer.token,
    });
    expect(points.body.items[0]).toMatchObject({ result: "not_applicable", value: null });
  });

  it("gives registry points their control version, and keeps no state the registry evaluated under another one", async () => {
    const { catalog, control } = await publishedControl({ mashupId: "test-fail", threshold: 50 });
    expect((await sync(catalog.id)).body).toMatchObject({ storedCount: 2, skipped: [] });
    const registryPoints = async () =>
      (
        await request(setup.app, "GET", `/api/v1/points?controlId=${control.id}&source=registry&sort=windowStart`, {
          token: developer.token,
        })
      ).body.items;
    expect(
      (await registryPoints()).map((point: any) => [point.controlVersion, point.hashScheme, point.result]),
    ).toEqual([
      [1, 2, "pass"],
      [1, 2, "pass"],
    ]);
    const first = await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published",
    );

    // Version 2 decides from 3 March (1 and 2 March have registry points): stricter, and published to the registry.
    const changed = await request(setup.app, "PATCH", `/api/v1/controls/${control.id}`, {
      token: developer.token,
      body: { threshold: 90, reason: "Stricter" },
    });
    expect(changed.body.version).toBe(2);
    await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published" && item.publishedHash !== first.publishedHash,
    );
    // Windows of version 1 are no longer asked for: the registry holds only version 2's terms now.
    expect((await sync(catalog.id)).body).toMatchObject({ windows: [], storedCount: 0 });

    // As if the registry still held version 1 (a publish not through yet): its verdicts are reported, not stored.
    const stored = setup.registry.agreements.get(`tpa-${catalog.id}`) as any;
    const metricId = `${guaranteeIdOf(control.id)}_METRIC`;
    stored.terms.metrics[metricId].measure.params.controlVersion = 1;
    stored.terms.guarantees[0].of[0].objective = `${metricId} >= 50`;
    const MARCH_3 = { from: "2025-03-03T00:00:00Z", to: "2025-03-04T00:00:00Z" };
    const stale = (await sync(catalog.id, MARCH_3)).body;
    expect(stale).toMatchObject({ stateCount: 0, storedCount: 0 });
    expect(stale.skipped).toEqual([
      {
        guaranteeId: guaranteeIdOf(control.id),
        reason: expect.stringMatching(/under version 1 of the control, but version 2 decides the window/),
      },
    ]);

    // Published again, the registry evaluates under version 2, and the point says so.
    const republished = await request(setup.app, "POST", `/api/v1/catalogs/${catalog.id}/registry/publish`, {
      token: developer.token,
    });
    expect(republished.status).toBe(202);
    const inRegistry = () =>
      (setup.registry.agreements.get(`tpa-${catalog.id}`) as any).terms.metrics[metricId].measure.params.controlVersion;
    for (let tries = 0; inRegistry() !== 2 && tries < 100; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await sync(catalog.id, MARCH_3)).body).toMatchObject({ storedCount: 1, skipped: [] });
    expect((await registryPoints()).at(-1)).toMatchObject({
      windowStart: "2025-03-03T00:00:00.000Z",
      controlVersion: 2,
      threshold: 90,
      result: "fail",
      hashScheme: 2,
    });
    expect(
      (await request(setup.app, "GET", `/api/v1/controls/${control.id}/points/verify`, { token: developer.token }))
        .body,
    ).toMatchObject({ isIntact: true, pointCount: 3, versionCount: 2 });
  });

  it("keeps registry and engine points of the same window side by side on one verifiable chain", async () => {
    const { catalog, control } = await publishedControl({ mashupId: "test-pass" });
    const created = await startRuns(setup.app, developer.token, control.id, {
      from: MARCH.from,
      to: "2025-03-02T00:00:00Z",
    });
    await waitForBatch(setup.app, developer.token, created.batch.id);
    await sync(catalog.id, { from: MARCH.from, to: "2025-03-02T00:00:00Z" });

    const points = await request(setup.app, "GET", `/api/v1/points?controlId=${control.id}`, {
      token: developer.token,
    });
    expect(points.body.items.map((point: any) => point.source).sort()).toEqual(["engine", "registry"]);
    expect(
      (await request(setup.app, "GET", `/api/v1/controls/${control.id}/points/verify`, { token: developer.token }))
        .body,
    ).toMatchObject({ isIntact: true, pointCount: 2 });
    // The integrators' API counts the window once (the engine's point) unless a source is asked for.
    const guarantees = await request(setup.app, "GET", `/api/v1/registry/guarantees?control_id=${control.id}`, {
      token: developer.token,
    });
    expect(RegistryGuaranteePageSchema.parse(guarantees.body).items.map((item) => item.source)).toEqual(["engine"]);
    const registryOnly = await request(
      setup.app,
      "GET",
      `/api/v1/registry/guarantees?control_id=${control.id}&source=registry`,
      { token: developer.token },
    );
    expect(registryOnly.body.items.map((item: any) => item.source)).toEqual(["registry"]);
  });

  it("the scheduled job pulls the windows that closed since its last pass, and moves its cursor", async () => {
    const { catalog, control } = await publishedControl({ mashupId: "test-pass" });
    await setup.app.deps.db.query(
      "update registry_publications set synced_through = '2025-04-01T00:00:00Z' where catalog_id = $1",
      [catalog.id],
    );
    setup.app.setNow(new Date("2025-04-03T12:00:00Z"));
    try {
      await syncClosedWindows(setup.app.deps);
    } finally {
      setup.app.setNow(undefined);
    }
    const points = await setup.app.deps.db.query(
      "select window_start from points where control_id = $1 and source = 'registry' order by window_start",
      [control.id],
    );
    expect(points.rows.map((row) => row.window_start)).toEqual([
      "2025-04-01T00:00:00.000Z",
      "2025-04-02T00:00:00.000Z",
    ]);
    const publication = await setup.app.deps.db.query(
      "select synced_through, last_sync_error from registry_publications where catalog_id = $1",
      [catalog.id],
    );
    expect(publication.rows[0]).toEqual({ synced_through: "2025-04-03T12:00:00.000Z", last_sync_error: null });
  });

  it("answers 503 when the registry is too slow, and records the error on the publication", async () => {
    const { catalog } = await publishedControl({ mashupId: "test-pass" });
    setup.registry.delayMs = 5000;
    try {
      const response = await sync(catalog.id, { from: MARCH.from, to: "2025-03-02T00:00:00Z" });
      expect(expectProblem(response, 503, "registry_unavailable").detail).toContain("did not answer within 4000 ms");
    } finally {
      setup.registry.delayMs = 0;
    }
    const publication = await request(setup.app, "GET", `/api/v1/catalogs/${catalog.id}/registry`, {
      token: developer.token,
    });
    expect(publication.body.lastSyncError).toContain("did not answer");
  });

  it("answers 502 when the registry's streamed answer breaks off (it failed after starting the 200)", async () => {
    const { catalog, control } = await publishedControl({ mashupId: "test-pass" });
    // The agreement now names a metric the registry cannot find: it fails after streaming the array's start.
    const agreement = setup.registry.agreements.get(`tpa-${catalog.id}`) as any;
    agreement.terms.guarantees[0].of[0].with = { MISSING_METRIC: {} };
    const response = await sync(catalog.id, { from: MARCH.from, to: "2025-03-02T00:00:00Z" });
    expect(expectProblem(response, 502, "registry_failed").detail).toContain("not complete JSON");
    const stored = await setup.app.deps.db.query("select count(*)::int as n from points where control_id = $1", [
      control.id,
    ]);
    expect(stored.rows[0].n).toBe(0);
  });

  it("refuses drafts, bad ranges and too many windows", async () => {
    const { catalog } = await publishedControl({ mashupId: "test-pass" });
    expectProblem(await sync(catalog.id, { from: MARCH.to, to: MARCH.from }), 400, "validation_failed");
    expectProblem(
      await sync(catalog.id, { from: "2020-01-01T00:00:00Z", to: "2025-12-31T00:00:00Z" }),
      400,
      "too_many_windows",
    );
    expectProblem(await sync("00000000-0000-4000-8000-000000000000"), 404, "not_found");
  });
});
