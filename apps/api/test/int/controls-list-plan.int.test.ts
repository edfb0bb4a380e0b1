import pg from "pg";
import { ControlListQuerySchema, ControlPageSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowPreparedStatements } from "../../src/db/prepared.ts";
import { listAllControls } from "../../src/modules/controls/index.ts";
import { createCatalogVia } from "../factories.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * The default controls list (no filter value) is a prepared statement whose generic plan Postgres keeps: planning it
 * cost more than running it. Read on a pool of one connection, so that its prepared statements can be inspected.
 */
describe("the default controls list's plan", () => {
  let app: TestApp;
  let developer: TestUser;
  let pool: pg.Pool;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    // The shape of bench:api's list (20 catalogs of 25 controls, one of 9,500 drafts), on which Postgres re-planned
    // the statement at every run when its limits were plain parameters.
    const catalog = await createCatalogVia(app, developer.token);
    await app.deps.db.query(
      `insert into controls (catalog_id, name, period, threshold)
       select $1, 'Planned ' || lpad(i::text, 5, '0'), 'MONTHLY', 100 from generate_series(1, 9500) i`,
      [catalog.id],
    );
    for (let index = 0; index < 20; index += 1) {
      const small = await createCatalogVia(app, developer.token);
      await app.deps.db.query(
        `insert into controls (catalog_id, name, period, threshold)
         select $1, 'Small ' || lpad(i::text, 2, '0'), 'DAILY', 80 from generate_series(1, 25) i`,
        [small.id],
      );
    }
    await app.deps.db.query("vacuum analyze");
    pool = new pg.Pool({ connectionString: app.config.database.url, max: 1 });
    // Its client may still be closing when the test database is dropped (FORCE) after the file: not an error here.
    pool.on("error", () => undefined);
    allowPreparedStatements(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await app?.close();
  });

  const list = (query: Record<string, string>) =>
    listAllControls({ ...app.deps, db: pool }, ControlListQuerySchema.parse(query), developer.id);

  async function plans(fragment: string): Promise<{ generic: number; custom: number }[]> {
    const { rows } = await pool.query<{ generic: number; custom: number }>(
      `select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements
        where statement like '%' || $1 || '%'`,
      [fragment],
    );
    return rows;
  }

  it("pages as the API does, and after five runs is planned no more", async () => {
    const pages = [];
    for (let run = 0; run < 8; run += 1) pages.push(await list({ pageSize: "50", page: String((run % 2) + 1) }));

    const viaApi = await request(app, "GET", "/api/v1/controls?pageSize=50&page=2", { token: developer.token });
    expect(pages[1]).toEqual(ControlPageSchema.parse(viaApi.body));
    expect(pages[0]!.items.map((control) => control.name)).toEqual(
      Array.from({ length: 50 }, (_, index) => `Planned ${String(index + 1).padStart(5, "0")}`),
    );
    expect(pages[1]!.items[0]?.name).toBe("Planned 00051");
    expect(pages[0]).toMatchObject({ totalIsEstimate: true, page: 1, pageSize: 50 });
    const [plan] = await plans("counted.total");
    expect(plan?.custom).toBeLessThanOrEqual(5);
    expect(plan?.generic).toBeGreaterThanOrEqual(3);
  });

  it("leaves a list with a filter value unprepared: its generic plan could suit one value badly", async () => {
    const page = await list({ q: "Planned 0011" });

    expect(page).toMatchObject({ total: 10, totalIsEstimate: false });
    expect(await plans("ilike")).toEqual([]);
  });
});
