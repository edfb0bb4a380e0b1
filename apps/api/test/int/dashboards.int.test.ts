import {
  ControlPanelSchema,
  DashboardDetailSchema,
  DashboardPageSchema,
  SavedDashboardSchema,
  type DashboardTemplate,
} from "@status/shared";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { startFakeGrafana, type FakeGrafana } from "../fakes/fake-grafana.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

/**
 * Dashboards, folders and panel links through Grafana's HTTP API, against a loopback fake of Grafana that records
 * what the API sent. Panel SQL from the templates is run (EXPLAIN) on the test database, as Grafana would run it.
 */

const TIMEOUT_MS = 400;

/** A small dashboard model, as exported from Grafana. */
function dashboardModel(overrides: Record<string, unknown> = {}) {
  return {
    id: 42,
    uid: `imp-${uniqueSuffix()}`,
    title: `Imported ${uniqueSuffix()}`,
    tags: ["imported"],
    version: 3,
    panels: [
      {
        id: 1,
        type: "stat",
        title: "Points",
        targets: [{ refId: "A", rawSql: "select count(*) from reporting.points" }],
      },
      {
        id: 7,
        type: "row",
        title: "Details",
        collapsed: true,
        panels: [{ id: 8, type: "table", title: "Latest points" }],
      },
    ],
    ...overrides,
  };
}

/** What Grafana does to a panel query before running it: its macros and `${var:sqlstring}` expanded. */
function expandAsGrafana(sql: string, variables: Record<string, string>): string {
  return sql
    .replace(
      /\$__timeFilter\(([a-z_]+)\)/g,
      (_match, column: string) => `${column} BETWEEN '2025-01-01T00:00:00Z' AND '2026-01-01T00:00:00Z'`,
    )
    .replace(/\$\{([a-z_]+):sqlstring\}/g, (_match, name: string) => `'${variables[name]!.replaceAll("'", "''")}'`);
}

