import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CatalogSchema, ControlSchema, ReadinessSchema, RetentionSchema, ScopeSetSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { MIGRATIONS_DIR, runMigrations } from "../../src/db/migrate.ts";
import { createLogger } from "../../src/logger.ts";
import { pruneExpiredRecords } from "../../src/modules/retention/index.ts";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/** The default install: no DATABASE_URL, no REDIS_URL. The same SQL runs on PGlite and the cache lives in process. */
describe("embedded default (PGlite and the in-process cache)", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ database: "pglite", cache: "memory" });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("reports ready on the embedded database, the in-process cache and Node-RED", async () => {
    const response = await request(app, "GET", "/api/v1/health/ready");

    expect(response.status).toBe(200);
    expect(ReadinessSchema.parse(response.body)).toEqual({
      status: "ready",
      checks: [
        { name: "postgres (embedded PGlite)", status: "up", latencyMs: expect.any(Number) },
        { name: "cache (in-process)", status: "up", latencyMs: expect.any(Number) },
        { name: "node-red", status: "up", latencyMs: expect.any(Number) },
      ],
    });
  });

  it("creates a catalog, scope, control and scope set, reads them back, and audits them", async () => {
    const catalog = await createCatalogVia(app, developer.token, {
      startDate: "2025-01-01T00:00:00Z",
      timeZone: "Europe/Madrid",
    });
    const control = await createControlVia(app, developer.token, catalog.id, {
      params: { org: "acme", repositories: ["api"] },
      threshold: 95.5,
    });
    const scope = await createScopeVia(app, developer.token, { allowedValues: ["payments", "identity"] });
    const scopeSet = await createScopeSetVia(app, developer.token, control.id, { [scope.name]: "payments" });

    const readCatalog = await request(app, "GET", `/api/v1/catalogs/${catalog.id}`, { token: developer.token });
    const readControl = await request(app, "GET", `/api/v1/controls/${control.id}`, { token: developer.token });
    const readSet = await request(app, "GET", `/api/v1/controls/${control.id}/scope-sets/${scopeSet.id}`, {
      token: developer.token,
    });
    const listed = await request(app, "GET", `/api/v1/catalogs?q=${encodeURIComponent(catalog.name)}&sort=-createdAt`, {
      token: developer.token,
    });
    // The controls list is JSON text PGlite writes itself (db/json-text.ts): the same control as the object path reads.
    const listedControls = await request(app, "GET", `/api/v1/catalogs/${catalog.id}/controls`, {
      token: developer.token,
    });
    expect(listedControls.status, listedControls.text).toBe(200);
    expect(listedControls.body.items).toEqual([readControl.body]);

    expect(CatalogSchema.parse(readCatalog.body)).toMatchObject({
      id: catalog.id,
      controlCount: 1,
      timeZone: "Europe/Madrid",
    });
    expect(ControlSchema.parse(readControl.body)).toMatchObject({
      params: { org: "acme", repositories: ["api"] },
      threshold: 95.5,
      scopeSetCount: 1,
    });
    expect(ScopeSetSchema.parse(readSet.body).values).toEqual({ [scope.name]: "payments" });
    expect(listed.body).toMatchObject({ total: 1, items: [{ id: catalog.id }] });
    const { rows } = await app.deps.db.query(
      "select resource_type, action, actor_id from audit_log where resource_id = any($1::text[]) order by id",
      [[catalog.id, control.id, scope.id, scopeSet.id]],
    );
    expect(rows).toEqual(
      ["catalog", "control", "scope", "scope_set"].map((type) => ({
        resource_type: type,
        action: "create",
        actor_id: developer.id,
      })),
    );
  });

  it("enforces the same constraints: finalizing, duplicates, scope in use and the append-only audit log", async () => {
    const catalog = await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" });
    const control = await createControlVia(app, developer.token, catalog.id);
    const scope = await createScopeVia(app, developer.token);
    await createScopeSetVia(app, developer.token, control.id, { [scope.name]: "*" });

    const finalized = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
      token: developer.token,
      body: { status: "finalized" },
    });
    const duplicate = await request(app, "POST", "/api/v1/catalogs", {
      token: developer.token,
      body: { name: catalog.name.toUpperCase() },
    });
    const duplicateSet = await request(app, "POST", `/api/v1/controls/${control.id}/scope-sets`, {
      token: developer.token,
      body: { values: { [scope.name]: "*" } },
    });
    const scopeInUse = await request(app, "DELETE", `/api/v1/scopes/${scope.id}`, { token: developer.token });

    expect(finalized.body).toMatchObject({ status: "finalized", finalizedAt: expect.any(String) });
    const controls = await app.deps.db.query("select status from controls where catalog_id = $1", [catalog.id]);
    expect(controls.rows).toEqual([{ status: "finalized" }]);
    expectProblem(duplicate, 409, "duplicate");
    expectProblem(duplicateSet, 409, "duplicate");
    expectProblem(scopeInUse, 409, "scope_in_use");
    await expect(app.deps.db.query("delete from audit_log where resource_id = $1", [catalog.id])).rejects.toThrow(
      /append-only/,
    );
  });

  it("keeps answering after a query fails: the pool's replacement connection is admitted", async () => {
    await expect(app.deps.db.query("select 1 / 0")).rejects.toThrow(/division by zero/);

    const { rows } = await app.deps.db.query("select 1 as one");
    const ready = await request(app, "GET", "/api/v1/health/ready");

    expect(rows).toEqual([{ one: 1 }]);
    expect(ready.status).toBe(200);
  });

  it("reports retention sizes and prunes on PGlite too, the audit log only through its narrow path", async () => {
    const admin = await signInAs(app, "ADMIN");
    await app.deps.db.query(
      "insert into audit_log (at, action, resource_type) values (now() - interval '800 days', 'create', 'catalog')",
    );
    const changed = await request(app, "PATCH", "/api/v1/retention", { token: admin.token, body: { audit_log: 365 } });

    const outcome = await pruneExpiredRecords(app.deps, { force: true });

    expect(changed.status).toBe(200);
    const retention = RetentionSchema.parse(
      (await request(app, "GET", "/api/v1/retention", { token: admin.token })).body,
    );
    expect(retention.categories.find((category) => category.category === "audit_log")).toMatchObject({
      keepDays: 365,
      sizeBytes: expect.any(Number),
    });
    expect(retention.categories.every((category) => category.sizeBytes > 0)).toBe(true);
    expect(outcome).toMatchObject({ status: "pruned", pruned: { audit_entries: 1 } });
    const { rows } = await app.deps.db.query(
      "select count(*)::int as count from audit_log where at < now() - interval '365 days'",
    );
    expect(rows[0].count).toBe(0);
  });

  it("deletes a catalog with ?cascade=true down to its scope-set values", async () => {
    const catalog = await createCatalogVia(app, developer.token);
    const control = await createControlVia(app, developer.token, catalog.id);
    const scope = await createScopeVia(app, developer.token);
    const scopeSet = await createScopeSetVia(app, developer.token, control.id, { [scope.name]: "x" });

    const response = await request(app, "DELETE", `/api/v1/catalogs/${catalog.id}?cascade=true`, {
      token: developer.token,
    });

    expect(response.status).toBe(204);
    const { rows } = await app.deps.db.query(
      "select count(*)::int as count from scope_set_values where scope_set_id = $1",
      [scopeSet.id],
    );
    expect(rows[0].count).toBe(0);
  });
});

describe("migrations on an embedded data directory", () => {
  it("applies every migration once; a second run on the same directory applies none", async () => {
    const log = createLogger("silent");
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "status-pglite-migrate-"));
    try {
      const migrationFiles = (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith(".sql")).sort();

      const first = await openDatabase({ url: undefined, poolMax: 1, dataDir, timeoutMs: 10_000 }, log);
      const appliedFirst = await runMigrations(first.pool, log);
      await first.close();
      const second = await openDatabase({ url: undefined, poolMax: 1, dataDir, timeoutMs: 10_000 }, log);
      try {
        const appliedSecond = await runMigrations(second.pool, log);
        const { rows } = await second.pool.query<{ name: string }>("select name from schema_migrations order by name");

        expect(appliedFirst).toEqual(migrationFiles);
        expect(appliedSecond).toEqual([]);
        expect(rows.map((row) => row.name)).toEqual(migrationFiles);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
