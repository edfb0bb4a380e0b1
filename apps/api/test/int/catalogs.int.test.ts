import { randomUUID } from "node:crypto";
import { CatalogPageSchema, CatalogSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

describe("catalogs", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  async function catalogRow(id: string) {
    const { rows } = await app.deps.db.query(
      "select name, description, status, finalized_at, start_date, time_zone, created_by from catalogs where id = $1",
      [id],
    );
    return rows[0];
  }

  describe("create and read", () => {
    it("creates a draft catalog: 201 with Location, a body of the shared contract, and the stored row", async () => {
      const name = `SOC 2 ${uniqueSuffix()}`;

      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        body: {
          name,
          description: "Trust services criteria",
          startDate: "2025-01-01T00:00:00Z",
          timeZone: "Europe/Madrid",
        },
      });

      expect(response.status).toBe(201);
      const catalog = CatalogSchema.parse(response.body);
      expect(response.headers.get("location")).toBe(`/api/v1/catalogs/${catalog.id}`);
      expect(catalog).toMatchObject({
        name,
        description: "Trust services criteria",
        startDate: "2025-01-01T00:00:00.000Z",
        endDate: null,
        timeZone: "Europe/Madrid",
        status: "draft",
        finalizedAt: null,
        controlCount: 0,
        createdBy: developer.id,
      });
      expect(await catalogRow(catalog.id)).toMatchObject({
        name,
        status: "draft",
        finalized_at: null,
        time_zone: "Europe/Madrid",
        created_by: developer.id,
      });
    });

    it("fills the defaults: empty description, no dates, UTC", async () => {
      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        body: { name: `Defaults ${uniqueSuffix()}` },
      });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        description: "",
        startDate: null,
        endDate: null,
        timeZone: "UTC",
        status: "draft",
      });
    });

    it("reads a catalog back by id", async () => {
      const created = await createCatalogVia(app, developer.token);

      const response = await request(app, "GET", `/api/v1/catalogs/${created.id}`, { token: developer.token });

      expect(response.status).toBe(200);
      expect(CatalogSchema.parse(response.body)).toEqual(created);
    });

    it("refuses a second catalog whose name differs only in case: 409 duplicate, nothing stored", async () => {
      const name = `Duplicate ${uniqueSuffix()}`;
      await createCatalogVia(app, developer.token, { name });

      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        body: { name: name.toUpperCase() },
      });

      expectProblem(response, 409, "duplicate");
      const { rows } = await app.deps.db.query(
        "select count(*)::int as count from catalogs where lower(name) = lower($1)",
        [name],
      );
      expect(rows[0].count).toBe(1);
    });

    it("refuses an end date before the start date: 400 on body.endDate", async () => {
      const name = `Backwards ${uniqueSuffix()}`;

      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        body: { name, startDate: "2025-06-01T00:00:00Z", endDate: "2025-01-01T00:00:00Z" },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toContainEqual(expect.objectContaining({ path: "body.endDate" }));
      const { rows } = await app.deps.db.query("select id from catalogs where name = $1", [name]);
      expect(rows).toHaveLength(0);
    });

    it("refuses an unknown time zone: 400 on body.timeZone", async () => {
      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        body: { name: `Zone ${uniqueSuffix()}`, timeZone: "Mars/Olympus_Mons" },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toContainEqual(expect.objectContaining({ path: "body.timeZone" }));
    });
  });

  describe("list", () => {
    /** Three catalogs sharing a tag, so the list can be narrowed to this test's data with `q`. */
    async function createTaggedCatalogs() {
      const tag = uniqueSuffix();
      const bravo = await createCatalogVia(app, developer.token, { name: `bravo ${tag}` });
      const alpha = await createCatalogVia(app, developer.token, { name: `Alpha ${tag}` });
      const charlie = await createCatalogVia(app, developer.token, { name: `Charlie ${tag}` });
      return { tag, alpha, bravo, charlie };
    }

    it("pages through the matches, reporting page, pageSize and the total", async () => {
      const { tag, alpha, bravo, charlie } = await createTaggedCatalogs();

      const first = await request(app, "GET", `/api/v1/catalogs?q=${tag}&pageSize=2`, { token: developer.token });
      const second = await request(app, "GET", `/api/v1/catalogs?q=${tag}&pageSize=2&page=2`, {
        token: developer.token,
      });

      expect(first.status).toBe(200);
      const firstPage = CatalogPageSchema.parse(first.body);
      expect(firstPage).toMatchObject({ total: 3, page: 1, pageSize: 2 });
      expect(firstPage.items.map((catalog) => catalog.id)).toEqual([alpha.id, bravo.id]);
      expect(CatalogPageSchema.parse(second.body)).toMatchObject({
        total: 3,
        page: 2,
        pageSize: 2,
        items: [expect.objectContaining({ id: charlie.id })],
      });
    });

    it("still reports the total for a page past the end", async () => {
      const { tag } = await createTaggedCatalogs();

      const response = await request(app, "GET", `/api/v1/catalogs?q=${tag}&pageSize=2&page=5`, {
        token: developer.token,
      });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], total: 3, page: 5, pageSize: 2 });
    });

    it("sorts by name case-insensitively by default and by -createdAt on request", async () => {
      const { tag, alpha, bravo, charlie } = await createTaggedCatalogs();

      const byName = await request(app, "GET", `/api/v1/catalogs?q=${tag}&sort=name`, { token: developer.token });
      const newestFirst = await request(app, "GET", `/api/v1/catalogs?q=${tag}&sort=-createdAt`, {
        token: developer.token,
      });

      expect(byName.body.items.map((catalog: { id: string }) => catalog.id)).toEqual([alpha.id, bravo.id, charlie.id]);
      expect(newestFirst.body.items.map((catalog: { id: string }) => catalog.id)).toEqual([
        charlie.id,
        alpha.id,
        bravo.id,
      ]);
    });

    it("filters by status and by a search term in the name or description", async () => {
      const tag = uniqueSuffix();
      const finalized = await createCatalogVia(app, developer.token, {
        name: `Final ${tag}`,
        startDate: "2025-01-01T00:00:00Z",
      });
      await createControlVia(app, developer.token, finalized.id);
      await request(app, "PATCH", `/api/v1/catalogs/${finalized.id}`, {
        token: developer.token,
        body: { status: "finalized" },
      });
      const draft = await createCatalogVia(app, developer.token, { name: `Draft ${tag}` });
      const described = await createCatalogVia(app, developer.token, {
        name: `Other ${uniqueSuffix()}`,
        description: `mentions ${tag} in its description`,
      });

      const finalizedOnly = await request(app, "GET", `/api/v1/catalogs?q=${tag}&status=finalized`, {
        token: developer.token,
      });
      const draftsOnly = await request(app, "GET", `/api/v1/catalogs?q=${tag}&status=draft`, {
        token: developer.token,
      });
      const searchedByName = await request(app, "GET", `/api/v1/catalogs?q=draft%20${tag}`, { token: developer.token });

      expect(finalizedOnly.body).toMatchObject({ total: 1, items: [{ id: finalized.id, status: "finalized" }] });
      expect(draftsOnly.body.items.map((catalog: { id: string }) => catalog.id)).toEqual([draft.id, described.id]);
      expect(searchedByName.body).toMatchObject({ total: 1, items: [{ id: draft.id }] });
    });

    it("matches LIKE wildcards in the search term literally", async () => {
      const tag = uniqueSuffix();
      const percent = await createCatalogVia(app, developer.token, { name: `100% ${tag}` });
      await createCatalogVia(app, developer.token, { name: `1000 ${tag}` });

      const response = await request(app, "GET", `/api/v1/catalogs?q=${encodeURIComponent(`100% ${tag}`)}`, {
        token: developer.token,
      });

      expect(response.body).toMatchObject({ total: 1, items: [{ id: percent.id }] });
    });
  });

  describe("update", () => {
    it("applies a partial update and keeps every field it does not mention", async () => {
      const created = await createCatalogVia(app, developer.token, {
        description: "before",
        startDate: "2025-01-01T00:00:00Z",
        timeZone: "Europe/Madrid",
      });

      const response = await request(app, "PATCH", `/api/v1/catalogs/${created.id}`, {
        token: developer.token,
        body: { description: "after" },
      });

      expect(response.status).toBe(200);
      expect(CatalogSchema.parse(response.body)).toMatchObject({
        name: created.name,
        description: "after",
        startDate: "2025-01-01T00:00:00.000Z",
        timeZone: "Europe/Madrid",
      });
      expect(Date.parse(response.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
      expect(await catalogRow(created.id)).toMatchObject({
        name: created.name,
        description: "after",
        time_zone: "Europe/Madrid",
      });
    });

    it("refuses renaming onto another catalog's name (any case): 409 duplicate", async () => {
      const taken = await createCatalogVia(app, developer.token);
      const other = await createCatalogVia(app, developer.token);

      const response = await request(app, "PATCH", `/api/v1/catalogs/${other.id}`, {
        token: developer.token,
        body: { name: taken.name.toLowerCase() },
      });

      expectProblem(response, 409, "duplicate");
      expect((await catalogRow(other.id)).name).toBe(other.name);
    });

    it("refuses an end date before the stored start date: 400 on body.endDate", async () => {
      const created = await createCatalogVia(app, developer.token, { startDate: "2025-06-01T00:00:00Z" });

      const response = await request(app, "PATCH", `/api/v1/catalogs/${created.id}`, {
        token: developer.token,
        body: { endDate: "2025-01-01T00:00:00Z" },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toEqual([expect.objectContaining({ path: "body.endDate" })]);
    });

    it("refuses an unknown time zone: 400 on body.timeZone", async () => {
      const created = await createCatalogVia(app, developer.token);

      const response = await request(app, "PATCH", `/api/v1/catalogs/${created.id}`, {
        token: developer.token,
        body: { timeZone: "Not/AZone" },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toContainEqual(expect.objectContaining({ path: "body.timeZone" }));
      expect((await catalogRow(created.id)).time_zone).toBe("UTC");
    });

    it("answers 404 for a catalog that does not exist", async () => {
      const response = await request(app, "PATCH", `/api/v1/catalogs/${randomUUID()}`, {
        token: developer.token,
        body: { description: "x" },
      });

      expectProblem(response, 404, "not_found");
    });
  });

  describe("finalize", () => {
    it("needs a start date: 400 listing body.startDate", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      await createControlVia(app, developer.token, catalog.id);

      const response = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { status: "finalized" },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toContainEqual(expect.objectContaining({ path: "body.startDate" }));
      expect((await catalogRow(catalog.id)).status).toBe("draft");
    });

    it("needs at least one control: 409 catalog_not_finalizable", async () => {
      const catalog = await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" });

      const response = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { status: "finalized" },
      });

      expectProblem(response, 409, "catalog_not_finalizable");
      expect((await catalogRow(catalog.id)).status).toBe("draft");
    });

    it("needs a mashup on every control: 409 naming the control without one", async () => {
      const catalog = await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" });
      await createControlVia(app, developer.token, catalog.id);
      const unbound = await createControlVia(app, developer.token, catalog.id, {
        name: `Unbound ${uniqueSuffix()}`,
        mashupId: null,
      });

      const response = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { status: "finalized" },
      });

      const problem = expectProblem(response, 409, "catalog_not_finalizable");
      expect(problem.detail).toContain(unbound.name);
      const { rows } = await app.deps.db.query("select status from controls where catalog_id = $1", [catalog.id]);
      expect(rows.map((row) => row.status)).toEqual(["draft", "draft"]);
    });

    it("finalizes the catalog and every one of its controls in one step", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const first = await createControlVia(app, developer.token, catalog.id);
      const second = await createControlVia(app, developer.token, catalog.id);

      const response = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { status: "finalized", startDate: "2025-01-01T00:00:00Z" },
      });

      expect(response.status).toBe(200);
      const finalized = CatalogSchema.parse(response.body);
      expect(finalized).toMatchObject({ status: "finalized", startDate: "2025-01-01T00:00:00.000Z", controlCount: 2 });
      expect(finalized.finalizedAt).not.toBeNull();
      const row = await catalogRow(catalog.id);
      expect(row.status).toBe("finalized");
      expect(row.finalized_at).toBe(finalized.finalizedAt);
      const { rows } = await app.deps.db.query("select id, status from controls where catalog_id = $1 order by id", [
        catalog.id,
      ]);
      expect(rows).toEqual(
        [first, second].map(({ id }) => ({ id, status: "finalized" })).sort((a, b) => a.id.localeCompare(b.id)),
      );
    });

    it("never returns a finalized catalog to draft: 409 catalog_finalized", async () => {
      const catalog = await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" });
      await createControlVia(app, developer.token, catalog.id);
      await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { status: "finalized" },
      });

      const response = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { status: "draft" },
      });

      expectProblem(response, 409, "catalog_finalized");
      expect(await catalogRow(catalog.id)).toMatchObject({ status: "finalized", finalized_at: expect.any(String) });
    });

    it("keeps the start date of a finalized catalog: clearing it is a 400 on body.startDate, not a database error", async () => {
      const catalog = await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" });
      await createControlVia(app, developer.token, catalog.id);
      await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { status: "finalized" },
      });

      const response = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { startDate: null },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toContainEqual(expect.objectContaining({ path: "body.startDate" }));
      expect((await catalogRow(catalog.id)).start_date).toBe("2025-01-01T00:00:00.000Z");
    });

    it("stays editable after finalizing: a description change keeps it finalized with the same finalizedAt", async () => {
      const catalog = await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" });
      await createControlVia(app, developer.token, catalog.id);
      const finalized = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { status: "finalized" },
      });

      const response = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { description: "reworded" },
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: "finalized",
        description: "reworded",
        finalizedAt: finalized.body.finalizedAt,
      });
    });
  });

  describe("delete", () => {
    it("deletes an empty catalog: 204 and the row is gone", async () => {
      const catalog = await createCatalogVia(app, developer.token);

      const response = await request(app, "DELETE", `/api/v1/catalogs/${catalog.id}`, { token: developer.token });

      expect(response.status).toBe(204);
      expect(response.text).toBe("");
      expect(await catalogRow(catalog.id)).toBeUndefined();
      const after = await request(app, "GET", `/api/v1/catalogs/${catalog.id}`, { token: developer.token });
      expectProblem(after, 404, "not_found");
    });

    it("refuses a catalog that still has controls: 409 catalog_has_controls, nothing deleted", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);

      const response = await request(app, "DELETE", `/api/v1/catalogs/${catalog.id}`, { token: developer.token });

      expectProblem(response, 409, "catalog_has_controls");
      expect(await catalogRow(catalog.id)).toBeDefined();
      const { rows } = await app.deps.db.query("select id from controls where id = $1", [control.id]);
      expect(rows).toHaveLength(1);
    });

    it("with ?cascade=true deletes the catalog, its controls and their scope sets", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);
      const scope = await createScopeVia(app, developer.token);
      const scopeSet = await createScopeSetVia(app, developer.token, control.id, { [scope.name]: "payments" });

      const response = await request(app, "DELETE", `/api/v1/catalogs/${catalog.id}?cascade=true`, {
        token: developer.token,
      });

      expect(response.status).toBe(204);
      expect(await catalogRow(catalog.id)).toBeUndefined();
      const controls = await app.deps.db.query("select id from controls where catalog_id = $1", [catalog.id]);
      const sets = await app.deps.db.query("select id from scope_sets where id = $1", [scopeSet.id]);
      const values = await app.deps.db.query("select scope_id from scope_set_values where scope_set_id = $1", [
        scopeSet.id,
      ]);
      expect(controls.rows).toHaveLength(0);
      expect(sets.rows).toHaveLength(0);
      expect(values.rows).toHaveLength(0);
      // The scope dimension itself is shared and survives.
      const scopes = await app.deps.db.query("select id from scopes where id = $1", [scope.id]);
      expect(scopes.rows).toHaveLength(1);
    });

    it("refuses a cascade value other than true or false: 400 on query.cascade", async () => {
      const catalog = await createCatalogVia(app, developer.token);

      const response = await request(app, "DELETE", `/api/v1/catalogs/${catalog.id}?cascade=yes`, {
        token: developer.token,
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toContainEqual(expect.objectContaining({ path: "query.cascade" }));
      expect(await catalogRow(catalog.id)).toBeDefined();
    });
  });

  describe("audit trail", () => {
    it("records who created, updated and deleted a catalog, with the state before and after", async () => {
      const created = await createCatalogVia(app, developer.token, { description: "first" });
      const updated = await request(app, "PATCH", `/api/v1/catalogs/${created.id}`, {
        token: developer.token,
        body: { description: "second" },
      });
      await request(app, "DELETE", `/api/v1/catalogs/${created.id}`, {
        token: developer.token,
        headers: { "x-request-id": `delete-${created.id}` },
      });

      const { rows } = await app.deps.db.query(
        `select actor_id, actor_name, action, resource_type, before, after, request_id from audit_log
          where resource_type = 'catalog' and resource_id = $1 order by id`,
        [created.id],
      );

      const actor = { actor_id: developer.id, actor_name: developer.username, resource_type: "catalog" };
      expect(rows).toEqual([
        { ...actor, action: "create", before: null, after: created, request_id: expect.any(String) },
        {
          ...actor,
          action: "update",
          before: created,
          after: updated.body,
          request_id: updated.headers.get("x-request-id"),
        },
        { ...actor, action: "delete", before: updated.body, after: null, request_id: `delete-${created.id}` },
      ]);
    });

    it("writes no audit row for a refused change", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      await createControlVia(app, developer.token, catalog.id);

      await request(app, "DELETE", `/api/v1/catalogs/${catalog.id}`, { token: developer.token });

      const { rows } = await app.deps.db.query(
        "select action from audit_log where resource_type = 'catalog' and resource_id = $1",
        [catalog.id],
      );
      expect(rows.map((row) => row.action)).toEqual(["create"]);
    });
  });
});
