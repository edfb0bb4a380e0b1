import { ControlListQuerySchema, ControlPageSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAllControls, listControlsOfCatalog } from "../../src/modules/controls/index.ts";
import { createCatalogVia } from "../factories.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * The controls list routes answer JSON text Postgres builds (db/json-text.ts): its bytes must be exactly what
 * `res.json` of the page object wrote, for every kind of value a control carries.
 */
describe("the controls list built as JSON by Postgres", () => {
  let app: TestApp;
  let developer: TestUser;
  let catalogId: string;
  let archivedCatalogId: string;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    const watcher = await signInAs(app, "USER", { username: `zoë-✓-${Date.now()}` });
    await app.deps.db.query("update users set display_name = $2 where id = $1", [watcher.id, 'Zoë "Ω" \\ \u0001']);
    catalogId = (await createCatalogVia(app, developer.token)).id;
    archivedCatalogId = (await createCatalogVia(app, developer.token)).id;
    const { rows } = await app.deps.db.query<{ id: string }>(
      `insert into controls (catalog_id, name, description, period, threshold, params, start_date, end_date,
                             mashup_id, stale_grace_minutes, created_at)
       values ($1, 'Plain', '', 'DAILY', 100, '{}', null, null, null, null, '2026-01-02 03:04:05+00'),
              ($1, 'Ünïcode ✓ "quoted" \\ back', E'tab\\tnew\\nline \\u0007 bell / slash \u2028',
               'MONTHLY', 12.50, '{"zeta": 1.0, "a": [1, 2.50, {"b": null}], "10": "x", "2": true, "tiny": 1e-7}',
               '2026-03-04 05:06:07.123456+00', '2027-03-04 05:06:07.9999+00', 'test-pass', 15,
               '2026-05-06 07:08:09.1+00'),
              ($1, 'Small threshold', 'd', 'WEEKLY', 0.05, '{"k": "v"}', '2026-03-04 00:00:00+00', null, null, 1,
               '2026-05-06 07:08:09.000999+00'),
              ($2, 'In an archived catalog', 'd', 'DAILY', 80, '{}', null, null, null, null, now())
       returning id`,
      [catalogId, archivedCatalogId],
    );
    const [plain, unicode, small] = rows.map((row) => row.id);
    await app.deps.db.query(
      `update controls set archived_at = '2026-06-07 08:09:10.123456+00', archived_by = $2, archived_by_name = 'Dév',
         archive_reason = 'retired ✓' where id = $1`,
      [small, developer.id],
    );
    await app.deps.db.query(
      `update catalogs set archived_at = now(), archived_by_name = 'x', archive_reason = 'gone' where id = $1`,
      [archivedCatalogId],
    );
    await app.deps.db.query("insert into control_owners (control_id, user_id) values ($1, $2), ($3, $4)", [
      unicode,
      watcher.id,
      plain,
      developer.id,
    ]);
    await app.deps.db.query("insert into control_watchers (control_id, user_id) values ($1, $2), ($1, $3)", [
      unicode,
      watcher.id,
      developer.id,
    ]);
    // Scope sets on two controls of the page (the list counts them for the whole page in one pass).
    await app.deps.db.query(
      "insert into scope_sets (control_id, values_key) values ($1, 'a'), ($1, 'b'), ($1, 'c'), ($2, 'a')",
      [unicode, small],
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  /** The route's answer beside what `res.json` of the page object (the answer before) writes. */
  async function compare(path: string, before: () => Promise<unknown>) {
    const response = await request(app, "GET", path, { token: developer.token });
    const expected = JSON.stringify(await before());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(expected)));
    expect(response.text).toBe(expected);
    return ControlPageSchema.parse(JSON.parse(response.text));
  }
  const queryOf = (query: Record<string, string>) => ControlListQuerySchema.parse(query);

  it.each([
    ["the default list", {}],
    ["archived ones (archive, catalog archived)", { archived: "all" }],
    ["a filtered list (not prepared)", { q: "✓", archived: "all" }],
    ["by threshold, descending", { sort: "-threshold", archived: "all" }],
    ["an empty page past the end", { page: "9", pageSize: "2" }],
    ["no match at all", { q: "nothing matches this" }],
  ])("answers the bytes res.json wrote for %s", async (_name, query: Record<string, string>) => {
    const page = await compare(`/api/v1/controls?${new URLSearchParams(query)}`, () =>
      listAllControls(app.deps, queryOf(query), developer.id),
    );
    if (query.q !== "nothing matches this" && !query.page) expect(page.items.length).toBeGreaterThan(0);
    if (query.archived === "all" && !query.q) {
      // Each control's own scope sets, owner and watchers, not another's of the page.
      const unicode = page.items.find((item) => item.name.startsWith("Ünïcode"));
      expect(unicode).toMatchObject({ scopeSetCount: 3, owner: { username: expect.stringMatching(/^zoë/) } });
      expect(unicode?.watchers).toHaveLength(2);
      expect(page.items.find((item) => item.name === "Small threshold")).toMatchObject({
        scopeSetCount: 1,
        owner: null,
        watchers: [],
      });
    }
  });

  it("answers the bytes res.json wrote for a catalog's controls, and 404 for no such catalog", async () => {
    const page = await compare(`/api/v1/catalogs/${catalogId}/controls?pageSize=2`, () =>
      listControlsOfCatalog(app.deps, catalogId, queryOf({ pageSize: "2" }), developer.id),
    );
    expect(page.items).toHaveLength(2);
    const missing = await request(app, "GET", "/api/v1/catalogs/00000000-0000-4000-8000-000000000000/controls", {
      token: developer.token,
    });
    expect(missing.status).toBe(404);
  });

  it("keeps parameters' key order and numbers as parsing the jsonb gave them", async () => {
    const response = await request(app, "GET", "/api/v1/controls?q=back", { token: developer.token });
    expect(response.text).toContain('"params":{"2":true,"10":"x","a":[1,2.5,{"b":null}],"tiny":1e-7,"zeta":1}');
  });

  it("answers HEAD with the headers and no body", async () => {
    const head = await request(app, "HEAD", "/api/v1/controls", { token: developer.token });
    const get = await request(app, "GET", "/api/v1/controls", { token: developer.token });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers.get("content-length")).toBe(get.headers.get("content-length"));
  });
});
