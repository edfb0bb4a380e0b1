import { CreatedApiTokenSchema, type Catalog, type CreatedApiToken, type Role } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createControlVia, createFinalizedCatalogVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

/**
 * Scoped personal API tokens: `read` for GET, `admin` for any other method unless a route declares its scope
 * (`runs:write` on the run-starting routes), never beyond the user's role, and limited to named catalogs or controls
 * when the token says so.
 */
describe("scoped personal API tokens", () => {
  let app: TestApp;
  const users: Partial<Record<Role, TestUser>> = {};

  beforeAll(async () => {
    app = await startTestApp();
    users.DEVELOPER = await signInAs(app, "DEVELOPER");
    users.USER = await signInAs(app, "USER");
  });
  afterAll(() => app?.close());

  async function tokenFor(role: Role, body: Record<string, unknown> = {}): Promise<CreatedApiToken> {
    const response = await request(app, "POST", "/api/v1/tokens", {
      token: users[role]!.token,
      body: { name: `scoped ${uniqueSuffix()}`, ...body },
    });
    if (response.status !== 201) throw new Error(`creating a token failed: ${response.status} ${response.text}`);
    return CreatedApiTokenSchema.parse(response.body);
  }

  const createCatalog = (token: string) =>
    request<Catalog>(app, "POST", "/api/v1/catalogs", { token, body: { name: `Catalog ${uniqueSuffix()}` } });

  it("shows the scopes and limits, and keeps null (full access) for a token created without them", async () => {
    const { catalog } = await createFinalizedCatalogVia(app, users.DEVELOPER!.token);
    const scoped = await tokenFor("DEVELOPER", {
      scopes: ["read", "runs:write"],
      limits: { catalogIds: [catalog.id] },
    });
    const legacy = await tokenFor("DEVELOPER");

    expect(scoped).toMatchObject({ scopes: ["read", "runs:write"], limits: { catalogIds: [catalog.id] } });
    expect(legacy).toMatchObject({ scopes: null, limits: null });
    const listed = await request(app, "GET", "/api/v1/tokens", { token: users.DEVELOPER!.token });
    expect(listed.body.items.find((token: { id: string }) => token.id === scoped.id)).toMatchObject({
      scopes: ["read", "runs:write"],
      limits: { catalogIds: [catalog.id] },
    });
  });

  it("refuses empty or repeated scopes, empty limits, and limits without scopes", async () => {
    const token = users.DEVELOPER!.token;
    for (const body of [
      { scopes: [] },
      { scopes: ["read", "read"] },
      { scopes: ["write"] },
      { scopes: ["read"], limits: {} },
      { limits: { catalogIds: [crypto.randomUUID()] } },
    ]) {
      const response = await request(app, "POST", "/api/v1/tokens", { token, body: { name: "bad", ...body } });
      expectProblem(response, 400, "validation_failed");
    }
  });

  it("lets a read token GET but not change anything", async () => {
    const { token } = await tokenFor("DEVELOPER", { scopes: ["read"] });

    expect((await request(app, "GET", "/api/v1/catalogs", { token })).status).toBe(200);
    const refused = expectProblem(await createCatalog(token), 403, "token_scope_insufficient");
    expect(refused.detail).toContain("admin");
  });

  it("lets a runs:write token start runs of a control and a catalog, but not create a catalog or read", async () => {
    const { catalog, control } = await createFinalizedCatalogVia(app, users.DEVELOPER!.token);
    const { token } = await tokenFor("DEVELOPER", { scopes: ["runs:write"] });

    const run = await request(app, "POST", `/api/v1/controls/${control.id}/runs`, { token, body: {} });
    const catalogRun = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/runs`, { token, body: {} });

    expect(run.status).toBe(202);
    expect(catalogRun.status).toBe(202);
    expectProblem(await createCatalog(token), 403, "token_scope_insufficient");
    expectProblem(
      await request(app, "GET", `/api/v1/controls/${control.id}`, { token }),
      403,
      "token_scope_insufficient",
    );
  });

  it("keeps a token limited to a control within that control", async () => {
    const { catalog, control } = await createFinalizedCatalogVia(app, users.DEVELOPER!.token);
    const other = await createControlVia(app, users.DEVELOPER!.token, catalog.id);
    const { token } = await tokenFor("DEVELOPER", {
      scopes: ["read", "evidence:write"],
      limits: { controlIds: [control.id] },
    });

    expect((await request(app, "GET", `/api/v1/controls/${control.id}`, { token })).status).toBe(200);
    for (const path of [
      `/controls/${other.id}`,
      `/catalogs/${catalog.id}`,
      "/catalogs",
      "/controls",
      "/controls/nope",
    ]) {
      expectProblem(await request(app, "GET", `/api/v1${path}`, { token }), 403, "token_scope_insufficient");
    }
    // evidence:write is no runs:write: starting a run of its own control stays refused.
    const run = await request(app, "POST", `/api/v1/controls/${control.id}/runs`, { token, body: {} });
    expectProblem(run, 403, "token_scope_insufficient");
  });

  it("lets a token limited to a catalog reach that catalog and its controls, nothing else", async () => {
    const { catalog, control } = await createFinalizedCatalogVia(app, users.DEVELOPER!.token);
    const elsewhere = await createFinalizedCatalogVia(app, users.DEVELOPER!.token);
    const { token } = await tokenFor("DEVELOPER", {
      scopes: ["read", "runs:write"],
      limits: { catalogIds: [catalog.id] },
    });

    expect((await request(app, "GET", `/api/v1/catalogs/${catalog.id}`, { token })).status).toBe(200);
    expect((await request(app, "GET", `/api/v1/catalogs/${catalog.id}/controls`, { token })).status).toBe(200);
    expect((await request(app, "GET", `/api/v1/controls/${control.id}`, { token })).status).toBe(200);
    expect((await request(app, "POST", `/api/v1/controls/${control.id}/runs`, { token, body: {} })).status).toBe(202);
    const outside = await request(app, "POST", `/api/v1/controls/${elsewhere.control.id}/runs`, { token, body: {} });
    expectProblem(outside, 403, "token_scope_insufficient");
    expectProblem(
      await request(app, "GET", `/api/v1/catalogs/${elsewhere.catalog.id}`, { token }),
      403,
      "token_scope_insufficient",
    );
  });

  it("gives an admin token its user's role, and never more", async () => {
    const developerAdmin = await tokenFor("DEVELOPER", { scopes: ["admin"] });
    const userAdmin = await tokenFor("USER", { scopes: ["admin"] });

    expect((await createCatalog(developerAdmin.token)).status).toBe(201);
    expectProblem(await createCatalog(userAdmin.token), 403, "forbidden");
    expect((await request(app, "GET", "/api/v1/catalogs", { token: userAdmin.token })).status).toBe(200);
  });

  it("leaves a token without scopes its user's full access", async () => {
    const { token } = await tokenFor("DEVELOPER");
    const catalog = await createCatalogVia(app, token);
    const control = await createControlVia(app, token, catalog.id);

    expect((await request(app, "GET", `/api/v1/controls/${control.id}`, { token })).status).toBe(200);
    expect((await request(app, "DELETE", `/api/v1/controls/${control.id}`, { token })).status).toBe(204);
  });

  it("records the token and its scopes in the audit trail", async () => {
    const scoped = await tokenFor("DEVELOPER", { scopes: ["admin", "read"] });
    const legacy = await tokenFor("DEVELOPER");

    const viaScoped = (await createCatalog(scoped.token)).body;
    const viaLegacy = (await createCatalog(legacy.token)).body;
    const viaSession = (await createCatalog(users.DEVELOPER!.token)).body;

    const audit = async (id: string) =>
      (
        await app.deps.db.query(
          "select token_id, token_scopes from audit_log where resource_type = 'catalog' and resource_id = $1",
          [id],
        )
      ).rows[0];
    expect(await audit(viaScoped.id)).toEqual({ token_id: scoped.id, token_scopes: ["admin", "read"] });
    expect(await audit(viaLegacy.id)).toEqual({ token_id: legacy.id, token_scopes: null });
    expect(await audit(viaSession.id)).toEqual({ token_id: null, token_scopes: null });
  });
});
