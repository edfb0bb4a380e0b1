import net, { type AddressInfo } from "node:net";
import { RegistryPublicationSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl } from "../engine/engine-helpers.ts";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "../factories.ts";
import { startFakeGovernifyRegistry } from "../fakes/fake-governify-registry.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startAppWithFakeRegistry, waitForPublication, type RegistryTestSetup } from "../registry/registry-helpers.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import {
  claimDuePublications,
  findPublication,
  markPublicationDue,
  markPublished,
} from "../../src/modules/publications/publications.repository.ts";

const guaranteeId = (controlId: string) => `CONTROL_${controlId.replace(/-/g, "")}`;

describe("publishing catalogs to the registry (against the FAKE Governify registry)", () => {
  let setup: RegistryTestSetup;
  let developer: TestUser;

  beforeAll(async () => {
    setup = await startAppWithFakeRegistry({ withCollectorToken: false });
    developer = await signInAs(setup.app, "DEVELOPER");
  });
  afterAll(() => setup?.close());

  it("finalizing a catalog publishes its agreement: a metric and a guarantee per control, an `of` per scope set", async () => {
    const { catalog, control } = await createEvaluableControl(setup.app, developer.token, {
      mashupId: "test-pass",
      period: "ANNUALLY",
      threshold: 87.5,
      params: { org: "acme" },
      scopes: [{ team: "payments" }, { team: "risk" }],
    });
    const publication = await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published",
    );

    expect(RegistryPublicationSchema.parse(publication)).toMatchObject({
      agreementId: `tpa-${catalog.id}`,
      lastError: null,
      publishedHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const agreement = setup.registry.agreements.get(`tpa-${catalog.id}`) as any;
    const metricId = `${guaranteeId(control.id)}_METRIC`;
    expect(agreement).toMatchObject({
      id: `tpa-${catalog.id}`,
      type: "agreement",
      context: { validity: { initial: "2025-01-01", timeZone: "UTC" } },
    });
    expect(agreement.terms.metrics[metricId]).toEqual({
      collector: {
        type: "POST-GET-V1-STATUS",
        infrastructurePath: "status-backend",
        endpoint: "/api/v1/computations",
        config: { backendUrl: `${setup.app.config.registry.publicApiUrl}/computations/bulk` },
      },
      measure: {
        endpoint: "/api/v1/computations",
        params: { org: "acme", controlId: control.id, controlVersion: 1 },
        scope: {},
      },
    });
    const [guarantee] = agreement.terms.guarantees;
    expect(guarantee.id).toBe(guaranteeId(control.id));
    expect(guarantee.description).toBe(control.name);
    expect(guarantee.of).toHaveLength(2);
    // ANNUALLY becomes the registry's `yearly`; the objective is the threshold, never text a user typed.
    expect(guarantee.of[0]).toMatchObject({
      objective: `${metricId} >= 87.5`,
      with: { [metricId]: {} },
      window: { type: "static", period: "yearly", initial: "2025-01-01" },
    });
    expect(guarantee.of.map((of: { scope: Record<string, string> }) => Object.values(of.scope)[0]).sort()).toEqual([
      "payments",
      "risk",
    ]);
    const calls = setup.registry.requests.filter((call) => call.path.includes(catalog.id)).map((call) => call.method);
    expect(calls.slice(0, 1)).toEqual(["GET"]);
    expect(setup.registry.requests.some((call) => call.method === "POST" && call.path === "/api/v6/agreements")).toBe(
      true,
    );
  });

  it("a change to a published catalog is PUT; publishing an unchanged one sends no PUT or POST", async () => {
    const { catalog, control } = await createEvaluableControl(setup.app, developer.token, {
      mashupId: "test-pass",
      threshold: 80,
    });
    const first = await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published",
    );

    const updated = await request(setup.app, "PATCH", `/api/v1/controls/${control.id}`, {
      token: developer.token,
      body: { threshold: 95, reason: "Tighter after the audit" },
    });
    expect(updated.status).toBe(200);
    const second = await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published" && item.publishedHash !== first.publishedHash,
    );
    const agreement = setup.registry.agreements.get(`tpa-${catalog.id}`) as any;
    expect(agreement.terms.guarantees[0].of[0].objective).toBe(`${guaranteeId(control.id)}_METRIC >= 95`);
    // The threshold change made version 2 of the control, and the agreement says which version its terms are.
    expect(agreement.terms.metrics[`${guaranteeId(control.id)}_METRIC`].measure.params.controlVersion).toBe(2);
    expect(
      setup.registry.requests.filter((call) => call.method === "PUT" && call.path.includes(catalog.id)),
    ).toHaveLength(1);

    const before = setup.registry.requests.length;
    const now = await request(setup.app, "POST", `/api/v1/catalogs/${catalog.id}/registry/publish`, {
      token: developer.token,
    });
    expect(now.status).toBe(202);
    await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published" && setup.registry.requests.length > before,
    );
    const after = setup.registry.requests.slice(before).filter((call) => call.path.includes(catalog.id));
    expect(after.map((call) => call.method)).toEqual(["GET"]);
    expect(second.publishedHash).not.toBe(first.publishedHash);
  });

  it("a new control, a new scope set and an edited scope definition republish a finalized catalog", async () => {
    const { catalog } = await createEvaluableControl(setup.app, developer.token, { mashupId: "test-pass" });
    const first = await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published",
    );
    const added = await createControlVia(setup.app, developer.token, catalog.id, { mashupId: "test-fail" });
    await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published" && item.publishedHash !== first.publishedHash,
    );
    const agreement = setup.registry.agreements.get(`tpa-${catalog.id}`) as any;
    expect(agreement.terms.guarantees.map((guarantee: { id: string }) => guarantee.id)).toContain(
      guaranteeId(added.id),
    );

    const second = await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published",
    );
    const scope = await createScopeVia(setup.app, developer.token);
    await createScopeSetVia(setup.app, developer.token, added.id, { [scope.name]: "emea" }, "EMEA joins");
    await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published" && item.publishedHash !== second.publishedHash,
    );
    const republished = setup.registry.agreements.get(`tpa-${catalog.id}`) as any;
    const guarantee = republished.terms.guarantees.find((item: { id: string }) => item.id === guaranteeId(added.id));
    expect(guarantee.of.map((of: { scope: unknown }) => of.scope)).toEqual([{ [scope.name]: "emea" }]);
    expect(republished.context.definitions.scopes.status[scope.name]).toMatchObject({
      name: scope.name,
      type: "string",
    });

    const third = await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published",
    );
    expect(
      (
        await request(setup.app, "PATCH", `/api/v1/scopes/${scope.id}`, {
          token: developer.token,
          body: { description: "Sales region" },
        })
      ).status,
    ).toBe(200);
    await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published" && item.publishedHash !== third.publishedHash,
    );
    expect(
      (setup.registry.agreements.get(`tpa-${catalog.id}`) as any).context.definitions.scopes.status[scope.name]
        .description,
    ).toBe("Sales region");
  });

  it("on a registry without PUT (the statuscompliance fork) a change is replaced by DELETE and POST", async () => {
    const { catalog, control } = await createEvaluableControl(setup.app, developer.token, {
      mashupId: "test-pass",
      threshold: 70,
    });
    const first = await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published",
    );
    setup.registry.hasNoPut = true;
    try {
      await request(setup.app, "PATCH", `/api/v1/controls/${control.id}`, {
        token: developer.token,
        body: { threshold: 75, reason: "Looser for the pilot" },
      });
      await waitForPublication(
        setup.app,
        developer.token,
        catalog.id,
        (item) => item.state === "published" && item.publishedHash !== first.publishedHash,
      );
    } finally {
      setup.registry.hasNoPut = false;
    }
    const methods = setup.registry.requests
      .filter((call) => call.path.includes(catalog.id) || call.path === "/api/v6/agreements")
      .map((call) => call.method);
    expect(methods.slice(-4)).toEqual(["GET", "PUT", "DELETE", "POST"]);
    expect((setup.registry.agreements.get(`tpa-${catalog.id}`) as any).terms.guarantees[0].of[0].objective).toMatch(
      />= 75$/,
    );
  });

  it("drafts are not published, and 'publish now' refuses them", async () => {
    const draft = await createCatalogVia(setup.app, developer.token);
    await createControlVia(setup.app, developer.token, draft.id);
    const publication = await request(setup.app, "GET", `/api/v1/catalogs/${draft.id}/registry`, {
      token: developer.token,
    });
    expect(publication.body.state).toBe("unpublished");
    expectProblem(
      await request(setup.app, "POST", `/api/v1/catalogs/${draft.id}/registry/publish`, { token: developer.token }),
      409,
      "registry_not_published",
    );
  });

  it("sync is refused while no collector credential is configured", async () => {
    const { catalog } = await createEvaluableControl(setup.app, developer.token, { mashupId: "test-pass" });
    const response = await request(setup.app, "POST", `/api/v1/catalogs/${catalog.id}/registry/sync`, {
      token: developer.token,
      body: { from: "2025-03-01T00:00:00Z", to: "2025-03-02T00:00:00Z" },
    });
    expect(expectProblem(response, 409, "registry_not_configured").detail).toContain("REGISTRY_COLLECTOR_TOKEN");
  });

  it("a USER may read the publication but not publish", async () => {
    const user = await signInAs(setup.app, "USER");
    const { catalog } = await createEvaluableControl(setup.app, developer.token, { mashupId: "test-pass" });
    expect(
      (await request(setup.app, "GET", `/api/v1/catalogs/${catalog.id}/registry`, { token: user.token })).status,
    ).toBe(200);
    expectProblem(
      await request(setup.app, "POST", `/api/v1/catalogs/${catalog.id}/registry/publish`, { token: user.token }),
      403,
      "forbidden",
    );
  });
});

