import { CatalogListQuerySchema, CatalogPageSchema, ControlSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAllCatalogs } from "../../src/modules/catalogs/index.ts";
import { getControl } from "../../src/modules/controls/index.ts";
import { createCatalogVia } from "../factories.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * GET /controls/:id and GET /catalogs answer JSON text Postgres builds (db/json-text.ts): its bytes must be exactly
 * what `res.json` of the object (the answer before) wrote, for every kind of value a control or catalog carries.
 */
describe("a control and the catalogs list built as JSON by Postgres", () => {
  let app: TestApp;
  let developer: TestUser;
  let catalogId: string;
  let controlId: string;
  let plainControlId: string;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    const watcher = await signInAs(app, "USER", { username: `zoë-✓-${Date.now()}` });
    await app.deps.db.query("update users set display_name = $2 where id = $1", [watcher.id, 'Zoë "Ω" \\ \u0001']);
    catalogId = (await createCatalogVia(app, developer.token, { name: `Cätalog "✓" \\ ${Date.now()}` })).id;
    const archivedCatalogId = (await createCatalogVia(app, developer.token)).id;
    await app.deps.db.query(
      `update catalogs set description = E'tab\\tnew\\nline \\u0007 \u2028', start_date = '2026-03-04 05:06:07.123456+00',
         end_date = '2027-03-04 05:06:07.9999+00', time_zone = 'Europe/Madrid', first_day_of_week = 7
       where id = $1`,
      [catalogId],
    );
    await app.deps.db.query(
      `update catalogs set archived_at = '2026-06-07 08:09:10.123456+00', archived_by = $2, archived_by_name = 'Dév',
         archive_reason = 'gone ✓', created_by = null where id = $1`,
      [archivedCatalogId, developer.id],
    );
    const { rows } = await app.deps.db.query<{ id: string }>(
      `insert into controls (catalog_id, name, description, period, threshold, params, start_date, end_date,
                             mashup_id, stale_grace_minutes, created_at)
       values ($1, 'Ünïcode ✓ "quoted" \\ back', E'tab\\tnew\\nline \\u0007 bell / slash \u2028',
               'MONTHLY', 12.50, '{"zeta": 1.0, "a": [1, 2.50, {"b": null}], "10": "x", "2": true, "tiny": 1e-7}',
               '2026-03-04 05:06:07.123456+00', '2027-03-04 05:06:07.9999+00', 'test-pass', 15,
               '2026-05-06 07:08:09.1+00'),
              ($2, 'Plain', '', 'DAILY', 100, '{}', null, null, null, null, '2026-01-02 03:04:05+00')
       returning id`,
      [catalogId, archivedCatalogId],
    );
    [controlId, plainControlId] = rows.map((row) => row.id) as [string, string];
    await app.deps.db.query(
      `update controls set archived_at = '2026-06-07 08:09:10.123456+00', archived_by = $2, archived_by_name = 'Dév',
         archive_reason = 'retired ✓' where id = $1`,
      [controlId, developer.id],
    );
    await app.deps.db.query("insert into control_owners (control_id, user_id) values ($1, $2)", [
      controlId,
      watcher.id,
    ]);
    await app.deps.db.query("insert into control_watchers (control_id, user_id) values ($1, $2), ($1, $3)", [
      controlId,
      watcher.id,
      developer.id,
    ]);
    await app.deps.db.query("insert into scope_sets (control_id, values_key) values ($1, 'a'), ($1, 'b'), ($1, 'c')", [
      controlId,
    ]);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** The route's answer beside what `res.json` of the object (the answer before) writes. */
  async function compare(path: string, before: () => Promise<unknown>): Promise<unknown> {
    const response = await request(app, "GET", path, { token: developer.token });
    const expected = JSON.stringify(await before());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(expected)));
    expect(response.text).toBe(expected);
    return JSON.parse(response.text);
  }

  it("answers the bytes res.json wrote for a control with owner, watchers, scope sets, archive and params", async () => {
    const control = ControlSchema.parse(
      await compare(`/api/v1/controls/${controlId}`, () => getControl(app.deps, controlId)),
    );
    expect(control).toMatchObject({ scopeSetCount: 3, threshold: 12.5, isCatalogArchived: false });
    expect(control.owner?.id).toBeDefined();
    expect(control.watchers).toHaveLength(2);
    expect(control.archive?.archivedAt).toBe("2026-06-07T08:09:10.123456Z");
  });

  it("answers the bytes res.json wrote for a plain control of an archived catalog", async () => {
    const control = ControlSchema.parse(
      await compare(`/api/v1/controls/${plainControlId}`, () => getControl(app.deps, plainControlId)),
    );
    expect(control).toMatchObject({ owner: null, watchers: [], archive: null, isCatalogArchived: true, params: {} });
  });

  it("answers 404 for no such control", async () => {
    const missing = await request(app, "GET", "/api/v1/controls/00000000-0000-4000-8000-000000000000", {
      token: developer.token,
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  });

  it.each([
    ["the default list", {}],
    ["every catalog, archived ones too", { archived: "all" }],
    ["archived ones, newest first", { archived: "true", sort: "-createdAt" }],
    ["a search", { q: "✓", archived: "all" }],
    ["a page of one", { pageSize: "1", page: "2", archived: "all" }],
    ["an empty page past the end", { page: "99", pageSize: "2", archived: "all" }],
    ["no match at all", { q: "nothing matches this" }],
  ])("answers the bytes res.json wrote for %s of catalogs", async (_name, query: Record<string, string>) => {
    const page = CatalogPageSchema.parse(
      await compare(`/api/v1/catalogs?${new URLSearchParams(query)}`, () =>
        listAllCatalogs(app.deps, CatalogListQuerySchema.parse(query)),
      ),
    );
    if (query.page === "99") expect(page.total).toBeGreaterThan(1);
  });

  it("answers HEAD of a control with the headers and no body", async () => {
    const head = await request(app, "HEAD", `/api/v1/controls/${controlId}`, { token: developer.token });
    const get = await request(app, "GET", `/api/v1/controls/${controlId}`, { token: developer.token });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers.get("content-length")).toBe(get.headers.get("content-length"));
  });
});