/** The relations a query reads (after FROM or JOIN). */
function relationsOf(sql: string): string[] {
  return [...sql.matchAll(/\b(?:from|join)\s+([A-Za-z_."]+)/gi)].map((match) => match[1]!);
}

function rawSqlOf(model: Record<string, any>): string[] {
  return (model.panels as { targets: { rawSql: string }[] }[]).flatMap((panel) =>
    panel.targets.map((target) => target.rawSql),
  );
}

describe("dashboards through Grafana", () => {
  let grafana: FakeGrafana;
  let app: TestApp;
  let developer: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    grafana = await startFakeGrafana();
    app = await startTestApp({
      env: {
        GRAFANA_URL: grafana.url,
        GRAFANA_SERVICE_ACCOUNT_TOKEN: grafana.token,
        GRAFANA_TIMEOUT_MS: String(TIMEOUT_MS),
      },
    });
    [developer, user] = await Promise.all([signInAs(app, "DEVELOPER"), signInAs(app, "USER")]);
  });
  afterAll(async () => {
    await app?.close();
    await grafana?.close();
  });
  afterEach(() => grafana.setDelay(0));

  function importDashboard(model: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return request(app, "POST", "/api/v1/dashboards/import", {
      token: developer.token,
      body: { dashboard: model, ...extra },
    });
  }

  async function auditRows(resourceType: string, resourceId: string) {
    return (
      await app.deps.db.query(
        "select action, actor_id, before, after from audit_log where resource_type = $1 and resource_id = $2 order by id",
        [resourceType, resourceId],
      )
    ).rows;
  }

  describe("creating from a template", () => {
    it("saves a new dashboard with the service token, the catalog as a dashboard variable, and audits it", async () => {
      const catalog = await createCatalogVia(app, developer.token);

      const response = await request(app, "POST", "/api/v1/dashboards", {
        token: developer.token,
        body: { title: "ISO compliance", template: "catalog_compliance", catalogId: catalog.id },
      });

      expect(response.status).toBe(201);
      const saved = SavedDashboardSchema.parse(response.body);
      expect(response.headers.get("location")).toBe(`/api/v1/dashboards/${saved.uid}`);
      expect(saved).toMatchObject({
        title: "ISO compliance",
        url: `/grafana/d/${saved.uid}`,
        version: 1,
        folderUid: null,
      });
      const sent = grafana.requests
        .filter((recorded) => recorded.method === "POST" && recorded.path === "/api/dashboards/db")
        .at(-1)!;
      expect(sent.headers.authorization).toBe(`Bearer ${grafana.token}`);
      expect(sent.body).toMatchObject({
        overwrite: false,
        dashboard: { title: "ISO compliance", uid: null, id: null },
      });
      const variable = sent.body.dashboard.templating.list[0];
      expect(variable).toMatchObject({
        name: "catalog_id",
        type: "query",
        current: { value: catalog.id, text: catalog.name },
        datasource: { uid: "status-postgres" },
      });
      expect(rawSqlOf(sent.body.dashboard).join("\n")).not.toContain(catalog.id);
      expect(await auditRows("dashboard", saved.uid)).toMatchObject([
        {
          action: "create",
          actor_id: developer.id,
          after: { uid: saved.uid, template: "catalog_compliance", catalogId: catalog.id },
        },
      ]);
    });

    it("never puts a catalog's or control's name into panel SQL, however hostile", async () => {
      const hostile = `x'); drop table users; -- ${uniqueSuffix()}`;
      const catalog = await createCatalogVia(app, developer.token, { name: hostile });
      const control = await createControlVia(app, developer.token, catalog.id, { name: hostile });

      for (const [template, subject] of [
        ["catalog_compliance", { catalogId: catalog.id }],
        ["control_points", { controlId: control.id }],
      ] as const) {
        const response = await request(app, "POST", "/api/v1/dashboards", {
          token: developer.token,
          body: { title: `${template} ${uniqueSuffix()}`, template, ...subject },
        });
        expect(response.status).toBe(201);
        const model = grafana.dashboards.get(response.body.uid)!.model;
        expect(rawSqlOf(model).join("\n")).not.toContain("drop table");
        expect(model.templating.list[0].query).not.toContain("drop table");
      }
    });

    it("builds panels whose SQL reads only reporting views and runs on the database once Grafana expands the variables", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);
      const subjects: Record<DashboardTemplate, Record<string, string>> = {
        catalog_compliance: { catalogId: catalog.id },
        failing_controls: {},
        control_points: { controlId: control.id },
      };

      for (const [template, subject] of Object.entries(subjects)) {
        const response = await request(app, "POST", "/api/v1/dashboards", {
          token: developer.token,
          body: { title: `${template} ${uniqueSuffix()}`, template, ...subject },
        });
        expect(response.status, template).toBe(201);
        const model = grafana.dashboards.get(response.body.uid)!.model;
        const queries = [
          ...rawSqlOf(model),
          ...model.templating.list.map((variable: { query: string }) => variable.query),
        ];
        expect(queries.length).toBeGreaterThan(1);
        for (const sql of queries) {
          expect(relationsOf(sql).length, sql).toBeGreaterThan(0);
          for (const relation of relationsOf(sql)) expect(relation, sql).toMatch(/^reporting\.[a-z_]+$/);
          const expanded = expandAsGrafana(sql, { catalog_id: catalog.id, control_id: control.id });
          expect(expanded).not.toContain("$");
          await expect(app.deps.db.query(`explain ${expanded}`), sql).resolves.toBeDefined();
        }
      }
    });

    it("lists every missing field of a template's subject, and answers 404 for an unknown catalog", async () => {
      const missing = await request(app, "POST", "/api/v1/dashboards", {
        token: developer.token,
        body: { title: "", template: "control_points" },
      });
      const problem = expectProblem(missing, 400, "validation_failed");
      expect(problem.errors.map((issue: { path: string }) => issue.path).sort()).toEqual([
        "body.controlId",
        "body.title",
      ]);

      const unknown = await request(app, "POST", "/api/v1/dashboards", {
        token: developer.token,
        body: { title: "Ghost", template: "catalog_compliance", catalogId: "00000000-0000-4000-8000-000000000000" },
      });
      expectProblem(unknown, 404, "not_found");
    });

    it("refuses a second dashboard with the same title in the folder with 409 dashboard_exists", async () => {
      const title = `Failing ${uniqueSuffix()}`;
      expect(
        (
          await request(app, "POST", "/api/v1/dashboards", {
            token: developer.token,
            body: { title, template: "failing_controls" },
          })
        ).status,
      ).toBe(201);

      const again = await request(app, "POST", "/api/v1/dashboards", {
        token: developer.token,
        body: { title, template: "failing_controls" },
      });

      expectProblem(again, 409, "dashboard_exists");
    });
  });

  describe("listing and exporting", () => {
    it("lists dashboards with their folder and browser path, searched by title and filtered by folder, paged", async () => {
      const folder = (
        await request(app, "POST", "/api/v1/dashboard-folders", {
          token: developer.token,
          body: { title: `Folder ${uniqueSuffix()}` },
        })
      ).body;
      const tag = uniqueSuffix();
      const inFolder = (await importDashboard(dashboardModel({ title: `Listed ${tag} A` }), { folderUid: folder.uid }))
        .body;
      await importDashboard(dashboardModel({ title: `Listed ${tag} B` }));

      const searched = await request(app, "GET", `/api/v1/dashboards?q=${tag}&pageSize=1`, { token: user.token });
      const filtered = await request(app, "GET", `/api/v1/dashboards?folderUid=${folder.uid}`, { token: user.token });

      expect(searched.status).toBe(200);
      const page = DashboardPageSchema.parse(searched.body);
      expect(page).toMatchObject({ total: 2, page: 1, pageSize: 1 });
      expect(page.items[0]).toEqual({
        uid: inFolder.uid,
        title: `Listed ${tag} A`,
        url: `/grafana/d/${inFolder.uid}`,
        folderUid: folder.uid,
        folderTitle: folder.title,
        tags: ["imported"],
      });
      expect(filtered.body.items.map((item: { uid: string }) => item.uid)).toEqual([inFolder.uid]);
      expect(
        grafana.requests
          .filter((recorded) => recorded.path === "/api/search")
          .at(-1)!
          .query.get("type"),
      ).toBe("dash-db");
    });

    it("exports a dashboard's JSON model with its panels (rows included) and where to embed them", async () => {
      const model = dashboardModel();
      const saved = (await importDashboard(model)).body;

      const response = await request(app, "GET", `/api/v1/dashboards/${saved.uid}`, { token: user.token });

      expect(response.status).toBe(200);
      const detail = DashboardDetailSchema.parse(response.body);
      expect(detail.dashboard).toMatchObject({ uid: model.uid, title: model.title, panels: model.panels });
      expect(detail.meta).toMatchObject({
        url: `/grafana/d/${saved.uid}`,
        embedPath: `/grafana/d-solo/${saved.uid}`,
        version: 1,
        folderUid: null,
      });
      expect(detail.panels).toEqual([
        { id: 1, title: "Points", type: "stat" },
        { id: 8, title: "Latest points", type: "table" },
      ]);
    });

    it("answers 404 for an unknown dashboard and 400 for a uid Grafana could not have made", async () => {
      expectProblem(
        await request(app, "GET", "/api/v1/dashboards/nope-nothing-here", { token: user.token }),
        404,
        "not_found",
      );
      expectProblem(
        await request(app, "GET", "/api/v1/dashboards/a%24b", { token: user.token }),
        400,
        "validation_failed",
      );
    });
  });

  describe("importing", () => {
    it("imports a model without its foreign numeric id, then refuses it again unless overwrite is set", async () => {
      const model = dashboardModel();

      const first = await importDashboard(model);
      const again = await importDashboard(model);
      const replaced = await importDashboard({ ...model, title: `${model.title} v2` }, { overwrite: true });

      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ uid: model.uid, version: 1 });
      expect(
        grafana.requests.filter((recorded) => recorded.path === "/api/dashboards/db").at(-3)!.body.dashboard.id,
      ).toBeNull();
      expectProblem(again, 409, "dashboard_version_conflict");
      expect(replaced.status).toBe(201);
      expect(replaced.body).toMatchObject({ uid: model.uid, version: 2, title: `${model.title} v2` });
      expect(grafana.dashboards.get(model.uid)!.model.title).toBe(`${model.title} v2`);
      expect((await auditRows("dashboard", model.uid)).map((row) => row.action)).toEqual(["create", "update"]);
    });

    it("answers 4xx, never 500, to hostile or malformed JSON", async () => {
      const deep: Record<string, unknown> = {};
      let cursor = deep;
      for (let level = 0; level < 100; level += 1) cursor = cursor.child = {};
      const big = "x".repeat(600 * 1024);

      expectProblem(await importDashboard({ panels: [] }), 400, "validation_failed");
      expectProblem(await importDashboard(dashboardModel({ uid: "../../api/admin" })), 400, "validation_failed");
      expectProblem(await importDashboard(dashboardModel({ deep })), 400, "validation_failed");
      expectProblem(await importDashboard(dashboardModel({ description: big })), 400, "validation_failed");
      expectProblem(
        await request(app, "POST", "/api/v1/dashboards/import", {
          token: developer.token,
          rawBody: JSON.stringify({ dashboard: dashboardModel({ description: "y".repeat(1_100_000) }) }),
          headers: { "content-type": "application/json" },
        }),
        413,
        "payload_too_large",
      );
      expectProblem(
        await request(app, "POST", "/api/v1/dashboards/import", {
          token: developer.token,
          rawBody: '{"dashboard": {"title": ',
          headers: { "content-type": "application/json" },
        }),
        400,
        "malformed_json",
      );
      expectProblem(
        await request(app, "POST", "/api/v1/dashboards/import", {
          token: developer.token,
          body: ["not", "an", "object"],
        }),
        400,
        "validation_failed",
      );

      const polluting = await request(app, "POST", "/api/v1/dashboards/import", {
        token: developer.token,
        rawBody: `{"dashboard": {"title": "Proto ${uniqueSuffix()}", "__proto__": {"isPolluted": true}}}`,
        headers: { "content-type": "application/json" },
      });
      expect(polluting.status).toBeLessThan(500);
      expect(({} as Record<string, unknown>).isPolluted).toBeUndefined();
    });

    it("passes Grafana's refusal of a model on as 422 grafana_rejected", async () => {
      const response = await importDashboard(dashboardModel({ title: "Into a missing folder" }), {
        folderUid: "no-such-folder",
      });

      expectProblem(response, 422, "grafana_rejected");
    });
  });

  describe("deleting", () => {
    it("deletes a dashboard in Grafana with the control links to its panels, and audits it", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);
      const saved = (await importDashboard(dashboardModel())).body;
      await request(app, "POST", `/api/v1/controls/${control.id}/panels`, {
        token: developer.token,
        body: { dashboardUid: saved.uid, panelId: 1 },
      });

      const response = await request(app, "DELETE", `/api/v1/dashboards/${saved.uid}`, { token: developer.token });

      expect(response.status).toBe(204);
      expect(grafana.dashboards.has(saved.uid)).toBe(false);
      expect(
        (await request(app, "GET", `/api/v1/controls/${control.id}/panels`, { token: user.token })).body.items,
      ).toEqual([]);
      expect(await auditRows("dashboard", saved.uid)).toMatchObject([
        { action: "create" },
        { action: "delete", before: { uid: saved.uid, unlinkedPanels: 1 } },
      ]);
      expectProblem(
        await request(app, "DELETE", `/api/v1/dashboards/${saved.uid}`, { token: developer.token }),
        404,
        "not_found",
      );
    });
  });

  describe("folders", () => {
    it("creates, lists and deletes folders; deleting one deletes its dashboards", async () => {
      const title = `Team ${uniqueSuffix()}`;

      const created = await request(app, "POST", "/api/v1/dashboard-folders", {
        token: developer.token,
        body: { title },
      });
      const duplicate = await request(app, "POST", "/api/v1/dashboard-folders", {
        token: developer.token,
        body: { title },
      });
      const listed = await request(app, "GET", "/api/v1/dashboard-folders", { token: user.token });
      const inside = (await importDashboard(dashboardModel(), { folderUid: created.body.uid })).body;
      const deleted = await request(app, "DELETE", `/api/v1/dashboard-folders/${created.body.uid}`, {
        token: developer.token,
      });

      expect(created.status).toBe(201);
      expect(created.body).toEqual({ uid: expect.any(String), title });
      expectProblem(duplicate, 409, "duplicate");
      expect(listed.body.items).toContainEqual({ uid: created.body.uid, title });
      expect(deleted.status).toBe(204);
      expect(grafana.folders.has(created.body.uid)).toBe(false);
      expect(grafana.dashboards.has(inside.uid)).toBe(false);
      const audit = await auditRows("dashboard_folder", created.body.uid);
      expect(audit.map((row) => row.action)).toEqual(["create", "delete"]);
      expect(audit[1]!.before).toEqual({ uid: created.body.uid, title, dashboards: [inside.uid], unlinkedPanels: 0 });
      const sentBefore = grafana.requests.length;
      expectProblem(
        await request(app, "DELETE", `/api/v1/dashboard-folders/${created.body.uid}`, { token: developer.token }),
        404,
        "not_found",
      );
      // A missing folder is found out by one lookup, before any search or delete reaches Grafana.
      expect(grafana.requests.slice(sentBefore).map((sent) => `${sent.method} ${sent.path}`)).toEqual([
        `GET /api/folders/${created.body.uid}`,
      ]);
    });
  });

  describe("panels linked to controls", () => {
    it("links a panel that exists, keeps its titles, refuses duplicates and unknown panels, and unlinks", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);
      const model = dashboardModel();
      const saved = (await importDashboard(model)).body;
      const path = `/api/v1/controls/${control.id}/panels`;

      const linked = await request(app, "POST", path, {
        token: developer.token,
        body: { dashboardUid: saved.uid, panelId: 8 },
      });
      const duplicate = await request(app, "POST", path, {
        token: developer.token,
        body: { dashboardUid: saved.uid, panelId: 8 },
      });
      const unknownPanel = await request(app, "POST", path, {
        token: developer.token,
        body: { dashboardUid: saved.uid, panelId: 99 },
      });
      const unknownDashboard = await request(app, "POST", path, {
        token: developer.token,
        body: { dashboardUid: "missing-dash", panelId: 1 },
      });
      const listed = await request(app, "GET", path, { token: user.token });

      expect(linked.status).toBe(201);
      expect(linked.body).toMatchObject({
        controlId: control.id,
        dashboardUid: saved.uid,
        panelId: 8,
        dashboardTitle: model.title,
        panelTitle: "Latest points",
        dashboardUrl: `/grafana/d/${saved.uid}`,
        embedPath: `/grafana/d-solo/${saved.uid}`,
      });
      ControlPanelSchema.parse(linked.body);
      expectProblem(duplicate, 409, "duplicate");
      expectProblem(unknownPanel, 422, "dashboard_panel_not_found");
      expectProblem(unknownDashboard, 404, "not_found");
      expect(listed.body.items).toEqual([linked.body]);

      const searchesBefore = grafana.requests.length;
      await request(app, "GET", path, { token: user.token });
      expect(grafana.requests.length).toBe(searchesBefore); // listing links never calls Grafana

      const unlinked = await request(app, "DELETE", `${path}/${linked.body.id}`, { token: developer.token });
      expect(unlinked.status).toBe(204);
      expect((await request(app, "GET", path, { token: user.token })).body.items).toEqual([]);
      expect((await auditRows("control_panel", linked.body.id)).map((row) => row.action)).toEqual(["create", "delete"]);
      expectProblem(
        await request(app, "DELETE", `${path}/${linked.body.id}`, { token: developer.token }),
        404,
        "not_found",
      );
      expectProblem(
        await request(app, "GET", "/api/v1/controls/00000000-0000-4000-8000-000000000000/panels", {
          token: user.token,
        }),
        404,
        "not_found",
      );
    });
  });

  describe("roles", () => {
    it("lets a USER read dashboards, folders and links but change nothing", async () => {
      const saved = (await importDashboard(dashboardModel())).body;
      const before = grafana.requests.length;

      for (const [method, path, body] of [
        ["POST", "/api/v1/dashboards", { title: "No", template: "failing_controls" }],
        ["POST", "/api/v1/dashboards/import", { dashboard: dashboardModel() }],
        ["DELETE", `/api/v1/dashboards/${saved.uid}`, undefined],
        ["POST", "/api/v1/dashboard-folders", { title: "No" }],
      ] as const) {
        expectProblem(await request(app, method, path, { token: user.token, body }), 403, "forbidden");
      }
      expect(grafana.requests.length).toBe(before);
      expect((await request(app, "GET", `/api/v1/dashboards/${saved.uid}`, { token: user.token })).status).toBe(200);
    });
  });

  describe("when Grafana misbehaves", () => {
    it("reports Grafana up through GET /grafana/health, calling its /api/health and checking the token", async () => {
      const response = await request(app, "GET", "/api/v1/grafana/health", { token: user.token });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ name: "grafana", status: "up" });
      expect(grafana.requests.slice(-2)).toMatchObject([
        { method: "GET", path: "/api/health" },
        { method: "GET", path: "/api/search", headers: { authorization: `Bearer ${grafana.token}` } },
      ]);
    });

    it("answers 504 grafana_timeout when Grafana is slower than GRAFANA_TIMEOUT_MS", async () => {
      grafana.setDelay(TIMEOUT_MS * 3);
      const started = Date.now();

      const response = await request(app, "GET", "/api/v1/dashboards", { token: user.token });

      expectProblem(response, 504, "grafana_timeout");
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 3);
    });

    it("answers 502 grafana_auth_failed when Grafana refuses the service-account token", async () => {
      const wrongToken = await startTestApp({
        env: { GRAFANA_URL: grafana.url, GRAFANA_SERVICE_ACCOUNT_TOKEN: "glsa_wrong" },
      });
      try {
        const viewer = await signInAs(wrongToken, "USER");
        expectProblem(
          await request(wrongToken, "GET", "/api/v1/dashboards", { token: viewer.token }),
          502,
          "grafana_auth_failed",
        );
        expect(grafana.requests.at(-1)!.headers.authorization).toBe("Bearer glsa_wrong");
      } finally {
        await wrongToken.close();
      }
    });

    it("answers 502 grafana_unreachable when nothing listens at GRAFANA_URL, and 503 when Grafana is not configured", async () => {
      const down = await startTestApp({
        env: { GRAFANA_URL: "http://127.0.0.1:9/grafana", GRAFANA_SERVICE_ACCOUNT_TOKEN: "glsa_any" },
      });
      const unconfigured = await startTestApp();
      try {
        const [downUser, plainUser] = await Promise.all([
          signInAs(down, "DEVELOPER"),
          signInAs(unconfigured, "DEVELOPER"),
        ]);
        expectProblem(
          await request(down, "GET", "/api/v1/dashboards", { token: downUser.token }),
          502,
          "grafana_unreachable",
        );
        expectProblem(
          await request(down, "DELETE", "/api/v1/dashboards/some-uid", { token: downUser.token }),
          502,
          "grafana_unreachable",
        );
        expect((await request(down, "GET", "/api/v1/grafana/health", { token: downUser.token })).body).toMatchObject({
          name: "grafana",
          status: "down",
          detail: "Grafana could not be reached",
        });
        expectProblem(
          await request(unconfigured, "GET", "/api/v1/dashboards", { token: plainUser.token }),
          503,
          "grafana_not_configured",
        );
        expectProblem(
          await request(unconfigured, "POST", "/api/v1/dashboard-folders", {
            token: plainUser.token,
            body: { title: "x" },
          }),
          503,
          "grafana_not_configured",
        );
        // Links are STATUS's own data: they stay readable without Grafana.
        const catalog = await createCatalogVia(unconfigured, plainUser.token);
        const control = await createControlVia(unconfigured, plainUser.token, catalog.id);
        expect(
          (await request(unconfigured, "GET", `/api/v1/controls/${control.id}/panels`, { token: plainUser.token }))
            .body,
        ).toEqual({ items: [] });
      } finally {
        await Promise.all([down.close(), unconfigured.close()]);
      }
    });
  });
});
