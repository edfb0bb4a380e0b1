import { readdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCompose, readRepoFile, REPO_ROOT } from "../deploy-files.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { signInAs } from "../http-client.ts";
import { reportingDatabase } from "../reporting-database.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * postgres/init.sql and grafana/ for real: the init script runs with psql on the test server (with names of this
 * run), the API's migrations run as the role it creates, the API computes real points into that database, and every
 * query of the provisioned dashboards runs as the read-only grafana role, which must read the reporting views and
 * nothing else.
 */

interface DashboardPanel {
  id: number;
  title: string;
  type: string;
  datasource?: { type: string; uid: string };
  targets?: { refId: string; rawSql?: string; format?: string; datasource?: { uid: string } }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
}

const DASHBOARD_DIR = "grafana/dashboards";
const RANGE = { from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" };

/** Grafana's SQL macros, as its Postgres datasource expands them, for a fixed range. */
function expandMacros(sql: string): string {
  return sql
    .replace(
      /\$__timeFilter\(([^)]+)\)/g,
      (_all, column: string) => `${column.trim()} between '${RANGE.from}'::timestamptz and '${RANGE.to}'::timestamptz`,
    )
    .replace(/\$__timeFrom\(\)/g, `'${RANGE.from}'::timestamptz`)
    .replace(/\$__timeTo\(\)/g, `'${RANGE.to}'::timestamptz`);
}

/** Every relation a query reads (after FROM or JOIN), schema-qualified as written. */
function relationsOf(sql: string): string[] {
  return [...sql.matchAll(/\b(?:from|join)\s+([A-Za-z_][\w.]*)/gi)].map((match) => match[1]!.toLowerCase());
}

async function readDashboards(): Promise<{ file: string; dashboard: Dashboard }[]> {
  const files = (await readdir(path.join(REPO_ROOT, DASHBOARD_DIR))).filter((file) => file.endsWith(".json")).sort();
  return Promise.all(
    files.map(async (file) => ({
      file,
      dashboard: JSON.parse(await readRepoFile(`${DASHBOARD_DIR}/${file}`)) as Dashboard,
    })),
  );
}

function queriesOf(dashboards: { file: string; dashboard: Dashboard }[]): { where: string; sql: string }[] {
  return dashboards.flatMap(({ file, dashboard }) =>
    dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        where: `${file} › ${panel.title} › ${target.refId}`,
        sql: target.rawSql ?? "",
      })),
    ),
  );
}

describe("Grafana provisioning files", () => {
  it("provision the STATUS datasource as the read-only grafana role, with the password from the environment", async () => {
    const datasources = parse(await readRepoFile("grafana/provisioning/datasources/status.yaml"));
    const [datasource] = datasources.datasources;

    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources).toHaveLength(1);
    expect(datasource).toMatchObject({
      uid: "status-postgres",
      type: "grafana-postgresql-datasource",
      url: "postgres:5432",
      user: "grafana",
      editable: false,
    });
    expect(datasource.jsonData.database).toBe("${STATUS_DB_NAME}");
    expect(datasource.secureJsonData).toEqual({ password: "${GRAFANA_DB_PASSWORD}" });
    // The role name the datasource uses is the one the init script creates by default.
    expect(await readRepoFile("postgres/initdb.d/10-status.sh")).toContain(
      'grafana_user="${GRAFANA_DB_USER:-grafana}"',
    );
  });

  it("load the dashboards from where the compose files mount grafana/dashboards", async () => {
    const providers = parse(await readRepoFile("grafana/provisioning/dashboards/status.yaml"));
    const mountPath = providers.providers[0].options.path;

    expect(providers.providers).toHaveLength(1);
    for (const file of ["docker-compose.dev.yml", "docker-compose.prod.yml"]) {
      const { document } = await readCompose(file);
      expect(document.services.grafana!.volumes).toContain(`./grafana/dashboards:${mountPath}:ro`);
      expect(document.services.grafana!.volumes).toContain("./grafana/provisioning:/etc/grafana/provisioning:ro");
    }
  });

  it("hold the three compliance dashboards, each panel on the STATUS datasource with a raw SQL query", async () => {
    const dashboards = await readDashboards();

    expect(dashboards.map(({ dashboard }) => dashboard.uid).sort()).toEqual([
      "status-compliance",
      "status-failing-controls",
      "status-run-health",
    ]);
    for (const { file, dashboard } of dashboards) {
      expect(dashboard.panels.length).toBeGreaterThan(0);
      expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
      for (const panel of dashboard.panels) {
        expect({ file, panel: panel.title, datasource: panel.datasource?.uid }).toEqual({
          file,
          panel: panel.title,
          datasource: "status-postgres",
        });
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) {
          expect({ file, panel: panel.title, format: target.format }).toEqual({
            file,
            panel: panel.title,
            format: expect.stringMatching(/^(time_series|table)$/),
          });
          expect(target.rawSql?.trim().toLowerCase()).toMatch(/^select /);
        }
      }
    }
  });

  it("query only relations of the reporting schema", async () => {
    for (const { where, sql } of queriesOf(await readDashboards())) {
      const relations = relationsOf(sql);
      expect({ where, relations: relations.length > 0 }).toEqual({ where, relations: true });
      expect({ where, outside: relations.filter((relation) => !relation.startsWith("reporting.")) }).toEqual({
        where,
        outside: [],
      });
    }
  });
});

