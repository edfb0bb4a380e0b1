import { CatalogListQuerySchema, ControlListQuerySchema, PointListQuerySchema, type Catalog } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readCatalogListJson } from "../../src/modules/catalogs/catalog-json-reads.ts";
import { readControlJson, readControlListJson } from "../../src/modules/controls/control-json-reads.ts";
import { readControlStatesJson } from "../../src/modules/overview/control-states-reads.ts";
import { readPointPageJson } from "../../src/modules/points/point-page-reads.ts";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Issue 19: the hot reads asked for in one turn are made together (lib/turn-reads.ts). GET /controls/:id of many ids is
 * one statement, equal catalog and control lists share one, and each request still gets exactly the answer it got
 * alone, never one read before it was asked for.
 */
describe("hot reads made together", () => {
  let app: TestApp;
  let developer: TestUser;
  let catalog: Catalog;
  const controlIds: string[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    catalog = await createCatalogVia(app, developer.token);
    for (let i = 0; i < 5; i += 1) controlIds.push((await createControlVia(app, developer.token, catalog.id)).id);
  });
  afterAll(() => app?.close());

  async function answeredAlone(path: string): Promise<string> {
    const response = await request(app, "GET", path, { token: developer.token });
    expect(response.status).toBe(200);
    return response.text;
  }

  it("reads the controls asked for in one turn in one statement, each answered as alone, a missing one as none", async () => {
    const alone = await Promise.all(controlIds.map((id) => answeredAlone(`/api/v1/controls/${id}`)));
    const missing = "00000000-0000-4000-8000-000000000000";
    const query = vi.spyOn(app.deps.db, "query");
    try {
      const together = await Promise.all([
        ...controlIds.map((id) => readControlJson(app.deps.db, id)),
        readControlJson(app.deps.db, missing),
        readControlJson(app.deps.db, controlIds[0]!.toUpperCase()),
      ]);
      expect(query).toHaveBeenCalledTimes(1);
      expect(together).toEqual([...alone, undefined, alone[0]]);
    } finally {
      query.mockRestore();
    }
    expect((await request(app, "GET", `/api/v1/controls/${missing}`, { token: developer.token })).status).toBe(404);
  });

  it("shares one statement between equal catalog lists of one turn, and reads different ones each", async () => {
    const first = CatalogListQuerySchema.parse({ pageSize: "5" });
    const second = CatalogListQuerySchema.parse({ pageSize: "5", sort: "-name" });
    const alone = [await readCatalogListJson(app.deps.db, first), await readCatalogListJson(app.deps.db, second)];
    const query = vi.spyOn(app.deps.db, "query");
    try {
      const together = await Promise.all([
        readCatalogListJson(app.deps.db, first),
        readCatalogListJson(app.deps.db, second),
        readCatalogListJson(app.deps.db, CatalogListQuerySchema.parse({ pageSize: "5" })),
      ]);
      expect(query).toHaveBeenCalledTimes(2);
      expect(together).toEqual([alone[0], alone[1], alone[0]]);
    } finally {
      query.mockRestore();
    }
  });

  it("shares the page of equal control lists of one turn", async () => {
    const filter = { ...ControlListQuerySchema.parse({ pageSize: "3" }), catalogId: catalog.id };
    const at = new Date();
    const alone = await readControlListJson(app.deps.db, filter, at);
    const query = vi.spyOn(app.deps.db, "query");
    try {
      const together = await Promise.all([1, 2, 3].map(() => readControlListJson(app.deps.db, { ...filter }, at)));
      const statements = query.mock.calls.length;
      expect(together).toEqual([alone, alone, alone]);
      query.mockClear();
      await readControlListJson(app.deps.db, filter, at);
      // Three equal requests cost what one does.
      expect(statements).toBe(query.mock.calls.length);
    } finally {
      query.mockRestore();
    }
  });

  it("never answers a read with a statement sent before it was asked for: a write committed in between is seen", async () => {
    const query = CatalogListQuerySchema.parse({ pageSize: "100", sort: "-createdAt" });
    const before = readCatalogListJson(app.deps.db, query);
    await nextTurn(); // the first read's statement is on its way
    const added = await createCatalogVia(app, developer.token);
    const after = await readCatalogListJson(app.deps.db, query);
    expect(await before).not.toContain(added.id);
    expect(after).toContain(added.id);
  });

  it("shares the control states of one catalog and a page of points between equal requests of one turn", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const states = await answeredAlone(`/api/v1/catalogs/${catalog.id}/control-states`);
    const points = await answeredAlone(`/api/v1/points?controlId=${controlIds[0]}&pageSize=10`);
    const pointQuery = PointListQuerySchema.parse({ controlId: controlIds[0], pageSize: "10" });
    const query = vi.spyOn(app.deps.db, "query");
    try {
      const once = await readControlStatesJson(app.deps, catalog.id);
      const statesAlone = query.mock.calls.length;
      query.mockClear();
      const together = await Promise.allSettled([
        readControlStatesJson(app.deps, catalog.id),
        readControlStatesJson(app.deps, catalog.id),
        readControlStatesJson(app.deps, missing),
        readPointPageJson(app.deps, pointQuery),
        readPointPageJson(app.deps, { ...pointQuery }),
      ]);
      expect(once).toBe(states);
      expect(together.map((outcome) => outcome.status)).toEqual([
        "fulfilled",
        "fulfilled",
        "rejected",
        "fulfilled",
        "fulfilled",
      ]);
      expect(together.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []))).toEqual([
        states,
        states,
        points,
        points,
      ]);
      // The catalog's states once, the missing catalog's (no rows, then the catalog looked up), and one page of points
      // (no points: its statement and the total's).
      expect(query.mock.calls.length).toBeLessThanOrEqual(statesAlone + 2 + 2);
    } finally {
      query.mockRestore();
    }
    const refused = await request(app, "GET", `/api/v1/catalogs/${missing}/control-states`, { token: developer.token });
    expect(refused.status).toBe(404);
  });
});
