import { randomUUID } from "node:crypto";
import { ControlPageSchema, ControlSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createControlVia, createFinalizedCatalogVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

describe("controls", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  async function controlRow(id: string) {
    const { rows } = await app.deps.db.query(
      "select catalog_id, name, description, period, mashup_id, params, threshold::float8 as threshold, status from controls where id = $1",
      [id],
    );
    return rows[0];
  }

  function idsOf(page: { items: { id: string }[] }): string[] {
    return page.items.map((item) => item.id);
  }

  describe("create and read", () => {
    it("adds a draft control to a catalog with the defaults: MONTHLY, threshold 100, no params", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const name = `Branch protection ${uniqueSuffix()}`;

      const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: { name },
      });

      expect(response.status).toBe(201);
      const control = ControlSchema.parse(response.body);
      expect(response.headers.get("location")).toBe(`/api/v1/controls/${control.id}`);
      expect(control).toMatchObject({
        catalogId: catalog.id,
        name,
        description: "",
        period: "MONTHLY",
        startDate: null,
        endDate: null,
        mashupId: null,
        params: {},
        threshold: 100,
        status: "draft",
        scopeSetCount: 0,
      });
      expect(await controlRow(control.id)).toEqual({
        catalog_id: catalog.id,
        name,
        description: "",
        period: "MONTHLY",
        mashup_id: null,
        params: {},
        threshold: 100,
        status: "draft",
      });
      const parent = await request(app, "GET", `/api/v1/catalogs/${catalog.id}`, { token: developer.token });
      expect(parent.body.controlCount).toBe(1);
    });

    it("stores every field given, params as JSON", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const params = {
        org: "acme",
        repositories: ["api", "web"],
        strict: true,
        depth: 2,
        extra: null,
        nested: { a: { b: [1, "two"] } },
      };

      const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: {
          name: `Full ${uniqueSuffix()}`,
          description: "All fields",
          period: "DAILY",
          mashupId: "branch-protection",
          params,
          threshold: 87.5,
          startDate: "2025-01-01T00:00:00Z",
          endDate: "2026-01-01T00:00:00Z",
        },
      });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        period: "DAILY",
        mashupId: "branch-protection",
        params,
        threshold: 87.5,
        startDate: "2025-01-01T00:00:00.000Z",
        endDate: "2026-01-01T00:00:00.000Z",
      });
      expect(await controlRow(response.body.id)).toMatchObject({
        period: "DAILY",
        mashup_id: "branch-protection",
        params,
        threshold: 87.5,
      });
    });

    it("reads a control back by id", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const created = await createControlVia(app, developer.token, catalog.id);

      const response = await request(app, "GET", `/api/v1/controls/${created.id}`, { token: developer.token });

      expect(response.status).toBe(200);
      expect(ControlSchema.parse(response.body)).toEqual(created);
    });

    it("answers 404 for a catalog that does not exist, and stores nothing", async () => {
      const name = `Orphan ${uniqueSuffix()}`;

      const response = await request(app, "POST", `/api/v1/catalogs/${randomUUID()}/controls`, {
        token: developer.token,
        body: { name },
      });

      expectProblem(response, 404, "not_found");
      const { rows } = await app.deps.db.query("select id from controls where name = $1", [name]);
      expect(rows).toHaveLength(0);
    });

    it("refuses a name taken in the same catalog (any case): 409 duplicate", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const first = await createControlVia(app, developer.token, catalog.id);

      const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: { name: first.name.toUpperCase() },
      });

      expectProblem(response, 409, "duplicate");
      const { rows } = await app.deps.db.query("select id from controls where catalog_id = $1", [catalog.id]);
      expect(rows).toHaveLength(1);
    });

    it("accepts the same name in another catalog", async () => {
      const first = await createCatalogVia(app, developer.token);
      const second = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, first.id);

      const response = await request(app, "POST", `/api/v1/catalogs/${second.id}/controls`, {
        token: developer.token,
        body: { name: control.name },
      });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ catalogId: second.id, name: control.name });
    });

    it("refuses a threshold above 100: 400 on body.threshold", async () => {
      const catalog = await createCatalogVia(app, developer.token);

      const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: { name: `Too strict ${uniqueSuffix()}`, threshold: 101 },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toEqual([{ path: "body.threshold", message: "Must be between 0 and 100" }]);
    });

    it("refuses params that are not an object, on body.params", async () => {
      const catalog = await createCatalogVia(app, developer.token);

      for (const params of ["org=acme", ["acme"], 42, null]) {
        const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
          token: developer.token,
          body: { name: `Params ${uniqueSuffix()}`, params },
        });

        const problem = expectProblem(response, 400, "validation_failed");
        expect(problem.errors, JSON.stringify(params)).toContainEqual(expect.objectContaining({ path: "body.params" }));
      }
      const { rows } = await app.deps.db.query("select id from controls where catalog_id = $1", [catalog.id]);
      expect(rows).toHaveLength(0);
    });

    it("refuses a parameter name that is not an identifier", async () => {
      const catalog = await createCatalogVia(app, developer.token);

      const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: { name: `Params ${uniqueSuffix()}`, params: { "not a name": 1 } },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors[0].path).toMatch(/^body\.params/);
    });
  });

  describe("finalized catalogs", () => {
    it("finalizes a control added to a finalized catalog at once", async () => {
      const { catalog } = await createFinalizedCatalogVia(app, developer.token);

      const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: { name: `Late ${uniqueSuffix()}`, mashupId: "late-flow" },
      });

      expect(response.status).toBe(201);
      expect(response.body.status).toBe("finalized");
      // Audited as answered (this path is a transaction; a draft catalog's is one statement, see
      // control-create-statement.int.test.ts).
      const { rows: audited } = await app.deps.db.query(
        "select after = $2::jsonb as is_answered from audit_log where resource_type = 'control' and resource_id = $1",
        [response.body.id, JSON.stringify(response.body)],
      );
      expect(audited).toEqual([{ is_answered: true }]);
      expect((await controlRow(response.body.id)).status).toBe("finalized");
    });

    it("needs a mashup for a control added to a finalized catalog: 400 on body.mashupId", async () => {
      const { catalog } = await createFinalizedCatalogVia(app, developer.token);
      const name = `Unbound ${uniqueSuffix()}`;

      const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: { name },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toEqual([expect.objectContaining({ path: "body.mashupId" })]);
      const { rows } = await app.deps.db.query("select id from controls where name = $1", [name]);
      expect(rows).toHaveLength(0);
    });

    it("never returns a finalized control to draft: 409 control_finalized", async () => {
      const { control } = await createFinalizedCatalogVia(app, developer.token);

      const response = await request(app, "PATCH", `/api/v1/controls/${control.id}`, {
        token: developer.token,
        body: { status: "draft" },
      });

      expectProblem(response, 409, "control_finalized");
      expect((await controlRow(control.id)).status).toBe("finalized");
    });

    it("keeps the mashup of a finalized control: unbinding it is a 400 on body.mashupId", async () => {
      const { control } = await createFinalizedCatalogVia(app, developer.token);

      const response = await request(app, "PATCH", `/api/v1/controls/${control.id}`, {
        token: developer.token,
        body: { mashupId: null },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toEqual([expect.objectContaining({ path: "body.mashupId" })]);
      expect((await controlRow(control.id)).mashup_id).toBe(control.mashupId);
    });

    it("does not finalize a control of a draft catalog: 409 control_not_finalizable", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);

      const response = await request(app, "PATCH", `/api/v1/controls/${control.id}`, {
        token: developer.token,
        body: { status: "finalized" },
      });

      expectProblem(response, 409, "control_not_finalizable");
      expect((await controlRow(control.id)).status).toBe("draft");
    });
  });

  describe("list", () => {
    it("lists the controls of one catalog, by name, with the page envelope", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const other = await createCatalogVia(app, developer.token);
      const beta = await createControlVia(app, developer.token, catalog.id, { name: "beta" });
      const alpha = await createControlVia(app, developer.token, catalog.id, { name: "Alpha" });
      await createControlVia(app, developer.token, other.id, { name: "alpha elsewhere" });

      const response = await request(app, "GET", `/api/v1/catalogs/${catalog.id}/controls`, { token: developer.token });

      expect(response.status).toBe(200);
      const page = ControlPageSchema.parse(response.body);
      expect(page).toMatchObject({ total: 2, page: 1, pageSize: 25 });
      expect(idsOf(page)).toEqual([alpha.id, beta.id]);
    });

    it("answers 404 for the controls of a catalog that does not exist", async () => {
      const response = await request(app, "GET", `/api/v1/catalogs/${randomUUID()}/controls`, {
        token: developer.token,
      });

      expectProblem(response, 404, "not_found");
    });

    it("lists across catalogs and narrows with ?catalogId=", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const other = await createCatalogVia(app, developer.token);
      const mine = await createControlVia(app, developer.token, catalog.id);
      const theirs = await createControlVia(app, developer.token, other.id);

      const all = await request(app, "GET", "/api/v1/controls?pageSize=200", { token: developer.token });
      const narrowed = await request(app, "GET", `/api/v1/controls?catalogId=${catalog.id}`, {
        token: developer.token,
      });

      expect(idsOf(ControlPageSchema.parse(all.body))).toEqual(expect.arrayContaining([mine.id, theirs.id]));
      expect(narrowed.body).toMatchObject({ total: 1, items: [{ id: mine.id }] });
    });

    it("filters by period, status and a search term", async () => {
      const catalog = await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" });
      const tag = uniqueSuffix();
      const daily = await createControlVia(app, developer.token, catalog.id, { name: `Daily ${tag}`, period: "DAILY" });
      const monthly = await createControlVia(app, developer.token, catalog.id, {
        name: `Monthly`,
        description: `mentions ${tag}`,
      });
      const draftCatalog = await createCatalogVia(app, developer.token);
      const draft = await createControlVia(app, developer.token, draftCatalog.id, {
        name: `Draft ${tag}`,
        period: "DAILY",
      });
      await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { status: "finalized" },
      });

      const byPeriod = await request(app, "GET", `/api/v1/controls?q=${tag}&period=DAILY`, { token: developer.token });
      const byStatus = await request(app, "GET", `/api/v1/controls?q=${tag}&status=finalized`, {
        token: developer.token,
      });
      const bySearch = await request(app, "GET", `/api/v1/catalogs/${catalog.id}/controls?q=${tag}`, {
        token: developer.token,
      });
      const combined = await request(app, "GET", `/api/v1/controls?q=${tag}&period=DAILY&status=draft`, {
        token: developer.token,
      });

      expect(idsOf(byPeriod.body)).toEqual([daily.id, draft.id]);
      expect(idsOf(byStatus.body)).toEqual([daily.id, monthly.id]);
      expect(idsOf(bySearch.body)).toEqual([daily.id, monthly.id]);
      expect(idsOf(combined.body)).toEqual([draft.id]);
    });

    it("refuses an unknown period filter: 400 on query.period", async () => {
      const response = await request(app, "GET", "/api/v1/controls?period=FORTNIGHTLY", { token: developer.token });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toContainEqual(expect.objectContaining({ path: "query.period" }));
    });
  });

  describe("update and delete", () => {
    it("applies a partial update and keeps the rest", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id, {
        params: { org: "acme" },
        threshold: 90,
      });

      const response = await request(app, "PATCH", `/api/v1/controls/${control.id}`, {
        token: developer.token,
        body: { period: "WEEKLY", params: { org: "globex" } },
      });

      expect(response.status).toBe(200);
      expect(ControlSchema.parse(response.body)).toMatchObject({
        name: control.name,
        mashupId: control.mashupId,
        period: "WEEKLY",
        params: { org: "globex" },
        threshold: 90,
      });
      expect(await controlRow(control.id)).toMatchObject({
        period: "WEEKLY",
        params: { org: "globex" },
        threshold: 90,
        mashup_id: control.mashupId,
      });
    });

    it("refuses renaming onto a sibling's name: 409 duplicate", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const taken = await createControlVia(app, developer.token, catalog.id);
      const control = await createControlVia(app, developer.token, catalog.id);

      const response = await request(app, "PATCH", `/api/v1/controls/${control.id}`, {
        token: developer.token,
        body: { name: taken.name },
      });

      expectProblem(response, 409, "duplicate");
      expect((await controlRow(control.id)).name).toBe(control.name);
    });

    it("refuses a threshold above 100 on update: 400 on body.threshold", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);

      const response = await request(app, "PATCH", `/api/v1/controls/${control.id}`, {
        token: developer.token,
        body: { threshold: 101 },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toEqual([expect.objectContaining({ path: "body.threshold" })]);
      expect((await controlRow(control.id)).threshold).toBe(100);
    });

    it("deletes a control: 204, the row is gone and the catalog's count drops", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);

      const response = await request(app, "DELETE", `/api/v1/controls/${control.id}`, { token: developer.token });

      expect(response.status).toBe(204);
      expect(await controlRow(control.id)).toBeUndefined();
      expectProblem(
        await request(app, "GET", `/api/v1/controls/${control.id}`, { token: developer.token }),
        404,
        "not_found",
      );
      expect(
        (await request(app, "GET", `/api/v1/catalogs/${catalog.id}`, { token: developer.token })).body.controlCount,
      ).toBe(0);
      const { rows } = await app.deps.db.query(
        "select action, before from audit_log where resource_type = 'control' and resource_id = $1 order by id",
        [control.id],
      );
      expect(rows).toEqual([
        { action: "create", before: null },
        { action: "delete", before: control },
      ]);
    });

    it("answers 404 when deleting a control that does not exist", async () => {
      const response = await request(app, "DELETE", `/api/v1/controls/${randomUUID()}`, { token: developer.token });

      expectProblem(response, 404, "not_found");
    });
  });

  // An app of its own: 1,200 more controls would crowd the other tests' lists across catalogs.
  describe("a long list", () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterAll(() => cleanup?.());

    it("counts up to 1,000 exactly and estimates past that, paging by name all the same", async () => {
      const app = await startTestApp();
      cleanup = () => app.close();
      const developer = await signInAs(app, "DEVELOPER");
      const catalog = await createCatalogVia(app, developer.token);
      // Written straight in SQL: 1,200 controls through the API would take the test's whole time.
      await app.deps.db.query(
        `insert into controls (catalog_id, name, period, threshold)
         select $1, 'Bulk ' || lpad(i::text, 4, '0'), 'MONTHLY', 100 from generate_series(1, 1200) i`,
        [catalog.id],
      );
      await app.deps.db.query("analyze controls");
      const listed = (query: string) =>
        request(app, "GET", `/api/v1/catalogs/${catalog.id}/controls?${query}`, { token: developer.token });

      const first = ControlPageSchema.parse((await listed("pageSize=50")).body);
      const second = ControlPageSchema.parse((await listed("pageSize=50&page=2")).body);
      const pastTheEnd = ControlPageSchema.parse((await listed("pageSize=50&page=100")).body);
      const narrowed = ControlPageSchema.parse((await listed("q=Bulk%20011")).body);

      expect(first.totalIsEstimate).toBe(true);
      expect(first.total).toBeGreaterThan(1_000);
      expect(first.items.map((control) => control.name)).toEqual(
        Array.from({ length: 50 }, (_, index) => `Bulk ${String(index + 1).padStart(4, "0")}`),
      );
      expect(second.items[0]?.name).toBe("Bulk 0051");
      expect(pastTheEnd).toMatchObject({ items: [], totalIsEstimate: true, page: 100 });
      expect(pastTheEnd.total).toBeGreaterThan(1_000);
      expect(narrowed).toMatchObject({ total: 10, totalIsEstimate: false });
    });
  });
});
