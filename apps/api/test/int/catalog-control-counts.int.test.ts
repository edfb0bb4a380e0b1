import type pg from "pg";
import { CatalogPageSchema, CatalogSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

/**
 * A catalog's controlCount is kept by triggers on controls (migration 0083) rather than counted at every read: it must
 * be what a count of its controls says after every kind of change, however many connections make them.
 */
describe("catalog control counts", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  const pool = () => app.deps.db;

  async function countedControls(catalogId: string): Promise<number> {
    const { rows } = await pool().query<{ count: number }>(
      "select count(*)::int as count from controls where catalog_id = $1",
      [catalogId],
    );
    return rows[0]!.count;
  }

  async function keptCount(catalogId: string): Promise<number> {
    const { rows } = await pool().query<{ count: number }>(
      "select coalesce(sum(control_count), 0)::int as count from catalog_control_counts where catalog_id = $1",
      [catalogId],
    );
    return rows[0]!.count;
  }

  async function apiCount(catalogId: string): Promise<number> {
    const response = await request(app, "GET", `/api/v1/catalogs/${catalogId}`, { token: developer.token });
    return CatalogSchema.parse(response.body).controlCount;
  }

  /** Draft controls written straight in SQL, in one statement, on `client` (default: the pool). */
  async function insertDrafts(catalogId: string, count: number, client: pg.Pool | pg.PoolClient = pool()) {
    await client.query(
      `insert into controls (catalog_id, name, period, threshold)
       select $1, 'Bulk ' || $3 || ' ' || i, 'MONTHLY', 100 from generate_series(1, $2) i`,
      [catalogId, count, uniqueSuffix()],
    );
  }

  it("counts the controls added through the API and keeps the count in its table, not in a count per read", async () => {
    const catalog = await createCatalogVia(app, developer.token);
    expect(await apiCount(catalog.id)).toBe(0);

    await createControlVia(app, developer.token, catalog.id);
    await createControlVia(app, developer.token, catalog.id);

    expect(await apiCount(catalog.id)).toBe(2);
    expect(await keptCount(catalog.id)).toBe(2);
  });

  it("counts many controls inserted in one statement, and controls deleted", async () => {
    const catalog = await createCatalogVia(app, developer.token);
    await insertDrafts(catalog.id, 300);
    expect(await apiCount(catalog.id)).toBe(300);

    await pool().query(
      "delete from controls where id in (select id from controls where catalog_id = $1 order by id limit 120)",
      [catalog.id],
    );

    expect(await countedControls(catalog.id)).toBe(180);
    expect(await apiCount(catalog.id)).toBe(180);
  });

  it("stays exact when several connections add controls to one catalog at once, each in its own transaction", async () => {
    const catalog = await createCatalogVia(app, developer.token);
    const clients = await Promise.all([1, 2, 3, 4].map(() => pool().connect()));
    try {
      await Promise.all(
        clients.map(async (client, index) => {
          await client.query("begin");
          await insertDrafts(catalog.id, 10 + index, client);
          // The last one rolls back: its controls never existed, and neither does their count.
          await client.query(index === 3 ? "rollback" : "commit");
        }),
      );
    } finally {
      for (const client of clients) client.release();
    }

    expect(await countedControls(catalog.id)).toBe(10 + 11 + 12);
    expect(await apiCount(catalog.id)).toBe(33);
  });

  it("moves the count with a control moved to another catalog", async () => {
    const from = await createCatalogVia(app, developer.token);
    const to = await createCatalogVia(app, developer.token);
    const control = await createControlVia(app, developer.token, from.id);
    await createControlVia(app, developer.token, from.id);

    await pool().query("update controls set catalog_id = $2 where id = $1", [control.id, to.id]);

    expect(await apiCount(from.id)).toBe(1);
    expect(await apiCount(to.id)).toBe(1);
  });

  it("leaves no count behind for a catalog deleted with its controls", async () => {
    const catalog = await createCatalogVia(app, developer.token);
    await createControlVia(app, developer.token, catalog.id);

    const response = await request(app, "DELETE", `/api/v1/catalogs/${catalog.id}?cascade=true`, {
      token: developer.token,
    });

    expect(response.status).toBe(204);
    const { rows } = await pool().query("select 1 from catalog_control_counts where catalog_id = $1", [catalog.id]);
    expect(rows).toHaveLength(0);
  });

  it("lists every catalog with the count a count of its controls gives", async () => {
    const catalog = await createCatalogVia(app, developer.token);
    await insertDrafts(catalog.id, 7);

    const response = await request(app, "GET", "/api/v1/catalogs?pageSize=100&archived=all", {
      token: developer.token,
    });

    const page = CatalogPageSchema.parse(response.body);
    expect(page.items.find((item) => item.id === catalog.id)?.controlCount).toBe(7);
    for (const item of page.items) expect(item.controlCount, item.name).toBe(await countedControls(item.id));
  });
});
