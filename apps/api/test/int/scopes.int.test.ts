import { randomUUID } from "node:crypto";
import { ScopePageSchema, ScopeSchema, ScopeSetPageSchema, ScopeSetSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

describe("scopes and scope sets", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  async function scopeRow(id: string) {
    const { rows } = await app.deps.db.query(
      "select name, description, type, default_value, allowed_values from scopes where id = $1",
      [id],
    );
    return rows[0];
  }

  /** The stored values of a set, by scope name, read from the one-row-per-dimension table. */
  async function storedValues(scopeSetId: string): Promise<Record<string, unknown>> {
    const { rows } = await app.deps.db.query(
      "select scopes.name, scope_set_values.value from scope_set_values join scopes on scopes.id = scope_set_values.scope_id where scope_set_id = $1",
      [scopeSetId],
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  }

  /** A control with two dimensions to scope it by: `team` (payments or identity) and `repository` (any string). */
  async function arrangeControlWithScopes() {
    const catalog = await createCatalogVia(app, developer.token);
    const control = await createControlVia(app, developer.token, catalog.id);
    const team = await createScopeVia(app, developer.token, {
      name: `team_${uniqueSuffix()}`,
      allowedValues: ["payments", "identity"],
    });
    const repository = await createScopeVia(app, developer.token, { name: `repository_${uniqueSuffix()}` });
    return { catalog, control, team, repository };
  }

  describe("scope dimensions", () => {
    it("creates a scope: 201 with Location, the shared contract and the stored row", async () => {
      const name = `country_${uniqueSuffix()}`;

      const response = await request(app, "POST", "/api/v1/scopes", {
        token: developer.token,
        body: { name, description: "ISO country", type: "string", defaultValue: "ES", allowedValues: ["ES", "PT"] },
      });

      expect(response.status).toBe(201);
      const scope = ScopeSchema.parse(response.body);
      expect(response.headers.get("location")).toBe(`/api/v1/scopes/${scope.id}`);
      expect(scope).toMatchObject({
        name,
        description: "ISO country",
        type: "string",
        defaultValue: "ES",
        allowedValues: ["ES", "PT"],
      });
      expect(await scopeRow(scope.id)).toEqual({
        name,
        description: "ISO country",
        type: "string",
        default_value: "ES",
        allowed_values: ["ES", "PT"],
      });
    });

    it("defaults to a string scope with no default and any value allowed", async () => {
      const response = await request(app, "POST", "/api/v1/scopes", {
        token: developer.token,
        body: { name: `plain_${uniqueSuffix()}` },
      });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ description: "", type: "string", defaultValue: null, allowedValues: null });
    });

    it("reads, lists and filters scopes", async () => {
      const tag = uniqueSuffix();
      const flag = await createScopeVia(app, developer.token, { name: `flag_${tag}`, type: "boolean" });
      const size = await createScopeVia(app, developer.token, { name: `size_${tag}`, type: "number", defaultValue: 3 });

      const one = await request(app, "GET", `/api/v1/scopes/${size.id}`, { token: developer.token });
      const listed = await request(app, "GET", `/api/v1/scopes?q=${tag}`, { token: developer.token });
      const numbers = await request(app, "GET", `/api/v1/scopes?q=${tag}&type=number`, { token: developer.token });

      expect(ScopeSchema.parse(one.body)).toEqual(size);
      const page = ScopePageSchema.parse(listed.body);
      expect(page).toMatchObject({ total: 2, page: 1 });
      expect(page.items.map((scope) => scope.id)).toEqual([flag.id, size.id]);
      expect(numbers.body).toMatchObject({ total: 1, items: [{ id: size.id }] });
    });

    it("refuses a name that is not lower_snake_case: 400 on body.name", async () => {
      for (const name of ["TeamName", "team-name", "1team", "team name"]) {
        const response = await request(app, "POST", "/api/v1/scopes", { token: developer.token, body: { name } });

        const problem = expectProblem(response, 400, "validation_failed");
        expect(problem.errors, name).toEqual([expect.objectContaining({ path: "body.name" })]);
      }
    });

    it("refuses a default of another type: 400 listing body.defaultValue", async () => {
      const name = `team_${uniqueSuffix()}`;

      const response = await request(app, "POST", "/api/v1/scopes", {
        token: developer.token,
        body: { name, type: "string", defaultValue: 7 },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toEqual([{ path: "body.defaultValue", message: "Must be a string" }]);
      const { rows } = await app.deps.db.query("select id from scopes where name = $1", [name]);
      expect(rows).toHaveLength(0);
    });

    it("refuses allowed values of another type and a default outside them, listing each", async () => {
      const response = await request(app, "POST", "/api/v1/scopes", {
        token: developer.token,
        body: { name: `tier_${uniqueSuffix()}`, type: "number", allowedValues: [1, "two", 3] },
      });
      const outside = await request(app, "POST", "/api/v1/scopes", {
        token: developer.token,
        body: { name: `tier_${uniqueSuffix()}`, type: "number", allowedValues: [1, 2], defaultValue: 5 },
      });

      expect(expectProblem(response, 400, "validation_failed").errors).toEqual([
        { path: "body.allowedValues.1", message: "Must be a number" },
      ]);
      expect(expectProblem(outside, 400, "validation_failed").errors).toEqual([
        { path: "body.defaultValue", message: "Must be one of allowedValues" },
      ]);
    });

    it("refuses a second scope with the same name: 409 duplicate", async () => {
      const scope = await createScopeVia(app, developer.token);

      const response = await request(app, "POST", "/api/v1/scopes", {
        token: developer.token,
        body: { name: scope.name, type: "number" },
      });

      expectProblem(response, 409, "duplicate");
      expect((await scopeRow(scope.id)).type).toBe("string");
    });

    it("updates the description, default and allowed values, checked against the fixed type", async () => {
      const scope = await createScopeVia(app, developer.token, { type: "number" });

      const updated = await request(app, "PATCH", `/api/v1/scopes/${scope.id}`, {
        token: developer.token,
        body: { description: "tiers", allowedValues: [1, 2, 3], defaultValue: 2 },
      });
      const refused = await request(app, "PATCH", `/api/v1/scopes/${scope.id}`, {
        token: developer.token,
        body: { defaultValue: "two" },
      });
      const renamed = await request(app, "PATCH", `/api/v1/scopes/${scope.id}`, {
        token: developer.token,
        body: { name: "renamed" },
      });

      expect(updated.status).toBe(200);
      expect(ScopeSchema.parse(updated.body)).toMatchObject({
        name: scope.name,
        type: "number",
        description: "tiers",
        allowedValues: [1, 2, 3],
        defaultValue: 2,
      });
      expect(expectProblem(refused, 400, "validation_failed").errors).toEqual([
        expect.objectContaining({ path: "body.defaultValue" }),
      ]);
      expect(expectProblem(renamed, 400, "validation_failed").errors[0].message).toContain("Unknown field");
      expect(await scopeRow(scope.id)).toEqual({
        name: scope.name,
        description: "tiers",
        type: "number",
        default_value: 2,
        allowed_values: [1, 2, 3],
      });
    });

    it("deletes an unused scope: 204 and the row is gone", async () => {
      const scope = await createScopeVia(app, developer.token);

      const response = await request(app, "DELETE", `/api/v1/scopes/${scope.id}`, { token: developer.token });

      expect(response.status).toBe(204);
      expect(await scopeRow(scope.id)).toBeUndefined();
      expectProblem(
        await request(app, "GET", `/api/v1/scopes/${scope.id}`, { token: developer.token }),
        404,
        "not_found",
      );
    });
  });

  describe("scope sets", () => {
    it("adds a scope set to a control: 201 with the values echoed and stored one row per dimension", async () => {
      const { control, team, repository } = await arrangeControlWithScopes();
      const values = { [team.name]: "payments", [repository.name]: "*" };

      const response = await request(app, "POST", `/api/v1/controls/${control.id}/scope-sets`, {
        token: developer.token,
        body: { values },
      });

      expect(response.status).toBe(201);
      const scopeSet = ScopeSetSchema.parse(response.body);
      expect(response.headers.get("location")).toBe(`/api/v1/controls/${control.id}/scope-sets/${scopeSet.id}`);
      expect(scopeSet).toMatchObject({ controlId: control.id, values });
      expect(await storedValues(scopeSet.id)).toEqual(values);
      const reread = await request(app, "GET", `/api/v1/controls/${control.id}`, { token: developer.token });
      expect(reread.body.scopeSetCount).toBe(1);
    });

    it("keeps number and boolean values typed", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);
      const tier = await createScopeVia(app, developer.token, { type: "number" });
      const critical = await createScopeVia(app, developer.token, { type: "boolean" });
      const values = { [tier.name]: 2, [critical.name]: false };

      const scopeSet = await createScopeSetVia(app, developer.token, control.id, values);

      expect(scopeSet.values).toEqual(values);
      expect(await storedValues(scopeSet.id)).toEqual(values);
    });

    it("reads and lists the sets of a control", async () => {
      const { control, team, repository } = await arrangeControlWithScopes();
      const first = await createScopeSetVia(app, developer.token, control.id, { [team.name]: "payments" });
      const second = await createScopeSetVia(app, developer.token, control.id, {
        [team.name]: "identity",
        [repository.name]: "api",
      });

      const one = await request(app, "GET", `/api/v1/controls/${control.id}/scope-sets/${second.id}`, {
        token: developer.token,
      });
      const listed = await request(app, "GET", `/api/v1/controls/${control.id}/scope-sets`, { token: developer.token });

      expect(ScopeSetSchema.parse(one.body)).toEqual(second);
      const page = ScopeSetPageSchema.parse(listed.body);
      expect(page).toMatchObject({ total: 2, page: 1 });
      expect(page.items).toEqual([first, second]);
    });

    it("answers 404 for a set read through another control", async () => {
      const { control, team } = await arrangeControlWithScopes();
      const other = await createControlVia(app, developer.token, control.catalogId);
      const scopeSet = await createScopeSetVia(app, developer.token, control.id, { [team.name]: "payments" });

      const response = await request(app, "GET", `/api/v1/controls/${other.id}/scope-sets/${scopeSet.id}`, {
        token: developer.token,
      });

      expectProblem(response, 404, "not_found");
    });

    it("answers 404 for the sets of a control that does not exist", async () => {
      const response = await request(app, "POST", `/api/v1/controls/${randomUUID()}/scope-sets`, {
        token: developer.token,
        body: { values: { team: "payments" } },
      });

      expectProblem(response, 404, "not_found");
    });

    it("lists an unknown scope and a value of the wrong type in one answer, and stores nothing", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);
      const tier = await createScopeVia(app, developer.token, { type: "number" });
      const unknown = `ghost_${uniqueSuffix()}`;

      const response = await request(app, "POST", `/api/v1/controls/${control.id}/scope-sets`, {
        token: developer.token,
        body: { values: { [unknown]: "x", [tier.name]: "high" } },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toHaveLength(2);
      expect(problem.errors).toEqual(
        expect.arrayContaining([
          { path: `body.values.${unknown}`, message: expect.stringContaining("Unknown scope") },
          { path: `body.values.${tier.name}`, message: expect.stringContaining("number") },
        ]),
      );
      const { rows } = await app.deps.db.query("select id from scope_sets where control_id = $1", [control.id]);
      expect(rows).toHaveLength(0);
    });

    it("refuses a value outside the allowed values: 400 on body.values.<scope>", async () => {
      const { control, team } = await arrangeControlWithScopes();

      const response = await request(app, "POST", `/api/v1/controls/${control.id}/scope-sets`, {
        token: developer.token,
        body: { values: { [team.name]: "marketing" } },
      });

      const problem = expectProblem(response, 400, "validation_failed");
      expect(problem.errors).toEqual([
        { path: `body.values.${team.name}`, message: "Must be one of: payments, identity" },
      ]);
    });

    it("refuses an empty set of values", async () => {
      const { control } = await arrangeControlWithScopes();

      const response = await request(app, "POST", `/api/v1/controls/${control.id}/scope-sets`, {
        token: developer.token,
        body: { values: {} },
      });

      expect(expectProblem(response, 400, "validation_failed").errors).toEqual([
        expect.objectContaining({ path: "body.values" }),
      ]);
    });

    it("refuses the same set twice, whatever the key order: 409 duplicate", async () => {
      const { control, team, repository } = await arrangeControlWithScopes();
      await createScopeSetVia(app, developer.token, control.id, { [team.name]: "payments", [repository.name]: "*" });

      const response = await request(app, "POST", `/api/v1/controls/${control.id}/scope-sets`, {
        token: developer.token,
        body: { values: { [repository.name]: "*", [team.name]: "payments" } },
      });

      expectProblem(response, 409, "duplicate");
      const { rows } = await app.deps.db.query("select id from scope_sets where control_id = $1", [control.id]);
      expect(rows).toHaveLength(1);
    });

    it("accepts the same values on another control", async () => {
      const { control, team } = await arrangeControlWithScopes();
      const other = await createControlVia(app, developer.token, control.catalogId);
      await createScopeSetVia(app, developer.token, control.id, { [team.name]: "payments" });

      const response = await request(app, "POST", `/api/v1/controls/${other.id}/scope-sets`, {
        token: developer.token,
        body: { values: { [team.name]: "payments" } },
      });

      expect(response.status).toBe(201);
    });

    it("replaces the values with PUT", async () => {
      const { control, team, repository } = await arrangeControlWithScopes();
      const scopeSet = await createScopeSetVia(app, developer.token, control.id, {
        [team.name]: "payments",
        [repository.name]: "*",
      });

      const response = await request(app, "PUT", `/api/v1/controls/${control.id}/scope-sets/${scopeSet.id}`, {
        token: developer.token,
        body: { values: { [team.name]: "identity" } },
      });

      expect(response.status).toBe(200);
      expect(ScopeSetSchema.parse(response.body)).toMatchObject({
        id: scopeSet.id,
        values: { [team.name]: "identity" },
      });
      expect(await storedValues(scopeSet.id)).toEqual({ [team.name]: "identity" });
    });

    it("refuses a PUT that would duplicate a sibling set, keeping the old values", async () => {
      const { control, team } = await arrangeControlWithScopes();
      await createScopeSetVia(app, developer.token, control.id, { [team.name]: "payments" });
      const scopeSet = await createScopeSetVia(app, developer.token, control.id, { [team.name]: "identity" });

      const response = await request(app, "PUT", `/api/v1/controls/${control.id}/scope-sets/${scopeSet.id}`, {
        token: developer.token,
        body: { values: { [team.name]: "payments" } },
      });

      expectProblem(response, 409, "duplicate");
      expect(await storedValues(scopeSet.id)).toEqual({ [team.name]: "identity" });
    });

    it("deletes a set: 204, its values go with it", async () => {
      const { control, team } = await arrangeControlWithScopes();
      const scopeSet = await createScopeSetVia(app, developer.token, control.id, { [team.name]: "payments" });

      const response = await request(app, "DELETE", `/api/v1/controls/${control.id}/scope-sets/${scopeSet.id}`, {
        token: developer.token,
      });

      expect(response.status).toBe(204);
      const sets = await app.deps.db.query("select id from scope_sets where id = $1", [scopeSet.id]);
      expect(sets.rows).toHaveLength(0);
      expect(await storedValues(scopeSet.id)).toEqual({});
      expect(
        (await request(app, "GET", `/api/v1/controls/${control.id}`, { token: developer.token })).body.scopeSetCount,
      ).toBe(0);
    });

    it("refuses deleting a scope a set uses (409 scope_in_use) until the set is gone", async () => {
      const { control, team } = await arrangeControlWithScopes();
      const scopeSet = await createScopeSetVia(app, developer.token, control.id, { [team.name]: "payments" });

      const refused = await request(app, "DELETE", `/api/v1/scopes/${team.id}`, { token: developer.token });
      expectProblem(refused, 409, "scope_in_use");
      expect(await scopeRow(team.id)).toBeDefined();

      await request(app, "DELETE", `/api/v1/controls/${control.id}/scope-sets/${scopeSet.id}`, {
        token: developer.token,
      });
      const accepted = await request(app, "DELETE", `/api/v1/scopes/${team.id}`, { token: developer.token });

      expect(accepted.status).toBe(204);
      expect(await scopeRow(team.id)).toBeUndefined();
    });

    it("deletes a control's sets and their values with the control", async () => {
      const { control, team, repository } = await arrangeControlWithScopes();
      const first = await createScopeSetVia(app, developer.token, control.id, { [team.name]: "payments" });
      const second = await createScopeSetVia(app, developer.token, control.id, {
        [team.name]: "identity",
        [repository.name]: "web",
      });

      const response = await request(app, "DELETE", `/api/v1/controls/${control.id}`, { token: developer.token });

      expect(response.status).toBe(204);
      const sets = await app.deps.db.query("select id from scope_sets where control_id = $1", [control.id]);
      const values = await app.deps.db.query(
        "select scope_set_id from scope_set_values where scope_set_id = any($1::uuid[])",
        [[first.id, second.id]],
      );
      expect(sets.rows).toHaveLength(0);
      expect(values.rows).toHaveLength(0);
      // With no set using them any more, the scopes can go.
      expect((await request(app, "DELETE", `/api/v1/scopes/${team.id}`, { token: developer.token })).status).toBe(204);
    });

    it("counts a control's sets in scopeSetCount, in reads and lists", async () => {
      const { control, team, repository } = await arrangeControlWithScopes();
      await createScopeSetVia(app, developer.token, control.id, { [team.name]: "payments" });
      await createScopeSetVia(app, developer.token, control.id, { [team.name]: "identity" });
      await createScopeSetVia(app, developer.token, control.id, { [repository.name]: "*" });

      const one = await request(app, "GET", `/api/v1/controls/${control.id}`, { token: developer.token });
      const listed = await request(app, "GET", `/api/v1/catalogs/${control.catalogId}/controls`, {
        token: developer.token,
      });

      expect(one.body.scopeSetCount).toBe(3);
      expect(listed.body.items).toEqual([expect.objectContaining({ id: control.id, scopeSetCount: 3 })]);
    });

    it("records the audit trail of a set", async () => {
      const { control, team } = await arrangeControlWithScopes();
      const scopeSet = await createScopeSetVia(app, developer.token, control.id, { [team.name]: "payments" });
      await request(app, "PUT", `/api/v1/controls/${control.id}/scope-sets/${scopeSet.id}`, {
        token: developer.token,
        body: { values: { [team.name]: "identity" } },
      });
      await request(app, "DELETE", `/api/v1/controls/${control.id}/scope-sets/${scopeSet.id}`, {
        token: developer.token,
      });

      const { rows } = await app.deps.db.query(
        "select actor_id, action, before->'values' as before, after->'values' as after from audit_log where resource_type = 'scope_set' and resource_id = $1 order by id",
        [scopeSet.id],
      );

      expect(rows).toEqual([
        { actor_id: developer.id, action: "create", before: null, after: { [team.name]: "payments" } },
        {
          actor_id: developer.id,
          action: "update",
          before: { [team.name]: "payments" },
          after: { [team.name]: "identity" },
        },
        { actor_id: developer.id, action: "delete", before: { [team.name]: "identity" }, after: null },
      ]);
    });
  });
});