async function unusedLoopbackPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("publishing while the registry is down or slow (FAKE Governify registry)", () => {
  let app: TestApp;
  let developer: TestUser;
  let registryPort: number;

  beforeAll(async () => {
    registryPort = await unusedLoopbackPort();
    app = await startTestApp({
      engine: { isWorker: false, isScheduler: true },
      env: {
        SCHEDULER_ENABLED: "false",
        REGISTRY_URL: `http://127.0.0.1:${registryPort}`,
        REGISTRY_PUBLISH_INTERVAL_MS: "200",
        REGISTRY_TIMEOUT_MS: "500",
      },
    });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("a registry that is down never fails the user's request; the error is shown and publishing retries until it is back", async () => {
    const started = Date.now();
    const { catalog } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    expect(Date.now() - started).toBeLessThan(5000);
    const failed = await waitForPublication(app, developer.token, catalog.id, (item) => item.state === "error");
    expect(failed.lastError).toMatch(/unreachable/);
    expect(failed.attempts).toBeGreaterThanOrEqual(1);
    expect(failed.nextAttemptAt).not.toBeNull();

    const registry = await startFakeGovernifyRegistry({
      infrastructure: { "status-backend": app.baseUrl },
      port: registryPort,
    });
    try {
      const published = await waitForPublication(
        app,
        developer.token,
        catalog.id,
        (item) => item.state === "published",
        20_000,
      );
      expect(published.lastError).toBeNull();
      expect(registry.agreements.has(`tpa-${catalog.id}`)).toBe(true);
    } finally {
      await registry.close();
    }
  });

  it("a slow registry times out in the background; the user's finalize answers at once", async () => {
    const registry = await startFakeGovernifyRegistry({
      infrastructure: { "status-backend": app.baseUrl },
      port: registryPort,
    });
    registry.delayMs = 2000;
    try {
      const started = Date.now();
      const { catalog } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
      expect(Date.now() - started).toBeLessThan(2000);
      const failed = await waitForPublication(app, developer.token, catalog.id, (item) => item.state === "error");
      expect(failed.lastError).toContain("did not answer within 500 ms");
      registry.delayMs = 0;
      await waitForPublication(app, developer.token, catalog.id, (item) => item.state === "published", 20_000);
    } finally {
      await registry.close();
    }
  });
});

describe("the publication outbox", () => {
  it("keeps a change made while a publish was in flight pending, so it is published too", async () => {
    const app = await startTestApp();
    try {
      const developer = await signInAs(app, "DEVELOPER");
      const { catalog } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
      await markPublicationDue(app.deps.db, catalog.id);
      const [claimed] = await claimDuePublications(app.deps.db, 60_000, 10);
      expect(claimed).toMatchObject({ catalogId: catalog.id, attempts: 1 });
      await markPublicationDue(app.deps.db, catalog.id); // the catalog changes while the registry call runs

      await markPublished(app.deps.db, catalog.id, "f".repeat(64), claimed!.requestedAt);

      const row = await findPublication(app.deps.db, catalog.id);
      expect(row).toMatchObject({ state: "pending", publishedHash: "f".repeat(64) });
      expect(await claimDuePublications(app.deps.db, 60_000, 10)).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

describe("without REGISTRY_URL", () => {
  it("reports the publication as not configured and refuses to publish", async () => {
    const app = await startTestApp();
    try {
      const developer = await signInAs(app, "DEVELOPER");
      const catalog = await createCatalogVia(app, developer.token);
      expect(
        (await request(app, "GET", `/api/v1/catalogs/${catalog.id}/registry`, { token: developer.token })).body.state,
      ).toBe("not_configured");
      expectProblem(
        await request(app, "POST", `/api/v1/catalogs/${catalog.id}/registry/publish`, { token: developer.token }),
        409,
        "registry_not_configured",
      );
      const rows = await app.deps.db.query("select count(*)::int as n from registry_publications");
      expect(rows.rows[0].n).toBe(0);
    } finally {
      await app.close();
    }
  });
});
