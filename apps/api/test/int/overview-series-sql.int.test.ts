import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Queryable } from "../../src/db/database.ts";
import { listCatalogOverview } from "../../src/modules/overview/overview.repository.ts";
import { signInAs, type TestUser } from "../http-client.ts";
import { appendChosenPoints, createHourlyControl, type ChosenPoint, type ControlIds } from "../point-append.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const DAY = 86_400_000;
const BASE = Date.parse("2026-09-01T00:00:00Z");
const at = (ms: number) => new Date(BASE + ms).toISOString();

/**
 * Migration 0086 keeps each catalog's points, passes and failures per UTC day in catalog_daily, from point_daily by
 * triggers, and reporting.catalog_compliance_daily and the overview's series read it. Both must answer what migration
 * 0063's view over point_daily answered, recreated here in a schema of its own, after every kind of change to
 * point_daily: appends (late windows, several scopes, the registry's points shadowed by the engine's), rows deleted
 * (a control deleted cascades to them) and rebuild_point_reads(). The overview's control counts are held to a count of
 * the unarchived controls, which they no longer run.
 */
const BEFORE_0086 = [
  "create schema before_0086",
  `create view before_0086.catalog_compliance_daily as
select d.catalog_id,
       cat.name                                               as catalog_name,
       d.day,
       sum(d.points)::bigint                                  as points,
       sum(d.passed)::bigint                                  as passed,
       sum(d.failed)::bigint                                  as failed,
       round(100.0 * sum(d.passed) / nullif(sum(d.passed) + sum(d.failed), 0), 2) as compliance
  from point_daily d
  join catalogs cat on cat.id = d.catalog_id
 group by d.catalog_id, cat.name, d.day`,
];

