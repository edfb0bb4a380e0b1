import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl } from "../engine/engine-helpers.ts";
import { createControlVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startAppWithFakeRegistry, waitForPublication, type RegistryTestSetup } from "../registry/registry-helpers.ts";
import {
  claimDuePublications,
  findPublication,
  listSyncablePublications,
  markPublicationDue,
} from "../../src/modules/publications/publications.repository.ts";

const guaranteeId = (controlId: string) => `CONTROL_${controlId.replace(/-/g, "")}`;

/** What archiving does to a catalog's agreement in the registry (against the FAKE Governify registry). */
describe("archived catalogs and controls in the registry", () => {
  let setup: RegistryTestSetup;
  let developer: TestUser;

  beforeAll(async () => {
    setup = await startAppWithFakeRegistry({ withCollectorToken: false });
    developer = await signInAs(setup.app, "DEVELOPER");
  });
  afterAll(() => setup?.close());

  const agreementOf = (catalogId: string) => setup.registry.agreements.get(`tpa-${catalogId}`) as any;

  it("an archived control leaves its catalog's agreement, and comes back with its restore", async () => {
    const { catalog, control } = await createEvaluableControl(setup.app, developer.token, { mashupId: "test-pass" });
    const kept = await createControlVia(setup.app, developer.token, catalog.id, { mashupId: "test-pass" });
    const first = await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published",
    );
    expect(agreementOf(catalog.id).terms.guarantees).toHaveLength(2);

    await request(setup.app, "POST", `/api/v1/controls/${control.id}/archive`, {
      token: developer.token,
      body: { reason: "Replaced by a stricter control" },
    });
    const second = await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published" && item.publishedHash !== first.publishedHash,
    );

    expect(agreementOf(catalog.id).terms.guarantees.map((guarantee: { id: string }) => guarantee.id)).toEqual([
      guaranteeId(kept.id),
    ]);
    await request(setup.app, "POST", `/api/v1/controls/${control.id}/restore`, {
      token: developer.token,
      body: { reason: "Needed again" },
    });
    await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published" && item.publishedHash !== second.publishedHash,
    );
    expect(agreementOf(catalog.id).terms.guarantees).toHaveLength(2);
  });

  it("an archived catalog's agreement stays in the registry as last published and is no longer updated", async () => {
    const { catalog } = await createEvaluableControl(setup.app, developer.token, { mashupId: "test-pass" });
    const published = await waitForPublication(
      setup.app,
      developer.token,
      catalog.id,
      (item) => item.state === "published",
    );
    const before = JSON.stringify(agreementOf(catalog.id));

    const archived = await request(setup.app, "POST", `/api/v1/catalogs/${catalog.id}/archive`, {
      token: developer.token,
      body: { reason: "Framework withdrawn" },
    });
    // A change request that slipped through (or a bug) still cannot make an archived catalog due or claimable.
    await markPublicationDue(setup.app.deps.db, catalog.id);
    const claimed = await claimDuePublications(setup.app.deps.db, 60_000, 1000);
    const publication = await request(setup.app, "GET", `/api/v1/catalogs/${catalog.id}/registry`, {
      token: developer.token,
    });
    const publishNow = await request(setup.app, "POST", `/api/v1/catalogs/${catalog.id}/registry/publish`, {
      token: developer.token,
    });
    // The scheduled sync pulls nothing more for it: its record is complete.
    const syncable = await listSyncablePublications(setup.app.deps.db, 10_000);

    expect(archived.status).toBe(200);
    expect(claimed.map((row) => row.catalogId)).not.toContain(catalog.id);
    expect(publication.body).toMatchObject({ state: "archived", publishedHash: published.publishedHash });
    expect((await findPublication(setup.app.deps.db, catalog.id))?.state).toBe("published");
    expectProblem(publishNow, 409, "archived");
    expect(syncable.map((row) => row.catalogId)).not.toContain(catalog.id);
    expect(JSON.stringify(agreementOf(catalog.id))).toBe(before);
  });
});