describe("postgres/init.sql and the dashboards' queries on a migrated database", () => {
  const database = reportingDatabase("deploy", "'quote");
  const { names, passwords } = database;
  let grafana: pg.Client;
  let app: TestApp;
  let views: string[];
  const catalogs: { passing?: string; failing?: string } = {};

  beforeAll(async () => {
    await database.runInitSql();
    // Twice: the script is safe to run again (the postgres image runs it once, an admin may re-run it).
    await database.runInitSql();
    await database.migrate();
    const appUrl = database.appUrl;

    // Real points and runs, computed by the API on this database through the run's Node-RED.
    app = await startTestApp({ env: { DATABASE_URL: appUrl }, engine: { isWorker: true, isScheduler: false } });
    const developer = await signInAs(app, "DEVELOPER");
    const window = { from: "2025-03-01T00:00:00Z", to: "2025-03-04T00:00:00Z" };
    // test-fail answers 2 passing evidences of 3 (66.7 %): under a threshold of 80 each of its windows fails.
    for (const [key, mashupId] of [
      ["passing", "test-pass"],
      ["failing", "test-fail"],
    ] as const) {
      const { catalog, control } = await createEvaluableControl(app, developer.token, { mashupId, threshold: 80 });
      catalogs[key] = catalog.id;
      await waitForBatch(app, developer.token, (await startRuns(app, developer.token, control.id, window)).batch.id);
    }

    grafana = new pg.Client({ connectionString: database.grafanaUrl });
    await grafana.connect();
    views = (
      await grafana.query<{ name: string }>(
        "select table_schema || '.' || table_name as name from information_schema.views where table_schema = 'reporting'",
      )
    ).rows.map((row) => row.name);
  }, 120_000);

  afterAll(async () => {
    await grafana?.end();
    await app?.close();
    await database.drop();
  });

  it("lets the grafana role see the curated views of migrations 0007 and 0027", () => {
    expect(views.sort()).toEqual([
      "reporting.catalog_compliance_daily",
      "reporting.control_states",
      "reporting.control_status",
      "reporting.points",
      "reporting.runs",
    ]);
  });

  it("runs every dashboard query as the grafana role (EXPLAIN, then for real), on views that exist", async () => {
    const queries = queriesOf(await readDashboards());
    expect(queries.length).toBeGreaterThanOrEqual(10);
    for (const { where, sql } of queries) {
      const expanded = expandMacros(sql);
      expect({ where, unexpanded: expanded.match(/\$\w+/g) ?? [] }).toEqual({ where, unexpanded: [] });
      expect({ where, unknown: relationsOf(expanded).filter((relation) => !views.includes(relation)) }).toEqual({
        where,
        unknown: [],
      });
      await grafana.query(`explain ${expanded}`).catch((error: Error) => {
        throw new Error(`${where}: ${error.message}`);
      });
      await grafana.query(expanded);
    }
  });

  it("answers the compliance dashboard with the points the API computed", async () => {
    const [, inRange] = (await readDashboards()).find(({ dashboard }) => dashboard.uid === "status-compliance")!
      .dashboard.panels;
    const rows = (
      await grafana.query<{ Catalog: string; Compliance: string | number }>(expandMacros(inRange!.targets![0]!.rawSql!))
    ).rows;
    const names = (
      await grafana.query<{ catalog_id: string; catalog_name: string }>(
        "select distinct catalog_id, catalog_name from reporting.points",
      )
    ).rows;
    const nameOf = (id: string | undefined) => names.find((row) => row.catalog_id === id)!.catalog_name;

    expect(Number(rows.find((row) => row.Catalog === nameOf(catalogs.passing))?.Compliance)).toBe(100);
    expect(Number(rows.find((row) => row.Catalog === nameOf(catalogs.failing))?.Compliance)).toBe(0);
    const failing = await grafana.query(
      "select count(*)::int as failing from reporting.control_status where result = 'fail'",
    );
    expect(failing.rows[0].failing).toBe(1);
    // Each control's state, computed by the view's functions under the grafana role's rights: both controls' newest
    // points are of March 2025, long overdue, so both are stale (not passing, not failing).
    const states = await grafana.query(
      "select state, count(*)::int as controls from reporting.control_states group by state",
    );
    expect(states.rows).toEqual([{ state: "stale", controls: 2 }]);
    const runs = await grafana.query("select status, count(*)::int as runs from reporting.runs group by status");
    expect(runs.rows).toEqual([{ status: "succeeded", runs: 6 }]);
  });

  it.each(["users", "api_tokens", "audit_log", "points", "runs", "evidences", "public.users"])(
    "refuses the grafana role any read of %s",
    async (table) => {
      await expect(grafana.query(`select * from ${table} limit 1`)).rejects.toMatchObject({
        code: expect.stringMatching(/^(42501|42P01)$/),
      });
    },
  );

  it("refuses the grafana role every write, even to the views", async () => {
    await expect(grafana.query("create table reporting.mine (id int)")).rejects.toMatchObject({ code: "25006" });
    await expect(grafana.query("begin read write; create table reporting.mine (id int)")).rejects.toMatchObject({
      code: "42501",
    });
    await grafana.query("rollback");
    await expect(grafana.query("begin read write; delete from public.points")).rejects.toMatchObject({ code: "42501" });
    await grafana.query("rollback");
    // The views join tables, so Postgres refuses writes through them before it even checks rights.
    await expect(grafana.query("begin read write; delete from reporting.points")).rejects.toMatchObject({
      code: expect.stringMatching(/^(42501|55000)$/),
    });
    await grafana.query("rollback");
  });

  it("keeps the grafana role out of the grafana_state database and without any membership", async () => {
    const other = new pg.Client({
      connectionString: database.urlAs(names.grafanaStateDb, names.grafanaUser, passwords.grafana),
    });
    await expect(other.connect()).rejects.toMatchObject({ code: "42501" });
    await other.end().catch(() => {});
    const role = await grafana.query(
      "select rolsuper, rolcreatedb, rolcreaterole, rolinherit, rolbypassrls from pg_roles where rolname = current_user",
    );
    expect(role.rows[0]).toEqual({
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolinherit: false,
      rolbypassrls: false,
    });
    const memberships = await grafana.query(
      "select count(*)::int as n from pg_auth_members m join pg_roles r on r.oid = m.member where r.rolname = current_user",
    );
    expect(memberships.rows[0].n).toBe(0);
  });

  it("gives a view added by a later migration to the grafana role automatically (default privileges)", async () => {
    const owner = new pg.Client({ connectionString: database.appUrl });
    await owner.connect();
    try {
      await owner.query("create view reporting.catalog_names as select id, name from catalogs");
      const rows = await grafana.query("select count(*)::int as n from reporting.catalog_names");
      expect(rows.rows[0].n).toBeGreaterThanOrEqual(2);
    } finally {
      await owner.query("drop view if exists reporting.catalog_names");
      await owner.end();
    }
  });
});