describe("the overview's series and catalog_daily", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    for (const statement of BEFORE_0086) await app.deps.db.query(statement);
  });
  afterAll(async () => {
    await app?.deps.db.query("drop schema if exists before_0086 cascade");
    await app?.close();
  });

  const append = (ids: ControlIds, source: "engine" | "registry", points: ChosenPoint[]) =>
    appendChosenPoints(app, ids, BASE, source, points);

  /** Both views' rows and the overview's series of the given catalogs, from `since` on. */
  async function read(db: Queryable, catalogIds: string[], since: string) {
    const columns = `catalog_id, catalog_name, to_char(day, 'YYYY-MM-DD') as day, points, passed, failed, compliance`;
    const where = `where catalog_id = any($1::uuid[]) and day >= ($2::timestamptz at time zone 'UTC') order by 1, 3`;
    // One after the other: `db` may be a client in a transaction.
    const now = await db.query(`select ${columns} from reporting.catalog_compliance_daily ${where}`, [
      catalogIds,
      since,
    ]);
    const before = await db.query(`select ${columns} from before_0086.catalog_compliance_daily ${where}`, [
      catalogIds,
      since,
    ]);
    const overview = await listCatalogOverview(db, { limit: 1_000_000, at: new Date(), seriesSince: since });
    // The series as the overview read it before: the view's rows of the listed catalogs, grouped in their order.
    const expected = new Map<string, { catalogId: string; catalogName: string; days: unknown[] }>();
    for (const row of before.rows) {
      const series = expected.get(row.catalog_id) ?? {
        catalogId: row.catalog_id,
        catalogName: row.catalog_name,
        days: [] as unknown[],
      };
      series.days.push({ day: `${row.day}T00:00:00.000Z`, points: Number(row.points), compliance: row.compliance });
      expected.set(row.catalog_id, series);
    }
    return {
      view: now.rows,
      viewBefore: before.rows,
      series: overview.series.filter((series) => catalogIds.includes(series.catalogId)),
      seriesBefore: [...expected.values()],
    };
  }

  async function expectAsBefore(db: Queryable, catalogIds: string[]) {
    for (const since of [at(-DAY), at(DAY), at(2 * DAY)]) {
      const answers = await read(db, catalogIds, since);
      expect(answers.view).toEqual(answers.viewBefore);
      expect(answers.series).toEqual(answers.seriesBefore);
    }
  }

  it("answers what the view over point_daily answered, after appends, deletions and a rebuild", async () => {
    const first = await createHourlyControl(app, developer.token, at(-DAY));
    const second = await createHourlyControl(app, developer.token, at(-DAY));
    // A second control of the first catalog: its points add to the same days.
    const sibling = { catalogId: first.catalogId, controlId: second.controlId };
    await app.deps.db.query("update controls set catalog_id = $1 where id = $2", [first.catalogId, second.controlId]);
    const otherControl = await createHourlyControl(app, developer.token, at(-DAY));
    const catalogIds = [first.catalogId, second.catalogId, otherControl.catalogId];
    const eu = { region: "eu" };
    const us = { region: "us" };

    await append(first, "engine", [
      { hour: 0, result: "pass", scope: eu },
      { hour: 1, result: "fail", scope: eu },
      { hour: 0, result: "pass", scope: us },
      { hour: 30, result: "fail", scope: us },
    ]);
    await append(sibling, "engine", [
      { hour: 2, result: "pass" },
      { hour: 26, result: "not_applicable" },
      { hour: 50, result: "fail" },
    ]);
    await append(otherControl, "engine", [{ hour: 3, result: "not_applicable" }]);
    await expectAsBefore(app.deps.db, catalogIds);

    // Late windows, the registry on windows the engine has (shadowed) and one it has not, then the engine computing
    // a window the registry answered first (an update of point_daily that changes no count).
    await append(first, "engine", [
      { hour: 5, result: "not_applicable", scope: eu },
      { hour: 25, result: "pass", scope: us },
    ]);
    await append(first, "registry", [
      { hour: 1, result: "not_applicable", scope: eu },
      { hour: 30, result: "pass", scope: us },
      { hour: 40, result: "fail", scope: us },
    ]);
    await append(first, "engine", [{ hour: 40, result: "pass", scope: us }]);
    await expectAsBefore(app.deps.db, catalogIds);

    // Rows deleted (as a control's deletion cascades to them) and the tables rebuilt, each in a transaction undone.
    for (const change of [
      ["delete from point_daily where control_id = $1 and scope_key = $2", [first.controlId, JSON.stringify(eu)]],
      ["delete from point_daily where control_id = $1", [otherControl.controlId]],
      ["select rebuild_point_reads()", []],
    ] as const) {
      const client = await app.deps.db.connect();
      try {
        await client.query("begin");
        await client.query(change[0], [...change[1]]);
        await expectAsBefore(client, catalogIds);
      } finally {
        await client.query("rollback");
        client.release();
      }
    }
    await expectAsBefore(app.deps.db, catalogIds);
  });

  it("counts a catalog's unarchived controls as a count of them does", async () => {
    const ids = await createHourlyControl(app, developer.token, at(-DAY));
    const other = await createHourlyControl(app, developer.token, at(-DAY));
    await app.deps.db.query("update controls set catalog_id = $1 where id = $2", [ids.catalogId, other.controlId]);
    const counted = async () => {
      const { catalogs } = await listCatalogOverview(app.deps.db, {
        limit: 1_000_000,
        at: new Date(),
        seriesSince: null,
      });
      const count = await app.deps.db.query<{ count: number }>(
        "select count(*)::int as count from controls where catalog_id = $1 and archived_at is null",
        [ids.catalogId],
      );
      return [catalogs.find((catalog) => catalog.catalogId === ids.catalogId)?.controlCount, count.rows[0]!.count];
    };
    expect(await counted()).toEqual([2, 2]);
    await app.deps.db.query("update controls set archived_at = now(), archive_reason = 'retired' where id = $1", [
      other.controlId,
    ]);
    expect(await counted()).toEqual([1, 1]);
  });
});
